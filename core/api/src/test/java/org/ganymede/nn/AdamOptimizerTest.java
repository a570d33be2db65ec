package org.ganymede.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/** Adam's steps against the algorithm of the paper, computed here in doubles. */
class AdamOptimizerTest {
  private static final float RATE = 0.1f;
  private static final float BETA1 = 0.9f;
  private static final float BETA2 = 0.999f;
  private static final float EPSILON = 1e-8f;

  @Test
  void aConstantGradientMovesTheVariableByTheLearningRateEveryStep() {
    float[] trace = run(20, x -> 1.0);
    for (int t = 1; t <= 20; t++) {
      assertEquals(-t * RATE, trace[t], 1e-5, "after step " + t);
    }
  }

  @Test
  void aQuadraticFollowsThePapersAlgorithm() {
    // loss 0.5 (x - 3)^2, gradient x - 3, from x = 0
    float[] trace = run(30, x -> x - 3);
    double x = 0;
    double m = 0;
    double v = 0;
    for (int t = 1; t <= 30; t++) {
      double g = x - 3;
      m = BETA1 * m + (1 - BETA1) * g;
      v = BETA2 * v + (1 - BETA2) * g * g;
      double rate = RATE * Math.sqrt(1 - Math.pow(BETA2, t)) / (1 - Math.pow(BETA1, t));
      x -= rate * m / (Math.sqrt(v) + EPSILON);
      assertEquals(x, trace[t], 1e-4, "after step " + t);
    }
  }

  @Test
  void eachGradientSeesTheOtherVariablesBeforeTheirUpdate() {
    // loss = sum(a * b) over 2^18 pairs: a's gradient is b and b's is a, so an update of one that ran
    // before the other's gradient was computed would leak into it.
    int n = 1 << 18;
    try (Graph graph = new Graph(); Session session = new Session(graph)) {
      Ops tf = Ops.create(graph);
      Ops init = tf.withInitScope();
      Variable<TFloat32> a = tf.withName("a").variable(init.fill(init.constant(new long[] {n}), init.constant(1f)));
      Variable<TFloat32> b = tf.withName("b").variable(init.fill(init.constant(new long[] {n}), init.constant(2f)));
      Operand<TFloat32> loss = tf.sum(tf.math.mul(a, b), tf.constant(0));
      Output<?>[] gradients = graph.addGradients(loss.asOutput(), new Output<?>[] {a.asOutput(), b.asOutput()});
      @SuppressWarnings("unchecked")
      List<Operand<TFloat32>> g = List.of((Output<TFloat32>) gradients[0], (Output<TFloat32>) gradients[1]);
      Op step = AdamOptimizer.step(tf, "adam", List.of(a, b), g, tf.constant(RATE), BETA1, BETA2, EPSILON);
      session.initialize();
      double[] x = {1, 2};
      double[] m = new double[2];
      double[] v = new double[2];
      for (int t = 1; t <= 10; t++) {
        session.runner().addTarget(step).run().close();
        double[] grad = {x[1], x[0]};
        double rate = RATE * Math.sqrt(1 - Math.pow(BETA2, t)) / (1 - Math.pow(BETA1, t));
        for (int i = 0; i < 2; i++) {
          m[i] = BETA1 * m[i] + (1 - BETA1) * grad[i];
          v[i] = BETA2 * v[i] + (1 - BETA2) * grad[i] * grad[i];
          x[i] -= rate * m[i] / (Math.sqrt(v[i]) + EPSILON);
        }
        try (TFloat32 av = (TFloat32) session.runner().fetch(a).run().get(0);
            TFloat32 bv = (TFloat32) session.runner().fetch(b).run().get(0)) {
          for (int i = 0; i < n; i += 4099) {
            assertEquals(x[0], av.getFloat(i), 1e-4, "a after step " + t);
            assertEquals(x[1], bv.getFloat(i), 1e-4, "b after step " + t);
          }
        }
      }
    }
  }

  /** The variable's value before and after each of {@code steps} steps. */
  private static float[] run(int steps, java.util.function.DoubleUnaryOperator gradientOf) {
    try (Graph graph = new Graph(); Session session = new Session(graph)) {
      Ops tf = Ops.create(graph);
      Variable<TFloat32> x = tf.withName("x").variable(tf.withInitScope().constant(0f));
      // The loss whose gradient is gradientOf(x): a linear or quadratic function built from x.
      Operand<TFloat32> loss = gradientOf.applyAsDouble(0) == 1.0
          ? x
          : tf.math.mul(tf.constant(0.5f), tf.math.square(tf.math.sub(x, tf.constant(3f))));
      Output<?>[] gradient = graph.addGradients(loss.asOutput(), new Output<?>[] {x.asOutput()});
      @SuppressWarnings("unchecked")
      Operand<TFloat32> g = (Output<TFloat32>) gradient[0];
      Op step = AdamOptimizer.step(tf, "adam", List.of(x), List.of(g), tf.constant(RATE), BETA1, BETA2, EPSILON);
      session.initialize();
      float[] trace = new float[steps + 1];
      for (int t = 0; t <= steps; t++) {
        if (t > 0) {
          session.runner().addTarget(step).run().close();
        }
        try (TFloat32 value = (TFloat32) session.runner().fetch(x).run().get(0)) {
          trace[t] = value.getFloat();
        }
      }
      return trace;
    }
  }
}
