package org.ganymede.nn;

import java.util.Arrays;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.TensorFlow;
import org.tensorflow.op.RawCustomGradient;
import org.tensorflow.op.nn.AvgPool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The one place where gradients missing from TensorFlow's C++ registry are registered from Java.
 * Gradient penalties (WGAN-GP, R1, path length) differentiate a gradient, which needs the
 * gradients of the ops a first gradient is made of (ReluGrad, TanhGrad, RsqrtGrad, ...). The
 * rules are those of TensorFlow's Python gradient registry. TensorFlow's registry is per process
 * and takes a gradient once, so this runs once per JVM (the class lives on the host's class path).
 */
public final class Gradients {
  private static boolean registered;

  private Gradients() {}

  /** Registers the missing gradients; safe to call any number of times. */
  public static synchronized void registerMissing() {
    if (registered) {
      return;
    }
    registered = true;
    // The seed of every gradient is OnesLike(y); it is constant in y.
    register("OnesLike", (tf, op, dy) -> List.of(tf.zerosLike(op.input(0))));
    // ReluGrad(g, x) = g * (x > 0): linear in g, piecewise constant in x.
    register("ReluGrad", (tf, op, dy) -> {
      Operand<TFloat32> x = floats(op.input(1));
      return List.of(tf.nn.reluGrad(floats(dy.get(0)), x), tf.zerosLike(x));
    });
    // TanhGrad(y, g) = g * (1 - y^2).
    register("TanhGrad", (tf, op, dy) -> {
      Operand<TFloat32> y = floats(op.input(0));
      Operand<TFloat32> g = floats(op.input(1));
      Operand<TFloat32> grad = floats(dy.get(0));
      return List.of(
          tf.math.mul(tf.math.mul(grad, tf.constant(-2f)), tf.math.mul(g, y)),
          tf.math.tanhGrad(y, grad));
    });
    // SigmoidGrad(y, g) = g * y * (1 - y).
    register("SigmoidGrad", (tf, op, dy) -> {
      Operand<TFloat32> y = floats(op.input(0));
      Operand<TFloat32> g = floats(op.input(1));
      Operand<TFloat32> gb = tf.math.mul(floats(dy.get(0)), g);
      return List.of(
          tf.math.sub(gb, tf.math.mul(tf.constant(2f), tf.math.mul(gb, y))),
          tf.math.sigmoidGrad(y, floats(dy.get(0))));
    });
    // SoftplusGrad(g, x) = g * sigmoid(x).
    register("SoftplusGrad", (tf, op, dy) -> {
      Operand<TFloat32> g = floats(op.input(0));
      Operand<TFloat32> x = floats(op.input(1));
      Operand<TFloat32> grad = floats(dy.get(0));
      Operand<TFloat32> curvature = tf.math.add(
          tf.math.add(tf.math.exp(tf.math.neg(x)), tf.constant(2f)), tf.math.exp(x));
      return List.of(tf.math.softplusGrad(grad, x), tf.math.div(tf.math.mul(grad, g), curvature));
    });
    // RsqrtGrad(y, g) = -0.5 * g * y^3.
    register("RsqrtGrad", (tf, op, dy) -> {
      Operand<TFloat32> y = floats(op.input(0));
      Operand<TFloat32> g = floats(op.input(1));
      Operand<TFloat32> grad = floats(dy.get(0));
      return List.of(
          tf.math.mul(tf.constant(-1.5f), tf.math.mul(tf.math.mul(grad, g), tf.math.square(y))),
          tf.math.rsqrtGrad(y, grad));
    });
    // SqrtGrad(y, g) = 0.5 * g / y.
    register("SqrtGrad", (tf, op, dy) -> {
      Operand<TFloat32> y = floats(op.input(0));
      Operand<TFloat32> out = floats(op.output(0));
      Operand<TFloat32> ga = tf.math.div(floats(dy.get(0)), y);
      return List.of(tf.math.neg(tf.math.mul(ga, out)), tf.math.mul(tf.constant(0.5f), ga));
    });
    // AvgPoolGrad(shape, g) spreads g over the pooling windows: linear in g, its adjoint the pool.
    register("AvgPoolGrad", (tf, op, dy) -> {
      var attributes = op.attributes();
      return List.of(tf.zerosLike(op.input(0)), tf.nn.avgPool(floats(dy.get(0)),
          longs(attributes.getAttrIntList("ksize")), longs(attributes.getAttrIntList("strides")),
          attributes.getAttrString("padding"),
          AvgPool.dataFormat(attributes.getAttrString("data_format"))));
    });
    // BiasAddGrad(g) sums g over all axes but the channels (NHWC): its gradient broadcasts back.
    register("BiasAddGrad", (tf, op, dy) -> {
      Operand<TInt32> shape = tf.shape(op.input(0));
      Operand<TInt32> rank = tf.rank(op.input(0));
      Operand<TInt32> leading = tf.slice(shape, tf.constant(new int[] {0}), tf.reshape(tf.math.sub(rank, tf.constant(1)), tf.constant(new int[] {1})));
      Operand<TInt32> expanded = tf.concat(List.of(tf.onesLike(leading), tf.shape(dy.get(0))), tf.constant(0));
      Operand<TInt32> multiples = tf.concat(List.of(leading, tf.constant(new int[] {1})), tf.constant(0));
      return List.of(tf.tile(tf.reshape(floats(dy.get(0)), expanded), multiples));
    });
  }

  private static void register(String opType, RawCustomGradient gradient) {
    // TensorFlow answers false when the op has a gradient already: then it needs none from us.
    TensorFlow.registerCustomGradient(opType, gradient);
  }

  private static List<Long> longs(long[] values) {
    return Arrays.stream(values).boxed().toList();
  }

  @SuppressWarnings("unchecked")
  private static Operand<TFloat32> floats(Operand<?> o) {
    return (Operand<TFloat32>) o;
  }
}
