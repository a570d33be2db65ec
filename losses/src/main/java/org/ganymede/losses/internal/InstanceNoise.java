package org.ganymede.losses.internal;

import java.util.Map;
import org.ganymede.api.Augmentation;
import org.ganymede.api.AugmentationContext;
import org.ganymede.api.Parameters;
import org.ganymede.api.Plugins;
import org.ganymede.api.RandomSource;
import org.osgi.service.component.annotations.Component;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Instance noise (Sønderby et al. 2017, Arjovsky and Bottou 2017): Gaussian noise added to every
 * sample the discriminator judges, real and generated, so that the two distributions overlap early
 * on. Its standard deviation falls linearly from {@code std} at step 0 to 0 at step {@code steps}
 * and stays 0 after. Works on any data, images or vectors.
 */
@Component(
    service = Augmentation.class,
    property = {
      Plugins.NAME + "=instance-noise",
      Plugins.DESCRIPTION + "=Instance noise: Gaussian noise on the discriminator's inputs, its std annealed linearly"
          + " from std (0.1) to 0 over steps (1000)"
    })
public final class InstanceNoise implements Augmentation {
  @Override
  public Stage build(AugmentationContext context) {
    Parameters p = context.parameters();
    double std = p.nonNegative("std", 0.1);
    long steps = p.longValue("steps", 1000);
    if (steps < 1) {
      throw new org.ganymede.api.ParameterException(p.owner() + ": steps is the number of steps over which the noise"
          + " falls to 0, at least 1; got " + steps);
    }
    Ops tf = context.tf();
    RandomSource random = context.random();
    Operand<TFloat32> remaining = tf.math.maximum(tf.constant(0f),
        tf.math.sub(tf.constant(1f), tf.math.div(context.stepAsFloat(), tf.constant((float) steps))));
    Operand<TFloat32> deviation = tf.withName("std").math.mul(tf.constant((float) std), remaining);
    return new Stage() {
      @Override
      public Operand<TFloat32> apply(Operand<TFloat32> batch) {
        return tf.math.add(batch, tf.math.mul(deviation, random.normal(ImageAugments.staticShape(tf, batch))));
      }

      @Override
      public Map<String, Operand<TFloat32>> scalars() {
        return Map.of("instance_noise/std", deviation);
      }
    };
  }
}
