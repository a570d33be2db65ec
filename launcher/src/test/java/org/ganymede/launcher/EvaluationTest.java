package org.ganymede.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.ganymede.api.Command;
import org.ganymede.api.ExperimentRunner;
import org.ganymede.api.ExperimentRunner.Evaluation;
import org.ganymede.api.ExperimentRunner.EvaluationOptions;
import org.ganymede.api.ExperimentRunner.RunOptions;
import org.ganymede.api.ParameterException;
import org.ganymede.api.RunOutcome;
import org.ganymede.api.TrainingListener;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Metrics through the framework: during training, afterwards with evaluate, and when they fail. */
class EvaluationTest {
  private static final String DCGAN = """
      name: evaluated
      architecture: {name: dcgan, base_width: 8}
      loss: non-saturating
      dataset: {name: fashion-mnist}
      metrics:
        - {name: fid, samples: 1000}
        - {name: kid, samples: 1000, subsets: 20, subset_size: 500}
        - {name: inception-score, samples: 1000}
      training: {steps: 300, batch: 32, seed: 3}
      output: {log_every: 50, sample_every: 100000, checkpoint_every: 1000}
      """;

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
  void trainingLowersFidAndKidOfTheClassifiersFeatures() throws Exception {
    Path experiment = Experiments.write(work, "dcgan.yaml", DCGAN);
    Path early = work.resolve("early");
    Path trained = work.resolve("trained");
    assertEquals(RunOutcome.Status.COMPLETED, runner.train(experiment, options(early, 1, List.of())).status());
    assertEquals(RunOutcome.Status.COMPLETED, runner.train(experiment, options(trained, 0, List.of())).status());

    Evaluation before = runner.evaluate(early, new EvaluationOptions(List.of(), 0));
    Evaluation after = runner.evaluate(trained, new EvaluationOptions(List.of(), 0));
    assertEquals(List.of(), after.failures());
    assertEquals(300, after.step());
    double fidBefore = before.values().get("metric/fid/fid");
    double fidAfter = after.values().get("metric/fid/fid");
    assertTrue(fidAfter < 0.8 * fidBefore, "FID did not fall by a fifth with training: " + fidBefore + " -> " + fidAfter);
    assertTrue(after.values().get("metric/kid/kid_mean") < before.values().get("metric/kid/kid_mean"),
        "KID did not fall: " + before.values() + " -> " + after.values());
    double is = after.values().get("metric/inception-score/is_mean");
    assertTrue(is >= 1 && is <= 10, "an inception score over 10 classes lies in [1, 10]: " + is);

    // The file holds what was returned, and the training run logged the same FID at its last step.
    JsonObject written = JsonParser.parseString(Files.readString(after.file())).getAsJsonObject();
    assertEquals(300, written.get("step").getAsLong());
    assertEquals(fidAfter, written.getAsJsonObject("values").get("metric/fid/fid").getAsDouble(), 0);
    String lastLine = Files.readAllLines(trained.resolve("metrics.jsonl")).stream()
        .filter(l -> l.contains("\"metrics\"")).reduce((a, b) -> b).orElseThrow();
    assertEquals(fidAfter, JsonParser.parseString(lastLine).getAsJsonObject().get("metric/fid/fid").getAsDouble(),
        1e-6 * fidAfter, "evaluate and the run's own evaluation see the same samples");
  }

