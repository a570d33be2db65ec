package org.ganymede.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.ganymede.api.ExperimentRunner;
import org.ganymede.api.ExperimentRunner.RunOptions;
import org.ganymede.api.ExperimentRunner.SampleOptions;
import org.ganymede.api.RunOutcome;
import org.ganymede.api.TrainingListener;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.proto.DataType;

/** What training does, seen from outside: through the framework, checked on the exported model. */
class TrainingTest {
  private static GanymedeHost host;
  private static ExperimentRunner runner;
  @TempDir Path work;

  @BeforeAll
  static void start() throws Exception {
    host = GanymedeHost.start(Distribution.current(), List.of());
    runner = host.runner();
  }

  @AfterAll
  static void stop() throws Exception {
    host.close();
  }

  @Test
  void vanillaGanMovesItsSamplesOntoTheRing() throws Exception {
    Path experiment = Experiments.write(work, "ring.yaml", """
        architecture: {name: vanilla}
        dataset: {name: ring}
        training: {steps: 3000, batch: 256, seed: 5}
        output: {log_every: 100, sample_every: 100000, checkpoint_every: 3000}
        """);
    Path untrainedRun = work.resolve("untrained");
    Path trainedRun = work.resolve("trained");
    assertEquals(RunOutcome.Status.COMPLETED,
        runner.train(experiment, new RunOptions(List.of(), () -> false, untrainedRun, 1)).status());
    RunOutcome outcome = runner.train(experiment, new RunOptions(List.of(), () -> false, trainedRun, 0));
    assertEquals(RunOutcome.Status.COMPLETED, outcome.status(), outcome.message());

    RingFit before = RingFit.of(generate(untrainedRun));
    RingFit after = RingFit.of(generate(trainedRun));
    assertTrue(before.nearRing() < 0.3, "untrained samples already on the ring: " + before);
    assertTrue(after.nearRing() >= 0.8, "samples did not move onto the ring: " + after);
    assertTrue(after.modesHit() >= 5, "samples cover too few modes: " + after);
  }

