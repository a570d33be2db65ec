package org.ganymede.nn;

import org.ganymede.api.RandomSource;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * Random numbers that are a function of a fed {@code [2]} seed: the engine feeds {@code [run seed,
 * objective run counter]} each time it runs an objective, so step k draws the same noise on a
 * resumed run as on an uninterrupted one. Each op gets its own stream by offsetting the seed's
 * first word, so streams never collide with the counter in the second.
 */
public final class StatelessRandom implements RandomSource {
  private static final long STREAM_STRIDE = 0x9E3779B97F4A7C15L; // odd: distinct offsets for distinct streams

  private final Ops tf;
  private final Operand<TInt64> seed;
  private long streams;

  public StatelessRandom(Ops tf, Operand<TInt64> seed) {
    this.tf = tf;
    this.seed = seed;
  }

  @Override
  public Operand<TFloat32> normal(Operand<TInt32> shape) {
    return tf.random.statelessRandomNormal(shape, nextSeed());
  }

  @Override
  public Operand<TFloat32> uniform(Operand<TInt32> shape) {
    return tf.random.statelessRandomUniform(shape, nextSeed());
  }

  private synchronized Operand<TInt64> nextSeed() {
    long stream = ++streams;
    return tf.math.add(seed, tf.constant(new long[] {stream * STREAM_STRIDE, 0}));
  }
}
