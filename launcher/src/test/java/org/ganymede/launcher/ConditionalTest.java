package org.ganymede.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.DataInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import javax.imageio.ImageIO;
import org.ganymede.api.ExperimentRunner;
import org.ganymede.api.ExperimentRunner.Evaluation;
import org.ganymede.api.ExperimentRunner.EvaluationOptions;
import org.ganymede.api.ExperimentRunner.ExportOptions;
import org.ganymede.api.ExperimentRunner.RunOptions;
import org.ganymede.api.ExperimentRunner.SampleOptions;
import org.ganymede.api.ParameterException;
import org.ganymede.api.RunOutcome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A class-conditional DCGAN (projection discriminator) through the framework on Fashion-MNIST's
 * labels: it resumes exactly with the labels and the generator's drawn classes, its grids show a
 * row per class, it samples the class asked for, measures intra-class FID, and refuses what it
 * cannot do with the reason.
 */
class ConditionalTest {
  private static final String EXPERIMENT = """
      architecture: {name: dcgan, base_width: 4, latent_size: 8, conditioning: projection, spectral_norm: true}
      dataset: {name: fashion-mnist, resolution: 28}
      metrics: [{name: fid, samples: 2000, per_class: true}]
      training: {steps: 6, batch: 4, seed: 3}
      output: {log_every: 2, sample_every: 6, checkpoint_every: 1000, grid: 16}
      """;
  private static GanymedeHost host;
  private static ExperimentRunner runner;
  @TempDir Path work;

  @BeforeAll
  static void start() throws Exception {
    host = GanymedeHost.start(Distribution.current(), List.of("dcgan", "cgan", "losses", "datasets", "metrics"));
    runner = host.runner();
  }

  @AfterAll
  static void stop() throws Exception {
    host.close();
  }