  /**
   * FreezeD on a fine-tuned DCGAN: started from another run, with its discriminator's first two
   * weighted layers frozen, exactly those variables (a convolution, then a convolution with its
   * batch norm) keep the source's values bit for bit while everything else trains on.
   */
  @Test
  void aFineTunedRunKeepsItsFrozenLayersBitIdentical() throws Exception {
    String layout = """
        architecture: {name: dcgan, base_width: 4, latent_size: 8}
        dataset: {name: fashion-mnist, resolution: 28}
        output: {log_every: 1, sample_every: 1000, checkpoint_every: 1000}
        """;
    Path source = work.resolve("source");
    Path pretrain = Experiments.write(work, "pretrain.yaml", layout + "training: {steps: 2, batch: 4, seed: 1}\n");
    assertEquals(RunOutcome.Status.COMPLETED, runner.train(pretrain, new RunOptions(List.of(), () -> false, source, 0))
        .status());
    Path tuned = work.resolve("tuned");
    Path fineTune = Experiments.write(work, "fine-tune.yaml", layout + """
        training:
          steps: 3
          batch: 4
          seed: 2
          init_from: {run: '%s'}
          freeze: {discriminator_layers: 2}
        """.formatted(source));
    RunOutcome outcome = runner.train(fineTune, new RunOptions(List.of(), () -> false, tuned, 0));
    assertEquals(RunOutcome.Status.COMPLETED, outcome.status(), outcome.message());

    Map<String, float[]> before;
    Map<String, float[]> after;
    try (ExportedModel model = new ExportedModel(source, ExportedModel.latestCheckpoint(source))) {
      before = model.variables();
    }
    try (ExportedModel model = new ExportedModel(tuned, ExportedModel.latestCheckpoint(tuned))) {
      after = model.variables();
    }
    List<String> unchanged = new java.util.ArrayList<>();
    for (Map.Entry<String, float[]> e : before.entrySet()) {
      boolean optimizerState = e.getKey().endsWith("-m") || e.getKey().endsWith("-v") || e.getKey().contains("_power");
      if (!optimizerState && java.util.Arrays.equals(e.getValue(), after.get(e.getKey()))) {
        unchanged.add(e.getKey());
      }
    }
    assertEquals(6, unchanged.size(), "unchanged: " + unchanged);
    assertTrue(unchanged.containsAll(List.of("conv_filter", "conv_bias", "conv_filter_2", "conv_bias_2")), unchanged
        .toString());
    assertTrue(unchanged.stream().filter(n -> n.startsWith("bn_")).count() == 2, unchanged.toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"fp32", "bf16"})
  void resumeGivesTheSameWeightsAsAnUninterruptedRun(String precision) throws Exception {
    // DCGAN: TensorFlow's oneDNN kernels for its convolutions are deterministic on CPU (those of
    // small MLP matrix products are not, see the README), so equal seeds give equal weights.
    Path experiment = Experiments.write(work, "resume.yaml", """
        architecture: {name: dcgan, base_width: 8}
        dataset: {name: fashion-mnist}
        training: {steps: 30, batch: 16, seed: 11, precision: %s}
        output: {log_every: 5, sample_every: 100000, checkpoint_every: 1000}
        """.formatted(precision));
    Path straight = work.resolve("straight");
    Path interrupted = work.resolve("interrupted");
    assertEquals(RunOutcome.Status.COMPLETED, runner.train(experiment, options(straight, 0)).status());
    assertEquals(RunOutcome.Status.COMPLETED, runner.train(experiment, options(interrupted, 12)).status());
    RunOutcome resumed = runner.resume(interrupted, options(null, 0));
    assertEquals(RunOutcome.Status.COMPLETED, resumed.status());
    assertEquals(30, resumed.step());

    Map<String, float[]> a = variables(straight);
    Map<String, float[]> b = variables(interrupted);
    assertEquals(a.keySet(), b.keySet());
    assertTrue(a.size() >= 8, "too few variables: " + a.keySet());
    for (String name : a.keySet()) {
      float[] x = a.get(name);
      float[] y = b.get(name);
      for (int i = 0; i < x.length; i++) {
        assertEquals(x[i], y[i], 1e-5f * Math.max(1f, Math.abs(x[i])), name + "[" + i + "]");
      }
    }
    assertProductsIn(precision.equals("bf16") ? DataType.DT_BFLOAT16 : DataType.DT_FLOAT, straight);
  }

  /**
   * The convolutions (forward and in the gradients) compute in {@code products}; everything a run
   * keeps or reports stays float32: variables (weights and optimizer slots) and the losses; a
   * float32 run has no bfloat16 op at all.
   */
  private static void assertProductsIn(DataType products, Path run) throws Exception {
    try (ExportedModel model = new ExportedModel(run, ExportedModel.latestCheckpoint(run))) {
      for (String type : List.of("Conv2D", "Conv2DBackpropInput", "Conv2DBackpropFilter")) {
        Map<String, DataType> convolutions = model.outputTypes(type);
        assertFalse(convolutions.isEmpty(), "no " + type + " in the graph");
        convolutions.forEach((name, t) -> assertEquals(products, t, name));
      }
      Map<String, DataType> variables = model.outputTypes("VariableV2");
      assertTrue(variables.size() >= 8, variables.keySet().toString());
      variables.forEach((name, t) -> assertEquals(DataType.DT_FLOAT_REF, t, name));
      for (var objective : model.signature().getAsJsonArray("objectives")) {
        String loss = objective.getAsJsonObject().get("loss").getAsString();
        assertEquals(DataType.DT_FLOAT, model.outputType(loss), loss);
      }
      if (products == DataType.DT_FLOAT) {
        assertTrue(model.outputTypes("Cast").values().stream().noneMatch(t -> t == DataType.DT_BFLOAT16),
            "a float32 run casts to bfloat16");
      }
    }
  }

