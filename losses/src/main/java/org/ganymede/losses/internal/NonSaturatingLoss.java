package org.ganymede.losses.internal;

import org.ganymede.api.AdversarialLoss;
import org.ganymede.api.Parameters;
import org.ganymede.api.Plugins;
import org.osgi.service.component.annotations.Component;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Goodfellow et al.'s practical variant: the generator maximises log D(G(z)). */
@Component(
    service = AdversarialLoss.class,
    property = {
      Plugins.NAME + "=non-saturating",
      Plugins.DESCRIPTION + "=Non-saturating GAN loss: the generator maximises log D(G(z))"
    })
public final class NonSaturatingLoss implements AdversarialLoss {
  /** The real samples' target: 1, or 0.9 for one-sided label smoothing. */
  private final float realLabel;

  public NonSaturatingLoss() {
    this(1f);
  }

  private NonSaturatingLoss(float realLabel) {
    this.realLabel = realLabel;
  }

  /** Takes {@code real_label} (1; 0.9 is one-sided label smoothing). */
  @Override
  public AdversarialLoss with(Parameters parameters) {
    return new NonSaturatingLoss(SigmoidCrossEntropy.realLabel(parameters));
  }

  @Override
  public Operand<TFloat32> discriminatorLoss(Ops tf, Operand<TFloat32> realLogits, Operand<TFloat32> fakeLogits) {
    return SigmoidCrossEntropy.discriminatorLoss(tf, realLogits, fakeLogits, realLabel);
  }

  /** -log(sigmoid(fake)) = softplus(-fake). */
  @Override
  public Operand<TFloat32> generatorLoss(Ops tf, Operand<TFloat32> realLogits, Operand<TFloat32> fakeLogits) {
    return Reductions.meanOfAll(tf, tf.math.softplus(tf.math.neg(fakeLogits)));
  }
}
