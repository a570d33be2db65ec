package org.ganymede.testing;

import org.ganymede.api.AdversarialLoss;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Mao et al.'s least-squares loss as the {@code least-squares} service computes it, each a mean
 * over all logits: D = (real - 1)^2 / 2 + fake^2 / 2, G = (fake - 1)^2 / 2.
 */
public final class LeastSquaresLoss implements AdversarialLoss {
  @Override
  public Operand<TFloat32> discriminatorLoss(Ops tf, Operand<TFloat32> realLogits, Operand<TFloat32> fakeLogits) {
    return tf.math.add(halfMeanSquaredDistance(tf, realLogits, 1f), halfMeanSquaredDistance(tf, fakeLogits, 0f));
  }

  @Override
  public Operand<TFloat32> generatorLoss(Ops tf, Operand<TFloat32> realLogits, Operand<TFloat32> fakeLogits) {
    return halfMeanSquaredDistance(tf, fakeLogits, 1f);
  }

  private static Operand<TFloat32> halfMeanSquaredDistance(Ops tf, Operand<TFloat32> x, float target) {
    return tf.math.mul(tf.constant(0.5f), Reductions.meanOfAll(tf, tf.math.squaredDifference(x, tf.constant(target))));
  }
}
