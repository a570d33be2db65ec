package org.ganymede.losses.internal;

import org.ganymede.api.AdversarialLoss;
import org.ganymede.api.Plugins;
import org.osgi.service.component.annotations.Component;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** The hinge loss of geometric GAN, SAGAN and BigGAN. */
@Component(
    service = AdversarialLoss.class,
    property = {
      Plugins.NAME + "=hinge",
      Plugins.DESCRIPTION + "=Hinge loss: the critic pushes real scores above 1 and generated ones below -1"
    })
public final class HingeLoss implements AdversarialLoss {
  /** mean(relu(1 - real)) + mean(relu(1 + fake)). */
  @Override
  public Operand<TFloat32> discriminatorLoss(Ops tf, Operand<TFloat32> realLogits, Operand<TFloat32> fakeLogits) {
    Operand<TFloat32> one = tf.constant(1f);
    return tf.math.add(
        Reductions.meanOfAll(tf, tf.nn.relu(tf.math.sub(one, realLogits))),
        Reductions.meanOfAll(tf, tf.nn.relu(tf.math.add(one, fakeLogits))));
  }

  @Override
  public Operand<TFloat32> generatorLoss(Ops tf, Operand<TFloat32> realLogits, Operand<TFloat32> fakeLogits) {
    return tf.math.neg(Reductions.meanOfAll(tf, fakeLogits));
  }
}
