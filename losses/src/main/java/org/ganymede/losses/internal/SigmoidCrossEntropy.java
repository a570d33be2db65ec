package org.ganymede.losses.internal;

import org.ganymede.api.ParameterException;
import org.ganymede.api.Parameters;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** The discriminator's loss of the original GAN, shared by the minimax and non-saturating games. */
final class SigmoidCrossEntropy {
  private SigmoidCrossEntropy() {}

  /**
   * Cross-entropy of sigmoid(logits) with real samples labelled {@code realLabel} and generated
   * ones 0: {@code y softplus(-real) + (1 - y) softplus(real)} and {@code softplus(fake)}. A real
   * label of 0.9 is one-sided label smoothing (Salimans et al. 2016); 1 is the original GAN's.
   */
  static Operand<TFloat32> discriminatorLoss(Ops tf, Operand<TFloat32> realLogits, Operand<TFloat32> fakeLogits,
      float realLabel) {
    Operand<TFloat32> realTerm = tf.math.softplus(tf.math.neg(realLogits));
    if (realLabel != 1f) {
      realTerm = tf.math.add(tf.math.mul(tf.constant(realLabel), realTerm),
          tf.math.mul(tf.constant(1f - realLabel), tf.math.softplus(realLogits)));
    }
    return tf.math.add(Reductions.meanOfAll(tf, realTerm), Reductions.meanOfAll(tf, tf.math.softplus(fakeLogits)));
  }

  /**
   * Reads {@code real_label} (1): the target of real samples, in (0.5, 1]; one-sided label
   * smoothing sets 0.9.
   */
  static float realLabel(Parameters parameters) {
    double label = parameters.positive("real_label", 1);
    if (label <= 0.5 || label > 1) {
      throw new ParameterException(parameters.owner() + ": real_label is the real samples' target, in (0.5, 1];"
          + " one-sided label smoothing uses 0.9; got " + label);
    }
    return (float) label;
  }
}
