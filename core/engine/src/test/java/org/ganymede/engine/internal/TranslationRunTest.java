package org.ganymede.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Guice;
import com.google.inject.Injector;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.imageio.ImageIO;
import org.ganymede.api.Architecture;
import org.ganymede.api.DataSpec;
import org.ganymede.api.Dataset;
import org.ganymede.api.GanModel;
import org.ganymede.api.Metric;
import org.ganymede.api.ModelContext;
import org.ganymede.api.Objective;
import org.ganymede.api.OptimizerSpec;
import org.ganymede.api.Parameters;
import org.ganymede.api.RunOutcome;
import org.ganymede.api.SamplingControls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * A model that translates between the two domains of unpaired data, trained by the engine: every
 * objective run sees a batch of each domain, domain B's draws are numbered for its augmentation,
 * and the sample pictures and the evaluation are made per direction. The toy translation adds a
 * learned shift: a2b(x) = x + s and b2a(y) = y - t, on grey pictures of one value each (A: -0.5,
 * B: 0.5), so that the objectives pull s and t to 1 and the cycle error is exactly |s - t|.
 */
class TranslationRunTest {
  private static final int SIDE = 4;
  private static final int BATCH = 2;

  @TempDir Path work;

  @Test
  void trainsOnBothDomainsAndMeasuresEachDirection() throws Exception {
    Path run = work.resolve("run");
    ValueData a = new ValueData(-0.5f, 5);
    ValueData b = new ValueData(0.5f, 7);
    a.second = b;
    Experiment experiment = ExperimentParser.parse("""
        architecture: shifting
        dataset: pair
        training: {steps: 6, batch: %d, seed: 3}
        output: {log_every: 1, sample_every: 3, checkpoint_every: 1000, sample_scale: 1}
        """.formatted(BATCH), "translation", "test");
    RunDirectory directory = new RunDirectory(run);
    directory.createFor(experiment);
    Evaluator.SelectedMetric meanGap = new Evaluator.SelectedMetric("mean-gap", new MeanGap(),
        Parameters.empty("metric 'mean-gap'"), 4, null, false, false, null);
    RunModule.Selection selection = new RunModule.Selection(new ShiftingArchitecture(),
        Parameters.empty("architecture 'shifting'"), new UnusedLoss(), List.of(), List.of(), a, List.of(meanGap), List.of(),
        List.of());
    Injector injector = Guice.createInjector(new RunModule(experiment.withDefaultLoss(null), directory, selection,
        RunState.START, null, 6, List.of(), () -> false, null));
    try (TrainingGraph graph = injector.getInstance(TrainingGraph.class)) {
      assertEquals(RunOutcome.Status.COMPLETED, injector.getInstance(Trainer.class).run().status());

      float s = variable(graph, "s");
      float t = variable(graph, "t");
      assertTrue(s > 0.3f && t > 0.1f, "both objectives moved their shift towards B and A: s " + s + ", t " + t);
      // 6 steps x 2 objectives x batch 2: draws 0 to 23 of each domain's stream, each once.
      assertEquals(24, b.draws.size(), "domain B's draws are numbered through the stream");
      assertEquals(Set.copyOf(java.util.stream.IntStream.range(0, 24).boxed().toList()), Set.copyOf(b.draws));

      Evaluator.Result result = injector.getInstance(Evaluator.class).evaluate(graph);
      assertEquals(Math.abs(s - t), result.values().get("translation/a2b/cycle_error"), 1e-6);
      assertEquals(Math.abs(s - t), result.values().get("translation/b2a/cycle_error"), 1e-6);
      assertEquals(-0.5 + s - 0.5, result.values().get("metric/mean-gap/a2b/gap"), 1e-6,
          "a2b's translations are measured against domain B");
      assertEquals(0.5 - t + 0.5, result.values().get("metric/mean-gap/b2a/gap"), 1e-6);
      assertEquals(List.of(), result.failures());
    }

    BufferedImage picture = ImageIO.read(run.resolve("samples").resolve("step-000000006.png").toFile());
    assertEquals(6 * (SIDE + 2) + 2, picture.getWidth(), "source, translation and reconstruction for each direction");
    assertEquals(7 * (SIDE + 2) + 2, picture.getHeight(), "a row for each image of the larger domain, at most 8");
    assertEquals(Math.round((-0.5f + 1) * 127.5f), picture.getRaster().getSample(3, 3, 0), "first cell: an image of A");
  }