  @Test
  void aProjectionDcganResumesExactlySamplesByClassAndMeasuresEachClass() throws Exception {
    Path experiment = Experiments.write(work, "conditional.yaml", EXPERIMENT);
    Path straight = work.resolve("straight");
    Path interrupted = work.resolve("interrupted");
    RunOutcome outcome = runner.train(experiment, new RunOptions(List.of(), () -> false, straight, 0));
    assertEquals(RunOutcome.Status.COMPLETED, outcome.status(), outcome.message());
    assertEquals(RunOutcome.Status.COMPLETED,
        runner.train(experiment, new RunOptions(List.of(), () -> false, interrupted, 3)).status());
    assertEquals(RunOutcome.Status.COMPLETED, runner.resume(interrupted, RunOptions.defaults()).status());
    Map<String, float[]> a = variables(straight);
    Map<String, float[]> b = variables(interrupted);
    assertTrue(a.keySet().stream().anyMatch(name -> name.endsWith("_sn_u")), "spectral norm's vectors are kept");
    assertEquals(a.keySet(), b.keySet());
    for (String name : a.keySet()) {
      float[] x = a.get(name);
      float[] y = b.get(name);
      for (int i = 0; i < x.length; i++) {
        assertEquals(x[i], y[i], 1e-5f * Math.max(1f, Math.abs(x[i])), name + "[" + i + "]");
      }
    }

    // 16 asked for: a row of 4 for each of the 10 classes, 28 px samples enlarged 4 times to be seen.
    BufferedImage grid = ImageIO.read(straight.resolve("samples/step-000000006.png").toFile());
    assertEquals(4 * (4 * 30 + 2), grid.getWidth());
    assertEquals(4 * (10 * 30 + 2), grid.getHeight());
    Path bags = runner.sample(straight, SampleOptions.grid(9, 1, work.resolve("bags.png")).withClasses(List.of("bag")));
    BufferedImage bagGrid = ImageIO.read(bags.toFile());
    assertEquals(4 * (3 * 30 + 2), bagGrid.getHeight(), "one class: a square grid");
    Path walk = runner.sample(straight, new SampleOptions(0, 1, 1, List.of(), List.of(2L, 2L), 5,
        work.resolve("walk.png"), List.of("sneaker", "ankle-boot")));
    assertEquals(4 * (5 * 30 + 2), ImageIO.read(walk.toFile()).getWidth(), "from sneaker to ankle boot in 5 frames");

    String unknown = assertThrows(ParameterException.class, () -> runner.sample(straight,
        SampleOptions.grid(4, 1, work.resolve("x.png")).withClasses(List.of("hat")))).getMessage();
    assertTrue(unknown.contains("class 'hat' is not one of this run's classes: 0 t-shirt, 1 trouser"), unknown);

    List<Path> exported = runner.export(straight, new ExportOptions(25, List.of(), 4, "idx", work.resolve("made")));
    assertEquals(List.of(work.resolve("made/images-idx3-ubyte.gz"), work.resolve("made/labels-idx1-ubyte.gz")), exported);
    try (DataInputStream labels = new DataInputStream(new GZIPInputStream(Files.newInputStream(exported.get(1))))) {
      assertEquals(0x801, labels.readInt());
      assertEquals(25, labels.readInt());
      for (int i = 0; i < 25; i++) {
        assertEquals(i % 10, labels.readUnsignedByte(), "every class in turn");
      }
    }
    Path readBack = Experiments.write(work, "read-back.yaml", """
        architecture: {name: dcgan, base_width: 4, latent_size: 8, conditioning: acgan}
        dataset: {name: idx, images: %s, labels: %s}
        training: {steps: 1, batch: 5}
        """.formatted(exported.get(0), exported.get(1)));
    RunOutcome trainedOnMade = runner.train(readBack, new RunOptions(List.of(), () -> false, work.resolve("again"), 0));
    assertEquals(RunOutcome.Status.COMPLETED, trainedOnMade.status(), trainedOnMade.message());
    List<Path> bagPngs = runner.export(straight, new ExportOptions(3, List.of("bag"), 4, "png", work.resolve("pngs")));
    assertEquals(List.of("000000.png", "000001.png", "000002.png"),
        bagPngs.stream().map(p -> work.resolve("pngs/bag").relativize(p).toString()).toList());

    Evaluation evaluation = runner.evaluate(straight, new EvaluationOptions(List.of(), 0));
    assertTrue(evaluation.failures().isEmpty(), evaluation.failures().toString());
    double sum = 0;
    for (String name : List.of("t-shirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag",
        "ankle-boot")) {
      Double fid = evaluation.values().get("metric/fid/class/" + name + "/fid");
      assertTrue(fid != null && fid > 0, name + ": " + evaluation.values().keySet());
      sum += fid;
    }
    assertEquals(sum / 10, evaluation.values().get("metric/fid/intra_class/fid"), 1e-9);
    assertTrue(evaluation.values().containsKey("metric/fid/fid"));

    Evaluation cas = runner.evaluate(straight, new EvaluationOptions(List.of("{name: classification-accuracy-score,"
        + " samples: 300, epochs: 1, which: [generated, real], test: {name: fashion-mnist, resolution: 28,"
        + " limit_per_class: 20}}"), 0));
    assertTrue(cas.failures().isEmpty(), cas.failures().toString());
    String key = "metric/classification-accuracy-score/";
    assertEquals(300, cas.values().get(key + "train_generated"));
    assertEquals(10_000, cas.values().get(key + "train_real"), "every real sample of the run's data");
    assertEquals(200, cas.values().get(key + "test_samples"));
    assertTrue(cas.values().get(key + "real_accuracy") > 0.6, cas.values().toString());
    assertEquals(cas.values().get(key + "cas") / cas.values().get(key + "real_accuracy"),
        cas.values().get(key + "cas_ratio"), 1e-9);
    String noTest = assertThrows(ParameterException.class, () -> runner.evaluate(straight,
        new EvaluationOptions(List.of("classification-accuracy-score"), 0))).getMessage();
    assertTrue(noTest.contains("tests on held-out labelled data: give 'test'"), noTest);
  }

