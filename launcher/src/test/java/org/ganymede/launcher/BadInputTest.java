package org.ganymede.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.ganymede.api.ExperimentRunner;
import org.ganymede.api.ExperimentRunner.RunOptions;
import org.ganymede.api.ParameterException;
import org.ganymede.api.RunOutcome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input gets an error that says what is wrong and what is allowed, and loses nothing. */
class BadInputTest {
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
  void aPluginThatFailsToActivateIsNamedWithItsReasonAndTheOthersGoOn() throws Exception {
    host.installAndStart(List.of(TestBundles.failingArchitecture(work, "failing", "no weights for you")));
    String message = failure("architecture: failing\ndataset: ring\n").getMessage();
    assertTrue(message.contains("architecture 'failing' of bundle com.example.failing 1.0.0 failed to activate")
        && message.contains("no weights for you"), message);
    Path experiment = Experiments.ring(work, 5, 5);
    assertEquals(RunOutcome.Status.COMPLETED,
        runner.train(experiment, new RunOptions(List.of(), () -> false, work.resolve("after"), 0)).status());
  }

  @Test
  void aPluginImportingAPackageNobodyExportsIsReportedByName() throws Exception {
    GanymedeHost fresh = GanymedeHost.start(Distribution.current(), List.of("losses"));
    try (fresh) {
      fresh.installAndStart(List.of(TestBundles.importing(work.resolve("lonely.jar"), "com.example.lonely",
          "com.example.nowhere;version=\"[1.0,2)\"")));
      assertEquals(List.of("com.example.lonely 1.0.0 did not start: it imports com.example.nowhere [1.0.0,2.0.0), which "
          + "no bundle and not the host exports"), fresh.problems());
    }
  }

  @Test
  void anUnknownArchitectureNameListsTheNamesThatExistAndTheirBundles() throws Exception {
    String message = failure("architecture: dcgan2\ndataset: ring\n").getMessage();
    assertTrue(message.contains("no architecture named 'dcgan2'"), message);
    assertTrue(message.contains("dcgan (org.ganymede.dcgan") && message.contains("vanilla (org.ganymede.vanilla"), message);
  }

  @Test
  void anUnknownLossOrDatasetNameListsTheNamesThatExist() throws Exception {
    String loss = failure("architecture: vanilla\nloss: nonsaturating\ndataset: ring\n").getMessage();
    assertTrue(loss.contains("no loss named 'nonsaturating'") && loss.contains("non-saturating (org.ganymede.losses"), loss);
    String dataset = failure("architecture: vanilla\ndataset: rings\n").getMessage();
    assertTrue(dataset.contains("no dataset named 'rings'") && dataset.contains("ring (org.ganymede.datasets"), dataset);
  }

  @Test
  void anUnknownKeyInTheExperimentFileListsTheAllowedKeys() throws Exception {
    String top = failure("architecture: vanilla\ndataset: ring\ntrainig: {steps: 5}\n").getMessage();
    assertTrue(top.contains("unknown key trainig") && top.contains("allowed: name, bundles, architecture"), top);
    String nested = failure("architecture: vanilla\ndataset: ring\ntraining: {step: 5}\n").getMessage();
    assertTrue(nested.contains("unknown key step in training") && nested.contains("steps, batch, critic_steps"), nested);
  }

  @Test
  void anUnknownPluginParameterListsTheParametersThePluginReads() throws Exception {
    String message = failure("architecture: {name: vanilla, widht: 64}\ndataset: ring\n").getMessage();
    assertTrue(message.contains("architecture 'vanilla': unknown parameter widht"), message);
    assertTrue(message.contains("allowed:") && message.contains("width") && message.contains("depth"), message);
  }

  @Test
  void dataThatDoNotFitTheArchitectureAreRefused() throws Exception {
    // The architecture refuses while the graph is built: its own error, not Guice's wrapping of it.
    Exception e = failure("architecture: dcgan\ndataset: ring\n");
    assertTrue(e instanceof ParameterException, e.toString());
    assertTrue(e.getMessage().toLowerCase().contains("dcgan"), e.getMessage());
  }

  @Test
  void aMissingOrCorruptDatasetFileIsNamedWithTheProblem() throws Exception {
    Path missing = work.resolve("nowhere-images-idx3-ubyte.gz");
    Exception e = failure("architecture: vanilla\ndataset: {name: idx, images: " + missing + "}\n");
    assertTrue(e instanceof IOException, e.toString());
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());

