package org.ganymede.losses.internal;

import org.ganymede.api.AdversarialLoss;
import org.ganymede.api.Plugins;
import org.osgi.service.component.annotations.Component;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Arjovsky et al.'s Wasserstein loss: the critic's outputs are scores, not logits. Its Lipschitz
 * constraint comes from elsewhere (a gradient penalty such as {@code wgan-gp}).
 */
@Component(
    service = AdversarialLoss.class,
    property = {
      Plugins.NAME + "=wasserstein",
      Plugins.DESCRIPTION + "=Wasserstein loss: the critic widens mean(real) - mean(fake); pair it with a gradient penalty"
    })
public final class WassersteinLoss implements AdversarialLoss {
  @Override
  public Operand<TFloat32> discriminatorLoss(Ops tf, Operand<TFloat32> realLogits, Operand<TFloat32> fakeLogits) {
    return tf.math.sub(Reductions.meanOfAll(tf, fakeLogits), Reductions.meanOfAll(tf, realLogits));
  }

  @Override
  public Operand<TFloat32> generatorLoss(Ops tf, Operand<TFloat32> realLogits, Operand<TFloat32> fakeLogits) {
    return tf.math.neg(Reductions.meanOfAll(tf, fakeLogits));
  }
}
