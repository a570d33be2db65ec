package org.ganymede.testing;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** The mean over every axis, whatever the rank: one logit per sample or a grid of them per patch. */
final class Reductions {
  private Reductions() {}

  static Operand<TFloat32> meanOfAll(Ops tf, Operand<TFloat32> x) {
    return tf.math.mean(x, tf.range(tf.constant(0), tf.rank(x), tf.constant(1)));
  }
}
