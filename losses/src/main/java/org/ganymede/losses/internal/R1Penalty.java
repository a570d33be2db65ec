package org.ganymede.losses.internal;

import org.ganymede.api.PenaltyContext;
import org.ganymede.api.Plugins;
import org.ganymede.api.Regularizer;
import org.osgi.service.component.annotations.Component;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The R1 penalty of Mescheder et al. (2018): gamma / 2 * mean(||grad D(x)||^2) on real samples,
 * which keeps the discriminator flat on the data.
 */
@Component(
    service = Regularizer.class,
    property = {
      Plugins.NAME + "=r1",
      Plugins.DESCRIPTION + "=R1 penalty: gamma / 2 times the squared norm of the critic's gradient on real samples (gamma = 10)"
    })
public final class R1Penalty implements Regularizer {
  @Override
  public Operand<TFloat32> penalty(PenaltyContext context) {
    double gamma = context.parameters().nonNegative("gamma", 10);

    Ops tf = context.tf();
    Operand<TFloat32> gradient = InputGradients.of(tf, context.critic(), context.real());
    Operand<TFloat32> squaredNorm = Reductions.sumPerSample(tf, tf.math.square(gradient));
    return tf.math.mul(tf.constant((float) (gamma / 2)), Reductions.meanOfAll(tf, squaredNorm));
  }
}
