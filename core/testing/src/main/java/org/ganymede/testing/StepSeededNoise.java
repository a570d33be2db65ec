package org.ganymede.testing;

import org.ganymede.api.RandomSource;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * Stateless noise keyed by a {@code [2]} seed fed at every run; each op adds its own index to the
 * seed's second word so that two ops do not draw the same stream.
 */
public final class StepSeededNoise implements RandomSource {
  private final Ops tf;
  private final Operand<TInt64> seed;
  private long streams;

  public StepSeededNoise(Ops tf, Operand<TInt64> seed) {
    this.tf = tf;
    this.seed = seed;
  }

  @Override
  public Operand<TFloat32> normal(Operand<TInt32> shape) {
    return tf.random.statelessRandomNormal(shape, nextStream());
  }

  @Override
  public Operand<TFloat32> uniform(Operand<TInt32> shape) {
    return tf.random.statelessRandomUniform(shape, nextStream());
  }

  private Operand<TInt64> nextStream() {
    return tf.math.add(seed, tf.constant(new long[] {0, streams++}));
  }
}
