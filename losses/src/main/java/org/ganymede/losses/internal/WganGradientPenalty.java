package org.ganymede.losses.internal;

import java.util.List;
import org.ganymede.api.Parameters;
import org.ganymede.api.PenaltyContext;
import org.ganymede.api.Plugins;
import org.ganymede.api.Regularizer;
import org.osgi.service.component.annotations.Component;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The gradient penalty of Gulrajani et al. (WGAN-GP): lambda * mean((||grad D(x_hat)|| - target)^2)
 * at points x_hat drawn uniformly on the segments between paired real and generated samples.
 */
@Component(
    service = Regularizer.class,
    property = {
      Plugins.NAME + "=wgan-gp",
      Plugins.DESCRIPTION + "=WGAN-GP gradient penalty: pulls the critic's gradient norm towards target"
          + " between real and generated samples (lambda = 10, target = 1)"
    })
public final class WganGradientPenalty implements Regularizer {
  // Keeps the norm differentiable where the critic's gradient vanishes.
  private static final float NORM_EPSILON = 1e-10f;

  @Override
  public Operand<TFloat32> penalty(PenaltyContext context) {
    Parameters parameters = context.parameters();
    double lambda = parameters.nonNegative("lambda", 10);
    double target = parameters.nonNegative("target", 1);

    Ops tf = context.tf();
    Operand<TFloat32> real = context.real();
    Operand<TFloat32> fake = context.fake();
    Operand<TFloat32> eps = context.random().uniform(perSampleShape(tf, real));
    Operand<TFloat32> interpolates =
        tf.math.add(tf.math.mul(eps, real), tf.math.mul(tf.math.sub(tf.constant(1f), eps), fake));
    Operand<TFloat32> gradient = InputGradients.of(tf, context.critic(), interpolates);
    Operand<TFloat32> norm = tf.math.sqrt(
        tf.math.add(Reductions.sumPerSample(tf, tf.math.square(gradient)), tf.constant(NORM_EPSILON)));
    Operand<TFloat32> deviation = tf.math.squaredDifference(norm, tf.constant((float) target));
    return tf.math.mul(tf.constant((float) lambda), Reductions.meanOfAll(tf, deviation));
  }

  /** {@code [batch, 1, ..., 1]}: one value per sample, broadcast over the sample's axes. */
  private static Operand<TInt32> perSampleShape(Ops tf, Operand<TFloat32> samples) {
    Operand<TInt32> batchSize =
        tf.slice(tf.shape(samples), tf.constant(new int[] {0}), tf.constant(new int[] {1}));
    Operand<TInt32> sampleRank = tf.reshape(tf.math.sub(tf.rank(samples), tf.constant(1)), tf.constant(new int[] {1}));
    return tf.concat(List.of(batchSize, tf.fill(sampleRank, tf.constant(1))), tf.constant(0));
  }
}