  @Test
  void failingMetricsAndExtractorsAreReportedAndTrainingGoesOn() throws Exception {
    Path experiment = Experiments.write(work, "failing.yaml", """
        architecture: {name: dcgan, base_width: 8}
        dataset: {name: fashion-mnist}
        metrics:
          - {name: fid, samples: 50}
          - {name: kid, samples: 200}
          - {name: precision-recall, samples: 200, features: {name: saved-model, path: no-such-model}}
          - {name: density-coverage, samples: 200}
        training: {steps: 4, batch: 16, seed: 3}
        output: {log_every: 2, sample_every: 100000, checkpoint_every: 1000, metrics_every: 2}
        """);
    List<String> warnings = new CopyOnWriteArrayList<>();
    TrainingListener listener = new TrainingListener() {
      @Override
      public void warning(String message) {
        warnings.add(message);
      }
    };
    RunOutcome outcome = runner.train(experiment, options(work.resolve("run"), 0, List.of(listener)));
    assertEquals(RunOutcome.Status.COMPLETED, outcome.status(), outcome.message());
    assertEquals(4, outcome.step());
    // Two evaluations, three failures each: FID wants 129 samples, KID's 1000-sample subsets want
    // 1000, the SavedModel does not exist; density and coverage are computed.
    assertEquals(6, warnings.size(), warnings.toString());
    assertTrue(warnings.stream().anyMatch(w -> w.contains("fid") && w.contains("129")), warnings.toString());
    assertTrue(warnings.stream().anyMatch(w -> w.contains("kid") && w.contains("1000")), warnings.toString());
    assertTrue(warnings.stream().anyMatch(w -> w.contains("precision-recall") && w.contains("no-such-model")),
        warnings.toString());
    String log = Files.readString(work.resolve("run").resolve("metrics.jsonl"));
    assertTrue(log.contains("metric/density-coverage/coverage"), log);
  }

  @Test
  void evaluateComputesNamedMetricsAndRejectsUnknownOnes() throws Exception {
    Path ring = Experiments.ring(work, 20, 20);
    Path run = work.resolve("ring");
    assertEquals(RunOutcome.Status.COMPLETED, runner.train(ring, options(run, 0, List.of())).status());

    Evaluation coverage = runner.evaluate(run, new EvaluationOptions(List.of("mode-coverage"), 500));
    assertEquals(List.of(), coverage.failures());
    double modes = coverage.values().get("metric/mode-coverage/modes_covered");
    assertTrue(modes >= 0 && modes <= 8, "modes covered: " + modes);
    assertTrue(Files.isRegularFile(run.resolve("evaluation-step-000000020.json")));

    ParameterException unknown = assertThrows(ParameterException.class,
        () -> runner.evaluate(run, new EvaluationOptions(List.of("fjd"), 0)));
    assertTrue(unknown.getMessage().contains("fjd") && unknown.getMessage().contains("fid"), unknown.getMessage());
    ParameterException none = assertThrows(ParameterException.class,
        () -> runner.evaluate(run, new EvaluationOptions(List.of(), 0)));
    assertTrue(none.getMessage().contains("--metric"), none.getMessage());
  }

  @Test
  void bundlesContributeCommandsThatCheckTheirArguments() throws Exception {
    Command trainClassifier = host.service(Command.class, "train-classifier");
    assertNotNull(trainClassifier, "the metrics bundle registers train-classifier");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = trainClassifier.run(List.of("--epochs", "many"), new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(2, status);
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("--epochs"), err.toString(StandardCharsets.UTF_8));
    assertTrue(runner.plugins().stream().anyMatch(p -> p.kind().equals("command") && p.name().equals("train-classifier")));
  }

  private static RunOptions options(Path runDir, long steps, List<TrainingListener> listeners) {
    return new RunOptions(listeners, () -> false, runDir, steps);
  }

