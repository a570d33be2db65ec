package org.ganymede.losses.internal;

import org.ganymede.api.AdversarialLoss;
import org.ganymede.api.Plugins;
import org.osgi.service.component.annotations.Component;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** The original zero-sum game of Goodfellow et al.: the generator minimises log(1 - D(G(z))). */
@Component(
    service = AdversarialLoss.class,
    property = {
      Plugins.NAME + "=minimax",
      Plugins.DESCRIPTION + "=Minimax GAN loss: the generator minimises log(1 - D(G(z))); saturates early in training"
    })
public final class MinimaxLoss implements AdversarialLoss {
  @Override
  public Operand<TFloat32> discriminatorLoss(Ops tf, Operand<TFloat32> realLogits, Operand<TFloat32> fakeLogits) {
    return SigmoidCrossEntropy.discriminatorLoss(tf, realLogits, fakeLogits);
  }

  /** log(1 - sigmoid(fake)) = -softplus(fake). */
  @Override
  public Operand<TFloat32> generatorLoss(Ops tf, Operand<TFloat32> realLogits, Operand<TFloat32> fakeLogits) {
    return tf.math.neg(Reductions.meanOfAll(tf, tf.math.softplus(fakeLogits)));
  }
}
