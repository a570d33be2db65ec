package org.ganymede.losses.internal;

import org.ganymede.api.AdversarialLoss;
import org.ganymede.api.Plugins;
import org.osgi.service.component.annotations.Component;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Mao et al.'s LSGAN: squared distances to the targets 1 (real) and 0 (generated). */
@Component(
    service = AdversarialLoss.class,
    property = {
      Plugins.NAME + "=least-squares",
      Plugins.DESCRIPTION + "=Least-squares GAN loss (LSGAN): the critic's outputs regress to 1 for real and 0 for generated samples"
    })
public final class LeastSquaresLoss implements AdversarialLoss {
  @Override
  public Operand<TFloat32> discriminatorLoss(Ops tf, Operand<TFloat32> realLogits, Operand<TFloat32> fakeLogits) {
    return tf.math.add(halfMeanSquaredDistance(tf, realLogits, 1f), halfMeanSquaredDistance(tf, fakeLogits, 0f));
  }

  @Override
  public Operand<TFloat32> generatorLoss(Ops tf, Operand<TFloat32> realLogits, Operand<TFloat32> fakeLogits) {
    return halfMeanSquaredDistance(tf, fakeLogits, 1f);
  }

  /** 0.5 * mean((x - target)^2). */
  private static Operand<TFloat32> halfMeanSquaredDistance(Ops tf, Operand<TFloat32> x, float target) {
    return tf.math.mul(
        tf.constant(0.5f), Reductions.meanOfAll(tf, tf.math.squaredDifference(x, tf.constant(target))));
  }
}
