package org.ganymede.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.inject.Guice;
import com.google.inject.Injector;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ganymede.api.Checkpoint;
import org.ganymede.api.Metric;
import org.ganymede.api.Parameters;
import org.ganymede.api.RunOutcome;
import org.ganymede.api.TrainingListener;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * A run's folder under the faults users meet: a disk that fills while a checkpoint is written, a
 * damaged newest checkpoint, and the best checkpoint by a metric kept while newer ones come and
 * go. The climbing model raises its variable "every" by exactly 0.1 a step, so the checkpoint
 * restored shows which step's weights came back.
 */
class RunFolderTest {
  @TempDir Path work;

  /**
   * On a 1 MiB tmpfs filled to the last page (or, where this process may not mount, a checkpoint
   * folder made read-only), a checkpoint write fails: the run stops naming it and the cause, the
   * previous checkpoint and 'latest' are untouched, and once there is room it resumes and ends
   * exactly as a run that was never interrupted.
   */
  @Test
  void aCheckpointWriteThatFailsStopsTheRunAndLosesNothing() throws Exception {
    Path disk = Files.createDirectories(work.resolve("disk"));
    boolean mounted = mount(disk);
    boolean root = "root".equals(System.getProperty("user.name"));
    Assumptions.assumeTrue(mounted || !root, "needs a tmpfs mount, or a user whom a read-only folder stops");
    try {
      Path run = disk.resolve("run");
      assertEquals(RunOutcome.Status.COMPLETED, train(run, 10, null).status());
      Path filler = run.resolve("filler");
      if (mounted) {
        fill(filler);
      } else {
        run.resolve("checkpoints").toFile().setWritable(false);
      }

      IOException failed = assertThrows(IOException.class, () -> resume(run, 15, Checkpoint.latest(), new ArrayList<>()));
      assertTrue(failed.getMessage().startsWith("writing checkpoint step-000000015 in " + run.resolve("checkpoints")
          + " failed: "), failed.getMessage());
      assertTrue(failed.getMessage().contains(mounted ? "No space left on device" : "denied"), failed.getMessage());
      assertTrue(failed.getMessage().endsWith("training stopped at step 15; the last good checkpoint, step-000000010, "
          + "and 'latest' are kept in " + run.resolve("checkpoints") + "; make room (or make the folder writable) and "
          + "continue with 'ganymede resume " + run + "'"), failed.getMessage());
      RunDirectory directory = new RunDirectory(run);
      assertEquals("step-000000010", directory.latestCheckpoint().orElseThrow().getFileName().toString());
      assertEquals(java.util.Optional.empty(), CheckpointFiles.damage(directory.latestCheckpoint().orElseThrow()));

      if (mounted) {
        Files.delete(filler);
      } else {
        run.resolve("checkpoints").toFile().setWritable(true);
      }
      assertEquals(RunOutcome.Status.COMPLETED, resume(run, 15, Checkpoint.latest(), new ArrayList<>()).status());
      Path uninterrupted = work.resolve("uninterrupted");
      train(uninterrupted, 15, null);
      assertEquals(every(uninterrupted, 15), every(run, 15), 0);
      assertEquals(1.5f, every(run, 15), 1e-5);
    } finally {
      if (mounted) {
        new ProcessBuilder("umount", disk.toString()).inheritIO().start().waitFor();
      }
    }
  }

  /** The newest checkpoint truncated: resume says so, goes back to the one before and trains the lost steps again. */
  @Test
  void aDamagedNewestCheckpointIsResumedFromTheOneBefore() throws Exception {
    Path run = work.resolve("run");
    train(run, 10, null);
    Path newest = run.resolve("checkpoints").resolve("step-000000010");
    Path data = newest.resolve("ckpt.data-00000-of-00001");
    Files.write(data, java.util.Arrays.copyOf(Files.readAllBytes(data), 3));
    List<String> warnings = new ArrayList<>();
    assertEquals(RunOutcome.Status.COMPLETED, resume(run, 12, Checkpoint.latest(), warnings).status());
    assertEquals(List.of("checkpoint step-000000010 is damaged: ckpt.data-00000-of-00001 has 3 bytes, "
        + Files.size(run.resolve("checkpoints").resolve("step-000000012").resolve("ckpt.data-00000-of-00001"))
        + " were written; resuming from step-000000005, the newest intact one: 5 steps are lost and will be trained "
        + "again"), warnings);
    assertEquals(1.2f, every(run, 12), 1e-5);
  }

