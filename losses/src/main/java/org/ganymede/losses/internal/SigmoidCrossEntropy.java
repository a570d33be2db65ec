package org.ganymede.losses.internal;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** The discriminator's loss of the original GAN, shared by the minimax and non-saturating games. */
final class SigmoidCrossEntropy {
  private SigmoidCrossEntropy() {}

  /**
   * Cross-entropy of sigmoid(logits) with real samples labelled 1 and generated ones 0:
   * -log(sigmoid(real)) = softplus(-real) and -log(1 - sigmoid(fake)) = softplus(fake).
   */
  static Operand<TFloat32> discriminatorLoss(Ops tf, Operand<TFloat32> realLogits, Operand<TFloat32> fakeLogits) {
    return tf.math.add(
        Reductions.meanOfAll(tf, tf.math.softplus(tf.math.neg(realLogits))),
        Reductions.meanOfAll(tf, tf.math.softplus(fakeLogits)));
  }
}
