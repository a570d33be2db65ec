package org.ganymede.api;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * What an augmentation is built with.
 *
 * @param tf the graph's ops, scoped for this augmentation
 * @param data shape of one sample (an image is {@code [height, width, channels]})
 * @param batchSize the number of samples in a training batch
 * @param parameters the experiment's parameters for this augmentation
 * @param random stateless random numbers, repeatable for a given seed and objective run
 * @param step the training step (from 0) of the objective run, for schedules
 */
public record AugmentationContext(
    Ops tf, DataSpec data, int batchSize, Parameters parameters, RandomSource random, Operand<TInt64> step) {
  /** The step as a float, for schedules. */
  public Operand<TFloat32> stepAsFloat() {
    return tf.dtypes.cast(step, TFloat32.class);
  }
}
