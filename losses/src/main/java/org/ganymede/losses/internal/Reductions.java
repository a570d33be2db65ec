package org.ganymede.losses.internal;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Reductions over axes computed from the tensor's rank, so that they work for any sample shape and
 * a batch size unknown when the graph is built. TensorFlow folds the rank into a constant where it
 * is known, so the results keep their static shapes.
 */
final class Reductions {
  private Reductions() {}

  /** The mean of all elements: a scalar. */
  static Operand<TFloat32> meanOfAll(Ops tf, Operand<TFloat32> x) {
    return tf.math.mean(x, axesFrom(tf, x, 0));
  }

  /** The sum of all elements: a scalar. */
  static Operand<TFloat32> sumOfAll(Ops tf, Operand<TFloat32> x) {
    return tf.reduceSum(x, axesFrom(tf, x, 0));
  }

  /** The sum over every axis but the first (the batch): one value per sample. */
  static Operand<TFloat32> sumPerSample(Ops tf, Operand<TFloat32> x) {
    return tf.reduceSum(x, axesFrom(tf, x, 1));
  }

  private static Operand<TInt32> axesFrom(Ops tf, Operand<TFloat32> x, int first) {
    return tf.range(tf.constant(first), tf.rank(x), tf.constant(1));
  }
}