  @Test
  void aStopRequestWritesACheckpointAndResumeFinishesTheRun() throws Exception {
    Path experiment = Experiments.ring(work, 80, 1000);
    Path run = work.resolve("stopped");
    AtomicLong seen = new AtomicLong();
    TrainingListener counter = new TrainingListener() {
      @Override
      public void stepFinished(long step, Map<String, Double> values) {
        seen.set(step);
      }
    };
    RunOutcome stopped = runner.train(experiment, new RunOptions(List.of(counter), () -> seen.get() >= 30, run, 0));
    assertEquals(RunOutcome.Status.STOPPED, stopped.status());
    assertEquals(30, stopped.step());
    assertTrue(stopped.message().contains("resume"), stopped.message());
    assertEquals("step-000000030", Files.readString(run.resolve("checkpoints/latest")).trim());
    RunOutcome resumed = runner.resume(run, options(null, 0));
    assertEquals(RunOutcome.Status.COMPLETED, resumed.status());
    assertEquals(80, resumed.step());
  }

  @Test
  void aRunWritesSampleGridsMetricsLogTensorBoardEventsAndCheckpoints() throws Exception {
    Path experiment = Experiments.write(work, "dcgan.yaml", """
        architecture: {name: dcgan, base_width: 8}
        dataset: {name: fashion-mnist}
        training: {steps: 4, batch: 8, seed: 3}
        output: {log_every: 2, sample_every: 2, checkpoint_every: 2, grid: 16}
        """);
    Path run = work.resolve("dcgan");
    RunOutcome outcome = runner.train(experiment, options(run, 0));
    assertEquals(RunOutcome.Status.COMPLETED, outcome.status(), outcome.message());
    assertTrue(Files.size(run.resolve("samples/step-000000002.png")) > 100);
    java.awt.image.BufferedImage grid = javax.imageio.ImageIO.read(run.resolve("samples/step-000000004.png").toFile());
    assertEquals(3 * (4 * 34 + 2), grid.getWidth(), "4 columns of 32 px with 2 px borders, enlarged 3 times to be seen");
    List<String> log = Files.readAllLines(run.resolve("metrics.jsonl"));
    assertEquals(2, log.size());
    assertTrue(log.get(1).contains("\"step\":4") && log.get(1).contains("\"generator\""), log.get(1));
    try (var events = Files.list(run.resolve("tensorboard"))) {
      Path file = events.filter(p -> p.getFileName().toString().startsWith("events.out.tfevents")).findFirst().orElseThrow();
      assertTrue(Files.size(file) > 1000, "event file too small to hold scalars and an image");
    }
    assertTrue(Files.exists(run.resolve("checkpoints/step-000000004/ckpt.index")));
    assertTrue(Files.exists(run.resolve("checkpoints/step-000000002/state.json")));
    Path sampled = runner.sample(run, 9, 1, work.resolve("nine.png"));
    assertEquals(3 * (3 * 34 + 2), javax.imageio.ImageIO.read(sampled.toFile()).getWidth());
  }