  /** A metrics log whose last line a killed process cut short: resume drops that line, says so, and goes on. */
  @Test
  void aMetricsLogCutShortIsResumedWithWhatIsReadable() throws Exception {
    Path run = work.resolve("run");
    train(run, 10, null);
    Path log = run.resolve("metrics.jsonl");
    byte[] bytes = Files.readAllBytes(log);
    Files.write(log, java.util.Arrays.copyOf(bytes, bytes.length - 30));
    List<String> warnings = new ArrayList<>();
    assertEquals(RunOutcome.Status.COMPLETED, resume(run, 12, Checkpoint.latest(), warnings).status());
    assertTrue(warnings.stream().anyMatch(w -> w.equals("metrics log " + log + ": line 11 of 11 cannot be read (cut "
        + "short when a run was killed while writing, say) and is dropped; the other lines are kept")), warnings.toString());
    List<Long> steps = new ArrayList<>();
    for (String line : Files.readAllLines(log)) {
      JsonObject json = JsonParser.parseString(line).getAsJsonObject();
      if (json.get("kind").getAsString().equals("train")) {
        steps.add(json.get("step").getAsLong());
      }
    }
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L), steps);
  }

  /**
   * A metric, the distance of the generated mean from 0.45, is best at step 4 or 5 of 12; with one
   * checkpoint kept, the best one stays besides the newest, the state names it, and choosing it
   * restores its weights.
   */
  @Test
  void theBestCheckpointByAMetricIsKeptAndChosen() throws Exception {
    Path run = work.resolve("run");
    train(run, 12, "keep_checkpoints: 1, keep_best: {metric: distance/distance, mode: min}, metrics_every: 1");
    List<JsonObject> metrics = new ArrayList<>();
    for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
      JsonObject json = JsonParser.parseString(line).getAsJsonObject();
      if (json.get("kind").getAsString().equals("metrics")) {
        metrics.add(json);
      }
    }
    assertEquals(12, metrics.size());
    JsonObject lowest = metrics.stream().min(java.util.Comparator.comparingDouble(
        j -> j.get("metric/distance/distance").getAsDouble())).orElseThrow();
    long bestStep = lowest.get("step").getAsLong();
    assertTrue(bestStep > 1 && bestStep < 12, "the metric is best inside the run, at " + bestStep);

    RunDirectory directory = new RunDirectory(run);
    RunState.Best best = RunDirectory.readState(directory.latestCheckpoint().orElseThrow()).best();
    assertEquals(new RunState.Best(RunDirectory.checkpointName(bestStep), bestStep, "metric/distance/distance", "min",
        lowest.get("metric/distance/distance").getAsDouble()), best);
    assertEquals(List.of("step-000000012", RunDirectory.checkpointName(bestStep)),
        directory.checkpointFolders().stream().map(p -> p.getFileName().toString()).toList());
    Path chosen = directory.choose(Checkpoint.best(), "sample from");
    assertEquals(0.1f * bestStep, everyAt(chosen), 1e-5);
    assertFalse(Files.exists(run.resolve("checkpoints").resolve(RunDirectory.checkpointName(bestStep - 1))));
  }

  private RunOutcome train(Path run, long steps, String output) throws Exception {
    return run(run, steps, output, null, List.of());
  }

  private RunOutcome resume(Path run, long steps, Checkpoint choice, List<String> warnings) throws Exception {
    return run(run, steps, null, choice, List.of(new TrainingListener() {
      @Override
      public void warning(String message) {
        warnings.add(message);
      }
    }));
  }

  private RunOutcome run(Path run, long steps, String output, Checkpoint resumeFrom, List<TrainingListener> listeners)
      throws Exception {
    RunDirectory directory = new RunDirectory(run);
    Experiment experiment = resumeFrom != null
        ? ExperimentParser.parse(Files.readString(directory.experimentFile()), "folder", "test")
        : ExperimentParser.parse("""
            architecture: climbing
            dataset: constant
            metrics: [distance]
            training: {steps: %d, batch: 2, seed: 1}
            output: {log_every: 1, sample_every: 1000, checkpoint_every: 5, %s}
            """.formatted(steps, output == null ? "" : output), "folder", "test");
    RunState start = RunState.START;
    Path checkpoint = null;
    if (resumeFrom != null) {
      checkpoint = directory.toResume(resumeFrom, new Listeners(listeners)::warning);
      start = RunDirectory.readState(checkpoint);
    } else {
      directory.createFor(experiment);
    }
    List<Evaluator.SelectedMetric> metrics = List.of(new Evaluator.SelectedMetric("distance", new Distance(),
        Parameters.empty("metric 'distance'"), 8, null, false, false, null));
    RunModule.Selection selection = new RunModule.Selection(new ClimbingArchitecture(),
        Parameters.empty("architecture 'climbing'"), new UnusedLoss(), List.of(), List.of(), new ConstantData(), metrics,
        List.of(), List.of());
    Injector injector = Guice.createInjector(new RunModule(experiment.withDefaultLoss(null), directory, selection, start,
        checkpoint, steps, listeners, () -> false, null));
    try (TrainingGraph graph = injector.getInstance(TrainingGraph.class)) {
      return injector.getInstance(Trainer.class).run();
    }
  }

  /** |mean of the generated samples - 0.45|. */
  private static final class Distance implements Metric {
    @Override
    public Map<String, Double> compute(MetricSamples samples, Parameters parameters) {
      double sum = 0;
      for (float[] row : samples.generated()) {
        sum += row[0];
      }
      return Map.of("distance", Math.abs(sum / samples.generated().length - 0.45));
    }
  }

  private static float every(Path run, long step) throws Exception {
    return everyAt(run.resolve("checkpoints").resolve(RunDirectory.checkpointName(step)));
  }

  private static float everyAt(Path checkpoint) throws Exception {
    try (Graph graph = new Graph(); Session session = new Session(graph)) {
      Ops tf = Ops.create(graph);
      Variable<TFloat32> every = tf.withName("every").variable(Shape.scalar(), TFloat32.class);
      tf.withName("lazy").variable(Shape.scalar(), TFloat32.class);
      tf.withName("steps").variable(Shape.scalar(), TFloat32.class);
      session.restore(RunDirectory.weightsPrefix(checkpoint));
      try (Result r = session.runner().fetch(every).run()) {
        return ((TFloat32) r.get(0)).getFloat();
      }
    }
  }

  private static boolean mount(Path at) throws InterruptedException {
    try {
      return new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", at.toString())
          .redirectErrorStream(true).start().waitFor() == 0;
    } catch (IOException e) {
      return false; // no mount command
    }
  }

  /** Writes until the file system is full. */
  private static void fill(Path file) throws IOException {
    byte[] block = new byte[4096];
    try (OutputStream out = Files.newOutputStream(file)) {
      while (true) {
        out.write(block);
      }
    } catch (IOException full) {
      assertTrue(String.valueOf(full.getMessage()).contains("No space left"), full.toString());
    }
  }
}
