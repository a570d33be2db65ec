package org.ganymede.testing;

import org.ganymede.api.AdversarialLoss;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The non-saturating GAN loss on logits: D = softplus(-real) + softplus(fake), G = softplus(-fake),
 * each a mean over all logits.
 */
public final class NonSaturatingLoss implements AdversarialLoss {
  @Override
  public Operand<TFloat32> discriminatorLoss(Ops tf, Operand<TFloat32> realLogits, Operand<TFloat32> fakeLogits) {
    return tf.math.add(Reductions.meanOfAll(tf, tf.math.softplus(tf.math.neg(realLogits))),
        Reductions.meanOfAll(tf, tf.math.softplus(fakeLogits)));
  }

  @Override
  public Operand<TFloat32> generatorLoss(Ops tf, Operand<TFloat32> realLogits, Operand<TFloat32> fakeLogits) {
    return Reductions.meanOfAll(tf, tf.math.softplus(tf.math.neg(fakeLogits)));
  }
}
