package org.ganymede.losses.internal;

import org.ganymede.api.Critic;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Critics whose input gradients are known in closed form; each maps a batch to logits {@code [n, 1]}. */
final class Critics {
  private Critics() {}

  /** D(x) = sum(w * x): gradient w everywhere. */
  static Critic linear(Ops tf, Operand<TFloat32> w) {
    return x -> perSampleSum(tf, tf.math.mul(w, x));
  }

  /** D(x) = sum(x^2): gradient 2x. */
  static Critic quadratic(Ops tf) {
    return x -> perSampleSum(tf, tf.math.square(x));
  }

  /** D(x) = sum(w * x^2): gradient 2wx. */
  static Critic weightedQuadratic(Ops tf, Operand<TFloat32> w) {
    return x -> perSampleSum(tf, tf.math.mul(w, tf.math.square(x)));
  }

  private static Operand<TFloat32> perSampleSum(Ops tf, Operand<TFloat32> x) {
    Operand<TFloat32> sums = tf.reduceSum(x, tf.range(tf.constant(1), tf.rank(x), tf.constant(1)));
    return tf.reshape(sums, tf.constant(new int[] {-1, 1}));
  }
}
