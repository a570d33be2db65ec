package org.ganymede.launcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ganymede.api.ExperimentRunner.RunOptions;
import org.ganymede.api.RunOutcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data-parallel training with two worker processes on loopback, each its own launcher with its
 * own framework and TensorFlow server: what they train, and what happens when one dies.
 */
class WorkersTest {
  private static final Pattern DIGEST = Pattern.compile("(worker 1: )?.*weights digest ([0-9a-f]{16})");
  /** The vanilla GAN has no batch statistics, so two halves of a batch train exactly as the whole does. */
  private static final String RING = """
      architecture: {name: vanilla}
      dataset: {name: ring}
      training: {steps: %d, batch: 64, seed: 3}
      output: {log_every: 1, sample_every: 100000, checkpoint_every: %d}
      """;
  @TempDir Path work;

  @Test
  void twoWorkersTrainAsOneProcessOnTheWholeBatchAndResumeExactly() throws Exception {
    Path experiment = Experiments.write(work, "ring.yaml", RING.formatted(6, 3));
    Path alone = work.resolve("alone");
    try (GanymedeHost host = GanymedeHost.start(Distribution.current(), List.of())) {
      RunOutcome outcome = host.runner().train(experiment, new RunOptions(List.of(), () -> false, alone, 0));
      assertEquals(RunOutcome.Status.COMPLETED, outcome.status(), outcome.message());
    }
    Path together = work.resolve("together");
    Workers straight = workers(List.of("train", experiment.toString(), "--run-dir", together.toString()));
    assertEquals(0, straight.code(), straight.output());
    Path resumed = work.resolve("resumed");
    Workers first = workers(List.of("train", experiment.toString(), "--run-dir", resumed.toString(), "--steps", "3"));
    assertEquals(0, first.code(), first.output());
    Workers second = workers(List.of("resume", resumed.toString()));
    assertEquals(0, second.code(), second.output());
    for (Workers w : List.of(straight, first, second)) {
      List<String> digests = w.digests();
      assertEquals(2, digests.size(), w.output());
      assertEquals(digests.get(0), digests.get(1), "the workers' weights differ: " + w.output());
    }
    assertEquals(straight.digests(), second.digests(), "a resumed run of two workers ends elsewhere");

    Map<String, float[]> single = variables(alone);
    Map<String, float[]> parallel = variables(together);
    Map<String, float[]> afterResume = variables(resumed);
    assertEquals(single.keySet(), parallel.keySet());
    for (String name : single.keySet()) {
      assertArrayEquals(parallel.get(name), afterResume.get(name), 0f, name + " after resume");
      float[] a = single.get(name);
      float[] b = parallel.get(name);
      for (int i = 0; i < a.length; i++) {
        assertEquals(a[i], b[i], 1e-5f * (1 + Math.abs(a[i])), name + "[" + i + "]: two workers and one process");
      }
    }
    // The steps compared trained: the weights moved from step 3 to step 6.
    Map<String, float[]> halfway = variables(resumed, "step-000000003");
    String weight = "dense_kernel"; // the generator's first layer
    assertNotEquals(java.util.Arrays.toString(halfway.get(weight)), java.util.Arrays.toString(single.get(weight)));
  }

  @Test
  void aWorkerThatDiesStopsTheOtherAndTheRunResumesFromItsLastCheckpoint() throws Exception {
    Path experiment = Experiments.write(work, "ring.yaml", RING.formatted(1_000_000, 5));
    Path run = work.resolve("run");
    CompletableFuture<Workers> training = CompletableFuture.supplyAsync(() -> {
      try {
        return workers(List.of("train", experiment.toString(), "--run-dir", run.toString()));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    Path latest = run.resolve("checkpoints/latest");
    for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90); !Files.exists(latest); ) {
      assertTrue(System.nanoTime() < deadline, "no checkpoint within 90 s");
      Thread.sleep(100);
    }
    ProcessHandle worker1 = ProcessHandle.current().descendants().filter(p -> commandLine(p).contains("--rank" + (char) 0 + "1" + (char) 0))
        .findFirst().orElseThrow();
    worker1.destroyForcibly();
    Workers killed = training.get(60, TimeUnit.SECONDS);
    assertNotEquals(0, killed.code());
    assertTrue(killed.output().contains("error: worker 1 (process " + worker1.pid() + ") ended with exit code"),
        killed.output());
    assertTrue(ProcessHandle.current().descendants().noneMatch(p -> p.isAlive()
        && commandLine(p).contains("--cluster")), "a worker is left running");

    long step = Long.parseLong(Files.readString(latest).trim().replace("step-", ""));
    Workers resumed = workers(List.of("resume", run.toString(), "--steps", String.valueOf(step + 5)));
    assertEquals(0, resumed.code(), resumed.output());
    assertTrue(resumed.output().contains("trained to step " + (step + 5)), resumed.output());
    assertEquals(2, resumed.digests().size(), resumed.output());
    assertEquals(resumed.digests().get(0), resumed.digests().get(1), resumed.output());
  }

  /** What two local workers printed, and their exit code. */
  private record Workers(int code, String output) {
    List<String> digests() {
      List<String> found = new ArrayList<>();
      for (String line : output.split("\\R")) {
        Matcher m = DIGEST.matcher(line);
        if (m.matches()) {
          found.add(m.group(2));
        }
      }
      return found;
    }
  }

  private static Workers workers(List<String> command) throws Exception {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream lines = new PrintStream(captured, true, StandardCharsets.UTF_8);
    int code = LocalCluster.run(command, 2, 60, lines, lines);
    return new Workers(code, captured.toString(StandardCharsets.UTF_8));
  }

  /** A process's arguments, NUL-separated (Linux; ProcessHandle shows none for a command line this long). */
  private static String commandLine(ProcessHandle process) {
    try {
      return Files.readString(Path.of("/proc/" + process.pid() + "/cmdline"), StandardCharsets.ISO_8859_1);
    } catch (java.io.IOException e) {
      return "";
    }
  }

  private static Map<String, float[]> variables(Path run) throws Exception {
    try (ExportedModel model = new ExportedModel(run, ExportedModel.latestCheckpoint(run))) {
      return model.variables();
    }
  }

  private static Map<String, float[]> variables(Path run, String checkpoint) throws Exception {
    try (ExportedModel model = new ExportedModel(run, run.resolve("checkpoints").resolve(checkpoint))) {
      return model.variables();
    }
  }
}