  @Test
  void conditionalArchitecturesRefuseDataWithoutLabelsAndUnconditionalRunsRefuseClasses() throws Exception {
    Path images = Files.createDirectory(work.resolve("images"));
    for (int i = 0; i < 2; i++) {
      ImageIO.write(new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY), "png", images.resolve(i + ".png").toFile());
    }
    Path unlabelled = Experiments.write(work, "unlabelled.yaml", """
        architecture: {name: dcgan, base_width: 4, conditioning: acgan}
        dataset: {name: image-folder, path: %s, size: 32, channels: 1}
        training: {steps: 2, batch: 2}
        """.formatted(images));
    String refused = assertThrows(ParameterException.class, () -> runner.train(unlabelled,
        new RunOptions(List.of(), () -> false, work.resolve("never"), 0))).getMessage();
    assertTrue(refused.contains("is conditioned on class labels, and dataset 'image-folder'"), refused);
    assertTrue(refused.contains("datasets that carry labels: fashion-mnist, fashion-mnist-pairs, grid, idx, ring"), refused);
    assertFalse(Files.exists(work.resolve("never")), "nothing was built");

    Path unlabelledFid = Experiments.write(work, "unlabelled-fid.yaml", """
        architecture: {name: dcgan, base_width: 4}
        dataset: {name: image-folder, path: %s, size: 32, channels: 1}
        metrics: [{name: fid, samples: 2, per_class: true}]
        training: {steps: 1, batch: 2}
        """.formatted(images));
    Path unlabelledRun = work.resolve("unlabelled-run");
    assertEquals(RunOutcome.Status.COMPLETED,
        runner.train(unlabelledFid, new RunOptions(List.of(), () -> false, unlabelledRun, 0)).status());
    List<String> failures = runner.evaluate(unlabelledRun, new EvaluationOptions(List.of(), 0)).failures();
    assertEquals(1, failures.size(), failures.toString());
    assertTrue(failures.get(0).contains("per_class needs labelled data"), failures.get(0));

    // A conditional run resumes only onto data with the classes it was trained on.
    Path ring = Experiments.write(work, "cgan-ring.yaml", """
        architecture: {name: cgan}
        dataset: {name: ring}
        training: {steps: 4, batch: 8}
        output: {checkpoint_every: 2, sample_every: 100}
        """);
    Path ringRun = work.resolve("ring-run");
    assertEquals(RunOutcome.Status.COMPLETED,
        runner.train(ring, new RunOptions(List.of(), () -> false, ringRun, 2)).status());
    Path recorded = ringRun.resolve("experiment.yaml");
    Files.writeString(recorded, Files.readString(recorded).replace("{name: ring}", "{name: grid}"));
    String otherClasses = assertThrows(ParameterException.class,
        () -> runner.resume(ringRun, RunOptions.defaults())).getMessage();
    assertTrue(otherClasses.contains("the run was trained on 8 classes (0, 1, 2, 3, 4, 5, 6, 7) and dataset 'grid' now"
        + " has 25"), otherClasses);

