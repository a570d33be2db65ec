package org.ganymede.cyclegan.internal;

import java.util.List;
import org.ganymede.api.AdversarialLoss;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The losses of CycleGAN as small functions of tensors, as in the authors' reference: errors are
 * means of absolute differences over every pixel of the batch (PyTorch's {@code L1Loss}).
 */
final class CycleLosses {
  /** The reference halves each discriminator's loss, so that it learns more slowly than the generators. */
  static final float DISCRIMINATOR_WEIGHT = 0.5f;

  private CycleLosses() {}

  /** Cycle consistency: how far an image translated to the other domain and back lands from where it started. */
  static Operand<TFloat32> cycle(Ops tf, Operand<TFloat32> real, Operand<TFloat32> reconstructed) {
    return meanAbsoluteError(tf, reconstructed, real);
  }

  /** Identity: how much a generator changes an image that is already of its target domain. */
  static Operand<TFloat32> identity(Ops tf, Operand<TFloat32> real, Operand<TFloat32> mapped) {
    return meanAbsoluteError(tf, mapped, real);
  }

  /**
   * The generators' loss: the adversarial terms, plus {@code lambdaCycle} times the cycle terms,
   * plus {@code lambdaCycle * lambdaIdentity} times the identity terms (none when there are none).
   */
  static Operand<TFloat32> generators(Ops tf, List<Operand<TFloat32>> adversarial, List<Operand<TFloat32>> cycle,
      List<Operand<TFloat32>> identity, float lambdaCycle, float lambdaIdentity) {
    Operand<TFloat32> loss = tf.math.add(tf.math.addN(adversarial),
        tf.math.mul(tf.constant(lambdaCycle), tf.math.addN(cycle)));
    if (identity.isEmpty()) {
      return loss;
    }
    return tf.math.add(loss, tf.math.mul(tf.constant(lambdaCycle * lambdaIdentity), tf.math.addN(identity)));
  }

  /** One discriminator's adversarial loss: half the selected loss on real images against (pooled) fakes. */
  static Operand<TFloat32> discriminator(
      Ops tf, AdversarialLoss loss, Operand<TFloat32> realLogits, Operand<TFloat32> fakeLogits) {
    return tf.math.mul(tf.constant(DISCRIMINATOR_WEIGHT), loss.discriminatorLoss(tf, realLogits, fakeLogits));
  }

  /** The mean over every element, whatever the rank. */
  static Operand<TFloat32> meanOfAll(Ops tf, Operand<TFloat32> x) {
    return tf.math.mean(x, tf.range(tf.constant(0), tf.rank(x), tf.constant(1)));
  }

  private static Operand<TFloat32> meanAbsoluteError(Ops tf, Operand<TFloat32> x, Operand<TFloat32> y) {
    return meanOfAll(tf, tf.math.abs(tf.math.sub(x, y)));
  }
}