  @Test
  void styleganSamplesTruncatedGridsAndMixingAndInterpolationStripsFromEachSeedsOwnLatent() throws Exception {
    Path experiment = Experiments.write(work, "stylegan.yaml", """
        architecture: {name: stylegan, channels: 8, style_size: 16, latent_size: 16, mapping_layers: 1}
        dataset: {name: fashion-mnist, resolution: 32}
        training: {steps: 2, batch: 4, seed: 3}
        output: {log_every: 1, sample_every: 1000, checkpoint_every: 2, sample_scale: 1}
        """);
    Path run = work.resolve("stylegan");
    RunOutcome outcome = runner.train(experiment, options(run, 0));
    assertEquals(RunOutcome.Status.COMPLETED, outcome.status(), outcome.message());
    BufferedImage seed3 = image(runner.sample(run, 1, 3, work.resolve("three.png")));
    BufferedImage seed5 = image(runner.sample(run, 1, 5, work.resolve("five.png")));

    BufferedImage average = image(runner.sample(run,
        new SampleOptions(4, 1, 0, List.of(), List.of(), 0, work.resolve("average.png"))));
    assertEquals(2 * 34 + 2, average.getWidth());
    for (int tile = 1; tile < 4; tile++) {
      assertTrue(sameTile(average, 0, average, tile, 0), "psi 0 drew tile " + tile + " unlike tile 0");
    }
    assertFalse(sameTile(average, 0, seed3, 0, 2), "psi 0 drew seed 3's own image");

    BufferedImage mix = image(runner.sample(run,
        new SampleOptions(0, 1, 1, List.of(3L, 5L), List.of(), 0, work.resolve("mix.png"))));
    assertEquals(9 * 34 + 2, mix.getWidth(), "one frame per crossover: 9 for 8 style inputs");
    assertTrue(sameTile(mix, 0, seed3, 0, 0) && sameTile(mix, 8, seed5, 0, 0), "the strip runs from seed 3 to 5");

    BufferedImage path = image(runner.sample(run,
        new SampleOptions(0, 1, 1, List.of(), List.of(3L, 5L), 4, work.resolve("path.png"))));
    assertEquals(4 * 34 + 2, path.getWidth());
    assertTrue(sameTile(path, 0, seed3, 0, 2) && sameTile(path, 3, seed5, 0, 2), "the path runs from seed 3 to 5");
  }

  private static BufferedImage image(Path png) throws Exception {
    return javax.imageio.ImageIO.read(png.toFile());
  }

  /** Whether tile {@code i} of one picture and tile {@code j} of another differ by at most {@code levels} anywhere. */
  private static boolean sameTile(BufferedImage a, int i, BufferedImage b, int j, int levels) {
    int columnsA = (a.getWidth() - 2) / 34;
    int columnsB = (b.getWidth() - 2) / 34;
    for (int y = 0; y < 32; y++) {
      for (int x = 0; x < 32; x++) {
        int p = a.getRaster().getSample(2 + i % columnsA * 34 + x, 2 + i / columnsA * 34 + y, 0);
        int q = b.getRaster().getSample(2 + j % columnsB * 34 + x, 2 + j / columnsB * 34 + y, 0);
        if (Math.abs(p - q) > levels) {
          return false;
        }
      }
    }
    return true;
  }

  private static RunOptions options(Path runDir, long steps) {
    return new RunOptions(List.of(), () -> false, runDir, steps);
  }

  private static float[][] generate(Path run) throws Exception {
    try (ExportedModel model = new ExportedModel(run, ExportedModel.latestCheckpoint(run))) {
      return model.generate(2000, 99);
    }
  }

  private static Map<String, float[]> variables(Path run) throws Exception {
    try (ExportedModel model = new ExportedModel(run, ExportedModel.latestCheckpoint(run))) {
      return model.variables();
    }
  }

  /** How generated 2-D points sit against the ring of 8 modes of radius 2. */
  record RingFit(double nearRing, int modesHit) {
    static RingFit of(float[][] points) {
      int near = 0;
      int[] perMode = new int[8];
      for (float[] p : points) {
        double r = Math.hypot(p[0], p[1]);
        if (Math.abs(r - 2) < 0.2) {
          near++;
          double angle = Math.atan2(p[1], p[0]);
          int mode = (int) Math.floorMod(Math.round(angle / (2 * Math.PI / 8)), 8);
          perMode[mode]++;
        }
      }
      int hit = 0;
      for (int c : perMode) {
        if (c >= points.length / 100) {
          hit++;
        }
      }
      return new RingFit((double) near / points.length, hit);
    }
  }
}
