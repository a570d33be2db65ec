package org.ganymede.stylegan.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.ganymede.api.DataSpec;
import org.ganymede.api.Objective;
import org.ganymede.testing.AdamTrainer;
import org.ganymede.testing.GanHarness;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/** StyleGAN2's path length penalty on a tiny 32 px network. */
class PathLengthTest {
  private static final DataSpec GREY_32 = DataSpec.image(32, 32, 1, 0);
  private static final int BATCH = 4;
  private static final float WEIGHT = 2;

  @Test
  void thePenaltyIsTheSquaredGapOfEachLengthToTheUpdatedRunningMean() {
    AtomicReference<StyleganArchitecture.Parts> parts = new AtomicReference<>();
    try (GanHarness gan = harness(parts)) {
      PathLength.Penalty pl = parts.get().pathLength();
      Objective objective = gan.objective(StyleganArchitecture.PATH_LENGTH);
      assertEquals(parts.get().generator().variables(), objective.variables());
      assertEquals(4, objective.interval());
      assertFalse(gan.model.scalars().containsValue(pl.loss()), "logging the penalty would move pl_mean");
      int inputs = pl.styles().size();
      float mean = gan.read(pl.mean())[0];
      assertEquals(0, mean);
      for (long seed = 1; seed <= 2; seed++) {
        float loss;
        float[] lengths;
        float[][] gradients = new float[inputs][];
        try (Result r = run(gan, seed, prepend(List.of(objective.loss(), pl.lengths()), pl.gradients()), Map.of())) {
          loss = ((TFloat32) r.get(0)).getFloat();
          lengths = floats(r.get(1));
          for (int i = 0; i < inputs; i++) {
            gradients[i] = floats(r.get(2 + i));
          }
        }
        int n = BATCH / PathLength.BATCH_SHRINK;
        assertEquals(n, lengths.length, "half a batch");
        int styleSize = gradients[0].length / n;
        double lengthSum = 0;
        for (int s = 0; s < n; s++) {
          double squares = 0;
          for (float[] g : gradients) {
            for (int j = 0; j < styleSize; j++) {
              squares += g[s * styleSize + j] * g[s * styleSize + j];
            }
          }
          double length = Math.sqrt(squares / inputs);
          assertTrue(length > 0, "sample " + s + "'s path length is 0");
          assertEquals(length, lengths[s], 1e-5 * length, "sample " + s + "'s path length");
          lengthSum += length;
        }
        float updated = gan.read(pl.mean())[0];
        double expectedMean = mean + PathLength.DECAY * (lengthSum / n - mean);
        assertEquals(expectedMean, updated, 1e-6 * expectedMean, "pl_mean after run " + seed);
        double penalty = 0;
        for (float l : lengths) {
          penalty += (l - updated) * (l - updated) / n;
        }
        assertEquals(WEIGHT * 4 * penalty, loss, 1e-4 * loss, "interval x weight x mean squared gap");
        mean = updated;
      }
      // The other objectives and the logged scalars leave pl_mean alone.
      List<Operand<?>> others = new ArrayList<>();
      gan.model.objectives().stream().filter(o -> o != objective).forEach(o -> others.add(o.loss()));
      others.addAll(gan.model.scalars().values());
      run(gan, 7, others, Map.of()).close();
      assertEquals(mean, gan.read(pl.mean())[0]);
    }
  }

  @Test
  void theLengthsAreTheNormsOfTheProjectionsGradientAgainstFiniteDifferences() {
    AtomicReference<StyleganArchitecture.Parts> parts = new AtomicReference<>();
    try (GanHarness gan = harness(parts)) {
      PathLength.Penalty pl = parts.get().pathLength();
      int input = 3;
      Operand<TFloat32> style = pl.styles().get(input);
      float[] at;
      float[] gradient;
      try (Result r = run(gan, 1, List.of(style, pl.gradients().get(input)), Map.of())) {
        at = floats(r.get(0));
        gradient = floats(r.get(1));
      }
      double norm = 0;
      for (float g : gradient) {
        norm += g * g;
      }
      norm = Math.sqrt(norm);
      assertTrue(norm > 0);
      // Along the gradient's direction the projection's slope is the gradient's norm.
      float step = 1e-2f;
      float[] projection = new float[2];
      for (int k = 0; k < 2; k++) {
        float[] moved = new float[at.length];
        for (int j = 0; j < at.length; j++) {
          moved[j] = (float) (at[j] + (k == 0 ? step : -step) * gradient[j] / norm);
        }
        try (TFloat32 fed = TFloat32.tensorOf(Shape.of(BATCH / PathLength.BATCH_SHRINK, at.length / 2),
                DataBuffers.of(moved));
            Result r = run(gan, 1, List.of(pl.projection()), Map.of(style, fed))) {
          projection[k] = ((TFloat32) r.get(0)).getFloat();
        }
      }
      assertEquals(norm, (projection[0] - projection[1]) / (2 * step), 0.02 * norm, "(P(w + h d) - P(w - h d)) / 2h");
    }
  }

