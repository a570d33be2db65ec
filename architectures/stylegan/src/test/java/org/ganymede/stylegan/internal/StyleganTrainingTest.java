package org.ganymede.stylegan.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/** Training with real TensorFlow on a tiny 32 px network. */
class StyleganTrainingTest {
  private static final DataSpec GREY_32 = DataSpec.image(32, 32, 1, 0);

  @Test
  void movingAverageStartsEqualAndMovesByOneMinusBetaOfTheGap() {
    float beta = 0.75f;
    Map<String, Object> values = new HashMap<>(StyleganArchitectureTest.TINY);
    values.put("ema_beta", beta);
    AtomicReference<StyleganArchitecture.Parts> parts = new AtomicReference<>();
    try (GanHarness gan = new GanHarness(new StyleganArchitecture(parts::set), GREY_32, 4, values, 3)) {
      AdamTrainer trainer = new AdamTrainer(gan);
      List<Variable<TFloat32>> live = parts.get().generator().variables();
      List<Variable<TFloat32>> average = parts.get().average().variables();
      assertEquals(live.size(), average.size());
      List<float[]> before = new ArrayList<>();
      for (int i = 0; i < live.size(); i++) {
        float[] a = gan.read(average.get(i));
        assertArrayEquals(gan.read(live.get(i)), a, average.get(i).op().name() + " starts apart from its live copy");
        before.add(a);
      }
      SplittableRandom random = new SplittableRandom(5);
      trainer.step(() -> gan.uniformRealBatch(random));
      int moved = 0;
      for (int i = 0; i < live.size(); i++) {
        float[] l = gan.read(live.get(i));
        float[] a = gan.read(average.get(i));
        float[] b = before.get(i);
        if (!Arrays.equals(l, b)) {
          moved++;
        }
        for (int j = 0; j < l.length; j++) {
          float expected = b[j] + (1 - beta) * (l[j] - b[j]);
          assertEquals(expected, a[j], 1e-6f * (1 + Math.abs(expected)), average.get(i).op().name() + "[" + j + "]");
        }
      }
      assertEquals(live.size(), moved, "live generator variables moved by the step");
    }
  }

  @Test
  void r1RunsEverySixteenStepsAndReachesEveryDiscriminatorVariable() {
    AtomicReference<StyleganArchitecture.Parts> parts = new AtomicReference<>();
    try (GanHarness gan = new GanHarness(
        new StyleganArchitecture(parts::set), GREY_32, 4, StyleganArchitectureTest.TINY, 3)) {
      Objective r1 = gan.objective(StyleganArchitecture.R1);
      assertEquals(16, r1.interval());
      assertTrue(r1.runsAt(0) && r1.runsAt(32) && !r1.runsAt(1) && !r1.runsAt(15));
      List<Variable<TFloat32>> vars = parts.get().discriminator().variables();
      assertEquals(vars, r1.variables());
      Graph graph = (Graph) r1.loss().env();
      Output<?>[] grads = graph.addGradients(r1.loss().asOutput(),
          vars.stream().map(Variable::asOutput).toArray(Output<?>[]::new));
      // After the minibatch stddev the discriminator is piecewise linear in the biases of its last
      // conv and dense layers: they shift D without changing its slope, so R1 cannot move them.
      List<Variable<TFloat32>> shiftsOnly = List.of(
          vars.get(vars.size() - 5), vars.get(vars.size() - 3), vars.get(vars.size() - 1));
      float[] real = gan.uniformRealBatch(new SplittableRandom(9));
      try (TFloat32 batch = TFloat32.tensorOf(Shape.of(4, 32, 32, 1), DataBuffers.of(real));
          TInt64 seed = TInt64.vectorOf(1, 0)) {
        Session.Runner runner = gan.session().runner()
            .feed(graph.operation("real").output(0), batch)
            .feed(graph.operation("step_seed").output(0), seed)
            .fetch(r1.loss());
        for (Output<?> g : grads) {
          assertNotNull(g);
          runner.fetch(g);
        }
        try (Result r = runner.run()) {
          float loss = ((TFloat32) r.get(0)).getFloat();
          assertTrue(loss > 0 && Float.isFinite(loss), "R1 loss " + loss);
          for (int i = 0; i < vars.size(); i++) {
            TFloat32 t = (TFloat32) r.get(i + 1);
            double[] sum = {0};
            t.scalars().forEach(v -> sum[0] += Math.abs(v.getFloat()));
            String name = vars.get(i).op().name();
            assertTrue(Double.isFinite(sum[0]), "R1 gradient of " + name + " is " + sum[0]);
            if (shiftsOnly.contains(vars.get(i))) {
              assertEquals(0, sum[0], 0, "R1 gradient of " + name);
            } else {
              assertTrue(sum[0] > 0, "R1 gradient of " + name + " is 0");
            }
          }
        }
      }
    }
  }

  @Test
  void aFewStepsMoveEveryVariableAndKeepTheLossesFinite() {
    try (GanHarness gan = new GanHarness(new StyleganArchitecture(), GREY_32, 4, StyleganArchitectureTest.TINY, 3)) {
      AdamTrainer trainer = new AdamTrainer(gan);
      Map<Variable<TFloat32>, float[]> before = new LinkedHashMap<>();
      for (Objective objective : gan.model.objectives()) {
        objective.variables().forEach(v -> before.put(v, gan.read(v)));
      }
      SplittableRandom random = new SplittableRandom(5);
      for (int step = 0; step < 4; step++) {
        trainer.step(() -> gan.uniformRealBatch(random));
        for (float loss : gan.losses(step)) {
          assertTrue(Float.isFinite(loss), "loss " + loss + " after step " + step);
        }
      }
      before.forEach((variable, value) ->
          assertFalse(Arrays.equals(value, gan.read(variable)), variable.op().name() + " did not move"));
      for (float v : gan.generate(2, 1).values()) {
        assertTrue(Float.isFinite(v), "sample " + v);
      }
    }
  }
}
