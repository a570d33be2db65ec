package org.ganymede.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Guice;
import com.google.inject.Injector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ganymede.api.Architecture;
import org.ganymede.api.GanModel;
import org.ganymede.api.ModelContext;
import org.ganymede.api.Objective;
import org.ganymede.api.OptimizerSpec;
import org.ganymede.api.ParameterException;
import org.ganymede.api.Parameters;
import org.ganymede.api.RunOutcome;
import org.ganymede.api.TrainingListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * training.init_from: a new run starts from another run's weights (and, when asked, its Adam
 * moments), says what it loaded, and refuses a variable it cannot fill unless told to skip it.
 * The climbing model's "every" rises by exactly 0.1 a step, and Adam's first moment of it after n
 * steps of its constant gradient -1 is -(1 - 0.9^n).
 */
class WeightTransferTest {
  @TempDir Path work;

  @Test
  void aNewRunStartsFromAnotherRunsWeights() throws Exception {
    Path source = work.resolve("source");
    train(source, 7, null, new ClimbingArchitecture(), new ArrayList<>());

    Path weightsOnly = work.resolve("weights-only");
    List<String> described = new ArrayList<>();
    train(weightsOnly, 3, "{run: '" + source + "'}", new ClimbingArchitecture(), described);
    assertEquals(1.0f, value(weightsOnly, 3, "every"), 1e-5, "0.7 loaded, then 3 steps");
    assertEquals(-(1 - Math.pow(0.9, 3)), value(weightsOnly, 3, "every-m"), 1e-5, "fresh moments");
    assertTrue(described.get(0).endsWith("; initialised from " + source + " at step 7: 3 variables loaded, the "
        + "optimizers' 8 fresh"), described.get(0));

    Path withOptimizer = work.resolve("with-optimizer");
    train(withOptimizer, 3, "{run: '" + source + "', optimizer: true}", new ClimbingArchitecture(), new ArrayList<>());
    assertEquals(1.0f, value(withOptimizer, 3, "every"), 1e-5);
    assertEquals(-(1 - Math.pow(0.9, 10)), value(withOptimizer, 3, "every-m"), 1e-5, "7 + 3 steps of moments");
  }

  @Test
  void aVariableTheSourceLacksIsRefusedUnlessSkipped() throws Exception {
    Path source = work.resolve("source");
    train(source, 2, null, new ClimbingArchitecture(), new ArrayList<>());
    ParameterException refused = assertThrows(ParameterException.class, () -> train(work.resolve("wider"), 1,
        "{run: '" + source + "'}", new WithNewVariable(), new ArrayList<>()));
    assertTrue(refused.getMessage().contains("1 variable of this run cannot take values from "
        + source.resolve("checkpoints").resolve("step-000000002") + ": head (not in the source); list them under "
        + "training.init_from.skip"), refused.getMessage());
    assertTrue(!Files.exists(work.resolve("wider").resolve("checkpoints")), "nothing trained");

    List<String> described = new ArrayList<>();
    train(work.resolve("skipping"), 1, "{run: '" + source + "', skip: [he*]}", new WithNewVariable(), described);
    assertTrue(described.get(0).endsWith("3 variables loaded, 1 skipped (head), the optimizers' 12 fresh"),
        described.get(0));
    assertEquals(0.3f, value(work.resolve("skipping"), 1, "every"), 1e-5);
  }

  /** The climbing model with one more variable, trained by its own objective. */
  private static final class WithNewVariable implements Architecture {
    @Override
    public GanModel build(ModelContext context) {
      GanModel climbing = new ClimbingArchitecture().build(context);
      Ops tf = context.tf();
      org.tensorflow.op.core.Variable<TFloat32> head = tf.withName("head").variable(tf.constant(0f));
      List<Objective> objectives = new ArrayList<>(climbing.objectives());
      objectives.add(new Objective("head", tf.math.neg(head), List.of(head), OptimizerSpec.adam(0.1, 0.9, 0.999), 1));
      return new GanModel(objectives, Map.of(), climbing.latent(), climbing.generated(), climbing.afterStep());
    }
  }

  private static void train(Path run, long steps, String initFrom, Architecture architecture, List<String> described)
      throws Exception {
    Experiment experiment = ExperimentParser.parse("""
        architecture: climbing
        dataset: constant
        training: {steps: %d, batch: 2, seed: 1%s}
        output: {log_every: 1, sample_every: 1000, checkpoint_every: 1000}
        """.formatted(steps, initFrom == null ? "" : ", init_from: " + initFrom), "transfer", "test");
    RunDirectory directory = new RunDirectory(run);
    RunModule.Selection selection = new RunModule.Selection(architecture, Parameters.empty("architecture 'climbing'"),
        new UnusedLoss(), List.of(), List.of(), new ConstantData(), List.of(), List.of(), List.of());
    TrainingListener listener = new TrainingListener() {
      @Override
      public void runStarted(RunInfo info) {
        described.add(info.description());
      }
    };
    Injector injector = Guice.createInjector(new RunModule(experiment.withDefaultLoss(null), directory, selection,
        RunState.START, null, steps, List.of(listener), () -> false, null));
    TrainingGraph built;
    try {
      built = injector.getInstance(TrainingGraph.class);
    } catch (com.google.inject.ProvisionException e) {
      throw (RuntimeException) e.getCause(); // as the runner reports it
    }
    try (TrainingGraph graph = built) {
      directory.createFor(experiment);
      assertEquals(RunOutcome.Status.COMPLETED, injector.getInstance(Trainer.class).run().status());
    }
  }

  /** A variable's value in a run's checkpoint, read through the run's exported graph. */
  private static float value(Path run, long step, String name) throws Exception {
    try (Graph graph = new Graph(); Session session = new Session(graph)) {
      graph.importGraphDef(org.tensorflow.proto.GraphDef.parseFrom(Files.readAllBytes(
          run.resolve("model").resolve("graph.pb"))));
      session.restore(RunDirectory.weightsPrefix(run.resolve("checkpoints").resolve(RunDirectory.checkpointName(step))));
      try (Result r = session.runner().fetch(name).run()) {
        return ((TFloat32) r.get(0)).getFloat();
      }
    }
  }
}