  /**
   * Metrics on one's own samples, as pytorch-fid compares two folders: a set against itself in
   * another order has FID 0, a folder of noise images is far from Fashion-MNIST, and sets of two
   * shapes are refused.
   */
  @Test
  void metricsCompareTwoSetsOfOnesOwnSamples() throws Exception {
    String items = "{name: fashion-mnist, resolution: 28, limit_per_class: 30}";
    Evaluation same = runner.compare(new ExperimentRunner.Comparison(items, items, List.of("fid"), 0,
        work.resolve("same.json")));
    assertEquals(List.of(), same.failures());
    assertEquals(0, same.values().get("metric/fid/fid"), 1e-2, same.values().toString());
    assertTrue(Files.readString(work.resolve("same.json")).contains("\"metric/fid/fid\""));

    Path noise = Files.createDirectories(work.resolve("noise"));
    java.util.SplittableRandom random = new java.util.SplittableRandom(3);
    for (int i = 0; i < 300; i++) {
      java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(28, 28,
          java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
      for (int y = 0; y < 28; y++) {
        for (int x = 0; x < 28; x++) {
          image.getRaster().setSample(x, y, 0, random.nextInt(256));
        }
      }
      javax.imageio.ImageIO.write(image, "png", noise.resolve(String.format("%03d.png", i)).toFile());
    }
    Evaluation far = runner.compare(new ExperimentRunner.Comparison(items, noise.toString(), List.of("fid"), 0, null));
    assertEquals(List.of(), far.failures());
    assertTrue(far.values().get("metric/fid/fid") > 100, far.values().toString());

    String shapes = assertThrows(ParameterException.class,
        () -> runner.compare(new ExperimentRunner.Comparison("{name: fashion-mnist, resolution: 32}", noise.toString(),
            List.of("fid"), 0, null))).getMessage();
    assertTrue(shapes.contains("compare samples of one shape"), shapes);
  }

  /**
   * Metrics on feature matrices of one's own extractor (.npy files): the FID of two Gaussians of
   * unit covariance is the squared distance of their means, and what features cannot serve is refused.
   */
  @Test
  void metricsCompareFeatureMatricesOfOnesOwnExtractor() throws Exception {
    Path real = npy(work.resolve("real.npy"), gaussian(4000, new double[] {0, 0, 0, 0}, 5));
    Path fake = npy(work.resolve("fake.npy"), gaussian(4000, new double[] {1, 1, 0, 0}, 6));
    Evaluation shifted = runner.compare(new ExperimentRunner.Comparison(real.toString(), fake.toString(),
        List.of("fid", "precision-recall"), 0, work.resolve("features.json")));
    assertEquals(List.of(), shifted.failures());
    assertEquals(2.0, shifted.values().get("metric/fid/fid"), 0.15, shifted.values().toString());
    assertTrue(shifted.values().get("metric/precision-recall/precision") < 0.95, shifted.values().toString());
    // Every row of both, in two orders.
    Evaluation same = runner.compare(new ExperimentRunner.Comparison(real.toString(), real.toString(), List.of("fid"),
        0, null));
    assertEquals(0, same.values().get("metric/fid/fid"), 1e-3, same.values().toString());

    String mixed = assertThrows(ParameterException.class, () -> runner.compare(new ExperimentRunner.Comparison(
        "{name: fashion-mnist}", fake.toString(), List.of("fid"), 0, null))).getMessage();
    assertTrue(mixed.contains("must both be .npy feature matrices or both be samples"), mixed);
    String classifier = assertThrows(ParameterException.class, () -> runner.compare(new ExperimentRunner.Comparison(
        real.toString(), fake.toString(), List.of("inception-score"), 0, null))).getMessage();
    assertTrue(classifier.contains("reads class probabilities") && classifier.contains("choose metrics of features"),
        classifier);
    Path narrow = npy(work.resolve("narrow.npy"), gaussian(100, new double[] {0, 0}, 7));
    String widths = assertThrows(ParameterException.class, () -> runner.compare(new ExperimentRunner.Comparison(
        real.toString(), narrow.toString(), List.of("fid"), 0, null))).getMessage();
    assertTrue(widths.contains("--real holds 4 features a row and --fake 2"), widths);
  }

  private static double[][] gaussian(int rows, double[] mean, long seed) {
    java.util.Random random = new java.util.Random(seed);
    double[][] matrix = new double[rows][mean.length];
    for (double[] row : matrix) {
      for (int j = 0; j < mean.length; j++) {
        row[j] = mean[j] + random.nextGaussian();
      }
    }
    return matrix;
  }

  /** The matrix as numpy.save writes float64 ones: format 1.0, the header padded to 64 bytes. */
  private static Path npy(Path file, double[][] matrix) throws Exception {
    String dictionary = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + matrix.length + ", " + matrix[0].length
        + "), }";
    int padded = (10 + dictionary.length() + 1 + 63) / 64 * 64;
    String header = dictionary + " ".repeat(padded - 10 - dictionary.length() - 1) + "\n";
    java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(padded + matrix.length * matrix[0].length * 8)
        .order(java.nio.ByteOrder.LITTLE_ENDIAN);
    bytes.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length())
        .put(header.getBytes(StandardCharsets.ISO_8859_1));
    for (double[] row : matrix) {
      for (double v : row) {
        bytes.putDouble(v);
      }
    }
    return Files.write(file, bytes.array());
  }
}