    Path plain = Experiments.write(work, "plain.yaml", """
        architecture: {name: dcgan, base_width: 4, latent_size: 8}
        dataset: {name: fashion-mnist}
        training: {steps: 2, batch: 2}
        output: {checkpoint_every: 2, sample_every: 2}
        """);
    Path run = work.resolve("plain");
    assertEquals(RunOutcome.Status.COMPLETED, runner.train(plain, new RunOptions(List.of(), () -> false, run, 0)).status());
    String notConditional = assertThrows(ParameterException.class, () -> runner.sample(run,
        SampleOptions.grid(4, 1, work.resolve("y.png")).withClasses(List.of("bag")))).getMessage();
    assertTrue(notConditional.contains("--class is for conditional runs"), notConditional);
    List<String> unconditionalCas = runner.evaluate(run, new EvaluationOptions(List.of("{name: "
        + "classification-accuracy-score, samples: 10, test: {name: fashion-mnist, limit_per_class: 1}}"), 0)).failures();
    assertEquals(1, unconditionalCas.size(), unconditionalCas.toString());
    assertTrue(unconditionalCas.get(0).contains("does not read the labels: choose a conditional one"),
        unconditionalCas.get(0));
    String exportClass = assertThrows(ParameterException.class, () -> runner.export(run,
        new ExportOptions(4, List.of("bag"), 1, "idx", work.resolve("z")))).getMessage();
    assertTrue(exportClass.contains("--class is for conditional runs"), exportClass);
    String format = assertThrows(ParameterException.class, () -> runner.export(run,
        new ExportOptions(4, List.of(), 1, "tiff", work.resolve("z")))).getMessage();
    assertTrue(format.contains("--format is 'tiff'; allowed: idx, png"), format);
  }

  /**
   * The SavedModel export, loaded by TensorFlow Java in a graph of its own, makes exactly the run's
   * own samples for the same latents and classes; its description names shapes and classes.
   */
  @Test
  void anExportedSavedModelMakesTheRunsOwnSamples() throws Exception {
    Path experiment = Experiments.write(work, "cdcgan.yaml", EXPERIMENT);
    Path run = work.resolve("run");
    assertEquals(RunOutcome.Status.COMPLETED, runner.train(experiment, new RunOptions(List.of(), () -> false, run, 0))
        .status());
    Path out = work.resolve("saved");
    List<Path> written = runner.exportModel(run, out);
    assertTrue(written.contains(out.resolve("saved_model.pb")), written.toString());
    com.google.gson.JsonObject description = com.google.gson.JsonParser.parseString(
        Files.readString(out.resolve("ganymede-model.json"))).getAsJsonObject();
    assertEquals("dcgan", description.get("architecture").getAsString());
    assertEquals(6, description.get("step").getAsLong());
    assertEquals("[28,28,1]", description.get("image_shape").toString());
    assertEquals(10, description.getAsJsonArray("classes").size());
    assertEquals("{\"latent\":[-1,8],\"classes\":[-1,10],\"returns\":{\"images\":[-1,28,28,1]}}",
        description.getAsJsonObject("signatures").get("serving_default").toString());

    java.util.SplittableRandom random = new java.util.SplittableRandom(11);
    try (org.tensorflow.types.TFloat32 latents = org.tensorflow.types.TFloat32.tensorOf(
            org.tensorflow.ndarray.Shape.of(5, 8), d -> d.scalars().forEach(v -> v.setFloat((float) random.nextGaussian())));
        org.tensorflow.types.TFloat32 classes = org.tensorflow.types.TFloat32.tensorOf(
            org.tensorflow.ndarray.Shape.of(5, 10), d -> d.scalars().forEach(v -> v.setFloat(0)));
        ExportedModel own = new ExportedModel(run, ExportedModel.latestCheckpoint(run));
        org.tensorflow.SavedModelBundle saved = org.tensorflow.SavedModelBundle.load(out.toString(), "serve")) {
      for (int i = 0; i < 5; i++) {
        classes.setFloat(1, i, (i * 3) % 10);
      }
      float[][] expected = own.generate(latents, classes);
      try (org.tensorflow.Result result = saved.function("serving_default").call(Map.of("latent", latents,
          "classes", classes))) {
        float[][] exported = ExportedModel.rows((org.tensorflow.types.TFloat32) result.get("images").orElseThrow(), 5);
        for (int i = 0; i < 5; i++) {
          org.junit.jupiter.api.Assertions.assertArrayEquals(expected[i], exported[i], "sample " + i);
        }
      }
    }
    String notEmpty = assertThrows(ParameterException.class, () -> runner.exportModel(run, out)).getMessage();
    assertTrue(notEmpty.contains("is not empty; export a model into a new or empty folder"), notEmpty);
  }

  private static Map<String, float[]> variables(Path run) throws Exception {
    try (ExportedModel model = new ExportedModel(run, ExportedModel.latestCheckpoint(run))) {
      return model.variables();
    }
  }
}
