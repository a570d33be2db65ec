package org.ganymede.losses.internal;

import org.ganymede.api.AdversarialLoss;
import org.ganymede.api.Parameters;
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
  /** The real samples' target: 1, or 0.9 for one-sided label smoothing. */
  private final float realLabel;

  public MinimaxLoss() {
    this(1f);
  }

  private MinimaxLoss(float realLabel) {
    this.realLabel = realLabel;
  }

  /** Takes {@code real_label} (1; 0.9 is one-sided label smoothing). */
  @Override
  public AdversarialLoss with(Parameters parameters) {
    return new MinimaxLoss(SigmoidCrossEntropy.realLabel(parameters));
  }

  @Override
  public Operand<TFloat32> discriminatorLoss(Ops tf, Operand<TFloat32> realLogits, Operand<TFloat32> fakeLogits) {
    return SigmoidCrossEntropy.discriminatorLoss(tf, realLogits, fakeLogits, realLabel);
  }

  /** log(1 - sigmoid(fake)) = -softplus(fake). */
  @Override
  public Operand<TFloat32> generatorLoss(Ops tf, Operand<TFloat32> realLogits, Operand<TFloat32> fakeLogits) {
    return tf.math.neg(Reductions.meanOfAll(tf, tf.math.softplus(fakeLogits)));
  }
}