  private static float variable(TrainingGraph graph, String name) {
    try (Result r = graph.session.runner().fetch(name).run()) {
      return ((TFloat32) r.get(0)).getFloat();
    }
  }

  /** a2b adds s, b2a subtracts t; each shift is trained to carry one domain's value onto the other's. */
  private static final class ShiftingArchitecture implements Architecture {
    @Override
    public GanModel build(ModelContext context) {
      Ops tf = context.tf();
      ModelContext.SecondDomain b = context.requireSecondDomain("shifting");
      Variable<TFloat32> s = tf.withName("s").variable(tf.constant(0f));
      Variable<TFloat32> t = tf.withName("t").variable(tf.constant(0f));
      Operand<TFloat32> toB = tf.math.mean(tf.math.square(tf.math.sub(tf.math.add(context.real(), s), b.real())),
          tf.constant(new int[] {0, 1, 2, 3}));
      Operand<TFloat32> toA = tf.math.mean(tf.math.square(tf.math.sub(tf.math.sub(b.real(), t), context.real())),
          tf.constant(new int[] {0, 1, 2, 3}));
      Placeholder<TFloat32> inA = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, SIDE, SIDE, 1)));
      Placeholder<TFloat32> inB = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, SIDE, SIDE, 1)));
      Operand<TFloat32> aToB = tf.math.add(inA, s);
      Operand<TFloat32> bToA = tf.math.sub(inB, t);
      return new GanModel(List.of(
          new Objective("shift_s", toB, List.of(s), OptimizerSpec.adam(0.1, 0.9, 0.999), 1),
          new Objective("shift_t", toA, List.of(t), OptimizerSpec.adam(0.05, 0.9, 0.999), 1)),
          Map.of(), null, null, List.of(), SamplingControls.NONE, List.of(
              new GanModel.Translation("a2b", inA, aToB, tf.math.sub(aToB, t)),
              new GanModel.Translation("b2a", inB, bToA, tf.math.add(bToA, s))));
    }
  }

  /** Grey pictures of one value; records the draws the trainer reads. */
  private static final class ValueData implements Dataset {
    private final float value;
    private final int size;
    final List<Integer> draws = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    final Set<Long> seen = ConcurrentHashMap.newKeySet();
    ValueData second;

    ValueData(float value, int size) {
      this.value = value;
      this.size = size;
    }

    @Override
    public DataSpec spec() {
      return DataSpec.image(SIDE, SIDE, 1, 0);
    }

    @Override
    public int size() {
      return size;
    }

    @Override
    public void read(int index, float[] target, int offset) {
      java.util.Arrays.fill(target, offset, offset + SIDE * SIDE, value);
    }

    @Override
    public void read(int index, long draw, float[] target, int offset) {
      // The loader reads ahead of the trainer: count each draw once.
      if (seen.add(draw) && draw < 24) {
        draws.add((int) draw);
      }
      read(index, target, offset);
    }

    @Override
    public Optional<Dataset> secondDomain() {
      return Optional.ofNullable(second);
    }

    @Override
    public int label(int index) {
      return -1;
    }

    @Override
    public String describe() {
      return size + " pictures of " + value;
    }
  }

  /** The mean of the generated rows less the mean of the real ones. */
  private static final class MeanGap implements Metric {
    @Override
    public Map<String, Double> compute(MetricSamples samples, Parameters parameters) {
      return Map.of("gap", mean(samples.generated()) - mean(samples.real()));
    }

    private static double mean(float[][] rows) {
      double sum = 0;
      int n = 0;
      for (float[] row : rows) {
        for (float v : row) {
          sum += v;
          n++;
        }
      }
      return sum / n;
    }
  }
}
