package org.ganymede.biggan.internal;

import org.ganymede.api.AdversarialLoss;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** The hinge loss BigGAN trains with: D = mean(relu(1 - real)) + mean(relu(1 + fake)), G = -mean(fake). */
final class HingeLoss implements AdversarialLoss {
  @Override
  public Operand<TFloat32> discriminatorLoss(Ops tf, Operand<TFloat32> realLogits, Operand<TFloat32> fakeLogits) {
    Operand<TFloat32> one = tf.constant(1f);
    return tf.math.add(mean(tf, tf.nn.relu(tf.math.sub(one, realLogits))),
        mean(tf, tf.nn.relu(tf.math.add(one, fakeLogits))));
  }

  @Override
  public Operand<TFloat32> generatorLoss(Ops tf, Operand<TFloat32> realLogits, Operand<TFloat32> fakeLogits) {
    return tf.math.neg(mean(tf, fakeLogits));
  }

  private static Operand<TFloat32> mean(Ops tf, Operand<TFloat32> logits) {
    return tf.math.mean(logits, tf.constant(new int[] {0, 1}));
  }
}