    Path corrupt = work.resolve("corrupt-images-idx3-ubyte.gz");
    Files.write(corrupt, new byte[] {0x1f, (byte) 0x8b, 8, 0, 1, 2, 3, 4, 5, 6, 7});
    Exception c = failure("architecture: vanilla\ndataset: {name: idx, images: " + corrupt + "}\n");
    assertTrue(c instanceof IOException && c.getMessage().contains(corrupt.toString()), c.toString());
  }

  @Test
  void aRunFolderThatHoldsAnotherExperimentIsRefusedAndKeptAsItWas() throws Exception {
    Path run = work.resolve("run");
    Path first = Experiments.ring(work, 5, 5);
    assertEquals(RunOutcome.Status.COMPLETED, runner.train(first, options(run)).status());
    Map<Path, Long> before = sizes(run);
    Path other = Experiments.write(work, "other.yaml",
        Files.readString(first).replace("batch: 128", "batch: 64"));
    ParameterException e = assertThrows(ParameterException.class, () -> runner.train(other, options(run)));
    assertTrue(e.getMessage().contains("already holds a different experiment"), e.getMessage());
    assertEquals(before, sizes(run));
    ParameterException again = assertThrows(ParameterException.class, () -> runner.train(first, options(run)));
    assertTrue(again.getMessage().contains("resume"), again.getMessage());
  }

  @Test
  void aLossThatTurnsNanStopsTheRunSaysWhenAndKeepsTheLastGoodCheckpoint() throws Exception {
    Path experiment = Experiments.write(work, "nan.yaml", """
        architecture: {name: vanilla}
        dataset: {name: ring}
        training:
          steps: 50
          batch: 64
          optimizers:
            generator: {lr: 1.0e+30}
        output: {checkpoint_every: 1, keep_checkpoints: 2}
        """);
    Path run = work.resolve("nan");
    RunOutcome outcome = runner.train(experiment, options(run));
    assertEquals(RunOutcome.Status.DIVERGED, outcome.status());
    assertTrue(outcome.message().matches(".*loss became (NaN|Infinity|-Infinity) at step " + outcome.step() + ".*"),
        outcome.message());
    List<String> log = Files.readAllLines(run.resolve("metrics.jsonl"));
    String last = log.get(log.size() - 1);
    assertTrue(last.startsWith("{\"step\":" + outcome.step() + ",\"kind\":\"train\"")
        && (last.contains("NaN") || last.contains("Infinity")), "the diverged step is logged, for readers of the folder: "
        + last);
    String latest = Files.readString(run.resolve("checkpoints/latest")).trim();
    assertEquals(String.format("step-%09d", outcome.step() - 1), latest);
    assertTrue(outcome.message().contains(latest), outcome.message());
    try (ExportedModel model = new ExportedModel(run, run.resolve("checkpoints").resolve(latest))) {
      for (Map.Entry<String, float[]> v : model.variables().entrySet()) {
        for (float x : v.getValue()) {
          assertTrue(Float.isFinite(x), v.getKey() + " holds a non-finite value in the kept checkpoint");
        }
      }
    }
  }

  @Test
  void anExperimentThatSelectsAMissingBundleListsTheBundlesThere() throws Exception {
    ParameterException e = assertThrows(ParameterException.class,
        () -> PluginSelection.choose(Distribution.current().pluginBundles(), List.of("dcgan", "progan")));
    assertTrue(e.getMessage().contains("'progan'") && e.getMessage().contains("dcgan") && e.getMessage().contains("losses"),
        e.getMessage());
  }

  @Test
  void resumingAFolderThatIsNotARunSaysSo() {
    ParameterException e = assertThrows(ParameterException.class, () -> runner.resume(work, options(null)));
    assertTrue(e.getMessage().contains("is not a run folder"), e.getMessage());
  }

  private Exception failure(String experiment) throws IOException {
    Path file = Experiments.write(work, "bad.yaml", experiment + "training: {steps: 2, batch: 8}\n"
        .replace("training: {steps: 2, batch: 8}\n", experiment.contains("training") ? "" : "training: {steps: 2, batch: 8}\n"));
    Path run = work.resolve("bad-run");
    Exception e = assertThrows(Exception.class, () -> runner.train(file, options(run)));
    assertTrue(!Files.exists(run.resolve("checkpoints")), "a refused experiment left a run behind");
    return e;
  }

  private static RunOptions options(Path runDir) {
    return new RunOptions(List.of(), () -> false, runDir, 0);
  }

  private static Map<Path, Long> sizes(Path dir) throws IOException {
    Map<Path, Long> sizes = new java.util.TreeMap<>();
    try (var files = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        if (Files.isRegularFile(p)) {
          sizes.put(dir.relativize(p), Files.size(p));
        }
      }
    }
    return sizes;
  }
}
