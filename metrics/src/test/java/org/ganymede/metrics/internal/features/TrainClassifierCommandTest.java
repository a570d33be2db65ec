package org.ganymede.metrics.internal.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.ganymede.api.DataSpec;
import org.ganymede.api.Dataset;
import org.ganymede.api.FeatureExtractor.Extraction;
import org.ganymede.api.FeatureExtractor.Features;
import org.ganymede.datasets.internal.FashionMnistProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train-classifier on a few hundred images: a quick run end to end, and arguments it refuses. */
class TrainClassifierCommandTest {
  private static final int TRAIN_IMAGES = 640;

  @TempDir
  static Path folder;
  private static Path data;

  @BeforeAll
  static void writeASmallTrainSplit() throws Exception {
    data = Files.createDirectories(folder.resolve("data"));
    FashionMnistFiles.writeTrainSplit(data, TRAIN_IMAGES);
  }

  @Test
  void trainsWritesAGraphTheExtractorLoadsAndReportsEachEpoch() throws Exception {
    Path out = folder.resolve("classifier.pb");
    Run run = run("--data", data.toString(), "--out", out.toString(), "--epochs", "2", "--batch", "64",
        "--seed", "3", "--test-limit", "1000");
    assertEquals(0, run.status, run.err);
    assertTrue(run.out.contains("first 1000"), run.out);
    assertTrue(run.out.contains("epoch 1/2: loss "), run.out);
    assertTrue(run.out.contains("epoch 2/2: loss "), run.out);
    assertTrue(run.out.contains("wrote " + out), run.out);
    try (Stream<Path> files = Files.list(folder)) {
      assertEquals(List.of(), files.filter(f -> f.getFileName().toString().endsWith(".tmp")).toList(),
          "temporary files left behind");
    }

    // The written graph is what the extractor runs; twenty steps already beat chance by far.
    byte[] graph = Files.readAllBytes(out);
    try (Dataset test = FashionMnistFiles.test(32);
        Extraction e = FrozenClassifier.load(graph, DataSpec.image(32, 32, 1, 10))) {
      float[][] rows = new float[500][32 * 32];
      for (int i = 0; i < rows.length; i++) {
        test.read(i, rows[i], 0);
      }
      Features f = e.extract(rows);
      assertEquals(128, f.features()[0].length);
      int correct = 0;
      for (int i = 0; i < rows.length; i++) {
        if (ClassifierTraining.argmax(f.classProbabilities()[i], 0, 10) == test.label(i)) {
          correct++;
        }
      }
      assertTrue(correct > 0.4 * rows.length, "classified " + correct + " of " + rows.length);
    }
  }

  @Test
  void limitTrainsOnTheFirstImagesOnly() throws Exception {
    Path out = folder.resolve("limited.pb");
    Run run = run("--data", data.toString(), "--out", out.toString(), "--epochs", "1", "--batch", "32",
        "--limit", "64", "--test-limit", "100");
    assertEquals(0, run.status, run.err);
    assertTrue(run.out.contains("640 images, 28x28x1 (10 classes), first 64"), run.out);
    assertTrue(Files.size(out) > 1_000_000, "graph of " + Files.size(out) + " bytes");
  }

  @Test
  void badArgumentsReturnTwoAndSayWhatIsAllowed() throws Exception {
    Path out = folder.resolve("never.pb");
    assertUsage(List.of(), "--out");
    assertUsage(List.of("--out", out.toString(), "--epochs", "0"), "--epochs is 0; it must be 1 or more");
    assertUsage(List.of("--out", out.toString(), "--epochs", "many"), "'many'", "--epochs");
    assertUsage(List.of("--out", out.toString(), "--batch", "-4"), "--batch is -4; it must be 1 or more");
    assertUsage(List.of("--out", out.toString(), "--learning-rate", "0"), "--learning-rate is 0.0");
    assertUsage(List.of("--out", out.toString(), "--limit", "0"), "--limit is 0");
    assertUsage(List.of("--out", out.toString(), "--test-limit", "0"), "--test-limit is 0");
    assertUsage(List.of("--out", out.toString(), "--data", folder.resolve("absent").toString()), "--data", "not a folder");
    assertUsage(List.of("--out", folder.resolve("absent").resolve("x.pb").toString()), "--out", "folder does not exist");
    assertUsage(List.of("--out", folder.toString()), "--out", "which is a folder");
    assertUsage(List.of("--out", out.toString(), "--colour", "blue"), "--colour");
    assertFalse(Files.exists(out));
  }

  @Test
  void helpPrintsTheOptions() throws Exception {
    Run run = run("--help");
    assertEquals(0, run.status);
    for (String option : List.of("--out", "--epochs", "--batch", "--seed", "--learning-rate", "--data", "--limit", "--test-limit")) {
      assertTrue(run.out.contains(option), option + " missing from: " + run.out);
    }
  }

  @Test
  void aDataFolderWithoutTheTrainFilesIsAnErrorNotAUsageError() throws Exception {
    Path empty = Files.createDirectories(folder.resolve("no-files"));
    Run run = run("--data", empty.toString(), "--out", folder.resolve("none.pb").toString());
    assertEquals(1, run.status, run.err);
    assertTrue(run.err.contains("train-images-idx3-ubyte.gz"), run.err);
  }

  private static void assertUsage(List<String> arguments, String... parts) throws Exception {
    Run run = run(arguments.toArray(String[]::new));
    assertEquals(2, run.status, "status for " + arguments);
    for (String part : parts) {
      assertTrue(run.err.contains(part), "'" + part + "' missing from: " + run.err);
    }
    assertTrue(run.err.contains("Usage: train-classifier"), run.err);
  }

  private record Run(int status, String out, String err) {}

  private static Run run(String... arguments) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      status = new TrainClassifierCommand(new FashionMnistProvider()).run(List.of(arguments), o, e);
    }
    return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
