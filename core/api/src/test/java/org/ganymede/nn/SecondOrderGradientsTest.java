package org.ganymede.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/** A gradient penalty differentiates a gradient: each op on that path needs a (correct) gradient. */
class SecondOrderGradientsTest {
  private static final float[] POINTS = {0.3f, 0.8f, 1.7f, 2.5f};

  @BeforeAll
  static void register() {
    Gradients.registerMissing();
  }

  @Test
  void tanh() {
    assertSecondDerivative((tf, x) -> tf.math.tanh(x), x -> {
      double t = Math.tanh(x);
      return -2 * t * (1 - t * t);
    });
  }

  @Test
  void sigmoid() {
    assertSecondDerivative((tf, x) -> tf.math.sigmoid(x), x -> {
      double s = 1 / (1 + Math.exp(-x));
      return s * (1 - s) * (1 - 2 * s);
    });
  }

  @Test
  void softplus() {
    assertSecondDerivative((tf, x) -> tf.math.softplus(x), x -> {
      double s = 1 / (1 + Math.exp(-x));
      return s * (1 - s);
    });
  }

  @Test
  void rsqrt() {
    assertSecondDerivative((tf, x) -> tf.math.rsqrt(x), x -> 0.75 * Math.pow(x, -2.5));
  }

  @Test
  void sqrt() {
    assertSecondDerivative((tf, x) -> tf.math.sqrt(x), x -> -0.25 * Math.pow(x, -1.5));
  }

  @Test
  void reluTimesSquare() {
    // relu(x) * x = x^2 for x > 0: second derivative 2.
    assertSecondDerivative((tf, x) -> tf.math.mul(tf.nn.relu(x), x), x -> 2);
  }

  @Test
  void averagePool() {
    // p = mean of a 2x2 block, y = p^3: each dy/dx_i = 3p^2 / 4, their sum 3p^2, whose derivative
    // by any x_j is 6p / 4.
    float[] block = {0.2f, 0.9f, -0.4f, 1.1f};
    double p = (block[0] + block[1] + block[2] + block[3]) / 4.0;
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, 2, 2, 1)));
      Operand<TFloat32> pooled = StyleLayers.downsample().apply(tf, x);
      Operand<TFloat32> y = tf.reduceSum(tf.math.mul(pooled, tf.math.mul(pooled, pooled)), tf.constant(new int[] {0, 1, 2, 3}));
      Operand<TFloat32> dy = floats(g.addGradients(y.asOutput(), new Output<?>[] {x.asOutput()})[0]);
      Operand<TFloat32> d2y = floats(g.addGradients(
          tf.reduceSum(dy, tf.constant(new int[] {0, 1, 2, 3})).asOutput(), new Output<?>[] {x.asOutput()})[0]);
      try (Session s = new Session(g);
          TFloat32 in = TFloat32.tensorOf(Shape.of(1, 2, 2, 1), org.tensorflow.ndarray.buffer.DataBuffers.of(block));
          Result r = s.runner().feed(x, in).fetch(dy).fetch(d2y).run()) {
        for (int i = 0; i < 4; i++) {
          assertEquals(3 * p * p / 4, ((TFloat32) r.get(0)).getFloat(0, i / 2, i % 2, 0), 1e-5);
          assertEquals(6 * p / 4, ((TFloat32) r.get(1)).getFloat(0, i / 2, i % 2, 0), 1e-5);
        }
      }
    }
  }

  @Test
  void gradientOfAnInputGradientNormReachesEveryCriticVariable() {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Network critic = Network.builder(tf, 7)
          .conv(1, 4, 4, 2, 0.2f).leakyRelu(0.2f)
          .conv(4, 8, 4, 2, 0.2f).layerNorm(8).relu()
          .reshape(2 * 2 * 8).dense(32, 1, 0.2f).tanh()
          .build();
      Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 8, 8, 1)));
      Operand<TFloat32> out = tf.reduceSum(critic.apply(x), tf.constant(new int[] {0, 1}));
      Operand<TFloat32> grad = floats(g.addGradients(out.asOutput(), new Output<?>[] {x.asOutput()})[0]);
      Operand<TFloat32> penalty = tf.reduceSum(tf.math.square(grad), tf.constant(new int[] {0, 1, 2, 3}));
      List<Output<?>> vars = new ArrayList<>();
      for (Variable<TFloat32> v : critic.variables()) {
        vars.add(v.asOutput());
      }
      Output<?>[] dw = g.addGradients(penalty.asOutput(), vars.toArray(new Output<?>[0]));
      assertEquals(critic.variables().size(), dw.length);

      try (Session s = new Session(g);
          TFloat32 input = TFloat32.tensorOf(Shape.of(3, 8, 8, 1),
              d -> d.scalars().forEachIndexed((i, v) -> v.setFloat((float) Math.sin(i[1] + 3 * i[2] + 7 * i[0]))))) {
        s.initialize();
        Session.Runner r = s.runner().feed(x, input);
        for (Output<?> o : dw) {
          r.fetch(o);
        }
        try (Result res = r.run()) {
          for (int i = 0; i < dw.length; i++) {
            TFloat32 t = (TFloat32) res.get(i);
            double[] sum = {0};
            t.scalars().forEach(v -> sum[0] += Math.abs(v.getFloat()));
            assertTrue(sum[0] > 0 && Double.isFinite(sum[0]),
                "second-order gradient of " + critic.variables().get(i).op().name() + " is " + sum[0]);
          }
        }
      }
    }
  }

  private static void assertSecondDerivative(
      BiFunction<Ops, Operand<TFloat32>, Operand<TFloat32>> f, DoubleUnaryOperator expected) {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(POINTS.length)));
      Operand<TFloat32> y = tf.reduceSum(f.apply(tf, x), tf.constant(0));
      Operand<TFloat32> dy = floats(g.addGradients(y.asOutput(), new Output<?>[] {x.asOutput()})[0]);
      Operand<TFloat32> d2y = floats(
          g.addGradients(tf.reduceSum(dy, tf.constant(0)).asOutput(), new Output<?>[] {x.asOutput()})[0]);
      try (Session s = new Session(g);
          TFloat32 in = TFloat32.vectorOf(POINTS);
          Result r = s.runner().feed(x, in).fetch(d2y).run()) {
        TFloat32 out = (TFloat32) r.get(0);
        for (int i = 0; i < POINTS.length; i++) {
          assertEquals(expected.applyAsDouble(POINTS[i]), out.getFloat(i), 1e-4, "at x = " + POINTS[i]);
        }
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static Operand<TFloat32> floats(Output<?> o) {
    return (Operand<TFloat32>) o;
  }
}