  @Test
  void theObjectiveRunsEveryIntervalSteps() {
    AtomicReference<StyleganArchitecture.Parts> parts = new AtomicReference<>();
    try (GanHarness gan = harness(parts)) {
      AdamTrainer trainer = new AdamTrainer(gan);
      SplittableRandom random = new SplittableRandom(5);
      float mean = gan.read(parts.get().pathLength().mean())[0];
      for (int step = 0; step < 5; step++) {
        trainer.step(() -> gan.uniformRealBatch(random));
        float now = gan.read(parts.get().pathLength().mean())[0];
        if (step % 4 == 0) {
          assertNotEquals(mean, now, "pl_mean did not move on step " + step);
        } else {
          assertEquals(mean, now, "pl_mean moved on step " + step);
        }
        mean = now;
      }
    }
  }

  @Test
  void everyGeneratorVariableButTheToRgbBiasesGetsAGradient() {
    AtomicReference<StyleganArchitecture.Parts> parts = new AtomicReference<>();
    try (GanHarness gan = harness(parts)) {
      List<Variable<TFloat32>> variables = parts.get().generator().variables();
      Output<?>[] gradients = ((Graph) gan.model.latent().env()).addGradients(parts.get().pathLength().loss().asOutput(),
          variables.stream().map(Variable::asOutput).toArray(Output<?>[]::new));
      int zero = 0;
      try (Result r = run(gan, 1, List.of(gradients), Map.of())) {
        for (int i = 0; i < variables.size(); i++) {
          double sum = 0;
          for (float g : floats(r.get(i))) {
            sum += Math.abs(g);
          }
          assertTrue(Double.isFinite(sum), variables.get(i).op().name() + "'s gradient is " + sum);
          zero += sum == 0 ? 1 : 0;
        }
      }
      // A toRGB's bias shifts the image without changing its slope in w; 4, 8, 16 and 32 px have one each.
      assertEquals(4, zero, "variables without a gradient");
    }
  }

  private static GanHarness harness(AtomicReference<StyleganArchitecture.Parts> parts) {
    Map<String, Object> values = new HashMap<>(StyleganArchitectureTest.TINY);
    values.put("path_length_weight", WEIGHT);
    return new GanHarness(new StyleganArchitecture(parts::set), GREY_32, BATCH, values, 3);
  }

  /** Runs one objective run's worth of inputs (a real batch, a step seed) with more feeds. */
  private static Result run(GanHarness gan, long seed, List<? extends Operand<?>> fetches,
      Map<Operand<?>, TFloat32> feeds) {
    Graph graph = (Graph) gan.model.latent().env();
    float[] values = gan.uniformRealBatch(new SplittableRandom(seed));
    try (TFloat32 real = TFloat32.tensorOf(Shape.of(BATCH, 32, 32, 1), DataBuffers.of(values));
        TInt64 stepSeed = TInt64.vectorOf(seed, 0)) {
      Session.Runner runner = gan.session().runner()
          .feed(graph.operation("real").output(0), real)
          .feed(graph.operation("step_seed").output(0), stepSeed);
      feeds.forEach(runner::feed);
      fetches.forEach(runner::fetch);
      return runner.run();
    }
  }

  private static List<Operand<?>> prepend(List<Operand<?>> first, List<? extends Operand<?>> rest) {
    List<Operand<?>> all = new ArrayList<>(first);
    all.addAll(rest);
    return all;
  }

  private static float[] floats(Tensor t) {
    TFloat32 f = (TFloat32) t;
    float[] values = new float[(int) f.size()];
    f.copyTo(DataBuffers.of(values, false, false));
    return values;
  }
}
