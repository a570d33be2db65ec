package org.ganymede.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import com.google.inject.Guice;
import com.google.inject.Injector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.ganymede.api.Parameters;
import org.ganymede.api.RunOutcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * The trainer runs an objective with interval n on steps 0, n, 2n ... only (StyleGAN2's lazy
 * regularisation), the model's after-step ops once a step, and a learning rate that decays
 * linearly when the experiment says so (CycleGAN's schedule); a resumed run keeps all three, and
 * its count of training seconds. Each objective here climbs its own
 * variable by a constant gradient, so Adam moves it by exactly its learning rate per run.
 */
class TrainerScheduleTest {
  private static final float LEARNING_RATE = ClimbingArchitecture.LEARNING_RATE;

  @TempDir Path work;

  @Test
  void intervalsAfterStepOpsAndLearningRateDecayFollowTheSteps() throws Exception {
    Path run = work.resolve("run");
    assertEquals(RunOutcome.Status.COMPLETED, train(run, 7, false));
    // Steps 0..6: the every-step objective ran 7 times, at the full rate on steps 0 to 4, then at
    // 3/4 and 2/4 of it (decay from step 4 to 8); the interval-3 one ran on steps 0, 3 and 6.
    Map<String, Float> at7 = variables(run, 7);
    assertEquals(6.25f * LEARNING_RATE, at7.get("every"), 1e-5);
    assertEquals(3 * LEARNING_RATE, at7.get("lazy"), 1e-5);
    assertEquals(7, at7.get("steps"), "the after-step op ran once a step");

    assertEquals(RunOutcome.Status.COMPLETED, train(run, 10, true));
    Map<String, Float> at10 = variables(run, 10);
    assertEquals(6.5f * LEARNING_RATE, at10.get("every"), 1e-5, "1/4 of the rate on step 7, none after");
    assertEquals(4 * LEARNING_RATE, at10.get("lazy"), 1e-5, "step 9 is the fourth run");
    assertEquals(10, at10.get("steps"));

    // The training time grows with every logged step and goes on from the checkpoint on resume.
    List<Double> seconds = Files.readAllLines(run.resolve("metrics.jsonl")).stream()
        .map(line -> JsonParser.parseString(line).getAsJsonObject().get("train_seconds").getAsDouble()).toList();
    assertEquals(10, seconds.size());
    for (int i = 1; i < seconds.size(); i++) {
      assertTrue(seconds.get(i) > seconds.get(i - 1), "train_seconds " + seconds);
    }
    assertEquals(seconds.get(6), RunDirectory.readState(directoryOf(run, 7)).trainSeconds(), 0);
  }

  private static Path directoryOf(Path run, long step) {
    return run.resolve("checkpoints").resolve(String.format("step-%09d", step));
  }

  private RunOutcome.Status train(Path run, long steps, boolean resume) throws Exception {
    Experiment experiment = ExperimentParser.parse("""
        architecture: climbing
        dataset: constant
        training:
          steps: %d
          batch: 2
          seed: 1
          optimizers: {every: {decay_start: 4, decay_end: 8}}
        output: {log_every: 1, sample_every: 1000, checkpoint_every: 1000}
        """.formatted(steps), "schedule", "test");
    RunDirectory directory = new RunDirectory(run);
    RunState start = RunState.START;
    Path checkpoint = null;
    if (resume) {
      checkpoint = directory.latestCheckpoint().orElseThrow();
      start = RunDirectory.readState(checkpoint);
    } else {
      directory.createFor(experiment);
    }
    RunModule.Selection selection = new RunModule.Selection(new ClimbingArchitecture(),
        Parameters.empty("architecture 'climbing'"), new UnusedLoss(), List.of(), List.of(), new ConstantData(), List.of(),
        List.of(), List.of());
    Injector injector = Guice.createInjector(new RunModule(experiment.withDefaultLoss(null), directory, selection, start,
        checkpoint, steps, List.of(), () -> false, null));
    try (TrainingGraph graph = injector.getInstance(TrainingGraph.class)) {
      return injector.getInstance(Trainer.class).run().status();
    }
  }

  /** The checkpointed values of the two climbing variables. */
  private static Map<String, Float> variables(Path run, long step) throws Exception {
    Path checkpoint = directoryOf(run, step);
    try (org.tensorflow.Graph graph = new org.tensorflow.Graph();
        org.tensorflow.Session session = new org.tensorflow.Session(graph)) {
      Ops tf = Ops.create(graph);
      Variable<TFloat32> every = tf.withName("every").variable(Shape.scalar(), TFloat32.class);
      Variable<TFloat32> lazy = tf.withName("lazy").variable(Shape.scalar(), TFloat32.class);
      Variable<TFloat32> steps = tf.withName("steps").variable(Shape.scalar(), TFloat32.class);
      session.restore(RunDirectory.weightsPrefix(checkpoint));
      try (Result r = session.runner().fetch(every).fetch(lazy).fetch(steps).run()) {
        return Map.of("every", ((TFloat32) r.get(0)).getFloat(), "lazy", ((TFloat32) r.get(1)).getFloat(),
            "steps", ((TFloat32) r.get(2)).getFloat());
      }
    }
  }
}
