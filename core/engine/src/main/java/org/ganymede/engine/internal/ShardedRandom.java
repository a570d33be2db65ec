package org.ganymede.engine.internal;

import java.util.function.Function;
import org.ganymede.api.RandomSource;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * A worker's random numbers in data-parallel training: a draw whose first dimension is the
 * worker's batch is drawn for the global batch from the same stream and the worker takes its rows.
 * So the workers' noise differs, and together it is exactly what one process training the global
 * batch draws; any other draw (a scalar, a per-batch choice) is the same on every worker.
 */
final class ShardedRandom implements RandomSource {
  private final Ops tf;
  private final RandomSource whole;
  private final int localBatch;
  private final int shards;
  private final int rank;

  ShardedRandom(Ops tf, RandomSource whole, int localBatch, int shards, int rank) {
    this.tf = tf;
    this.whole = whole;
    this.localBatch = localBatch;
    this.shards = shards;
    this.rank = rank;
  }

  @Override
  public Operand<TFloat32> normal(Operand<TInt32> shape) {
    return shard(shape, whole::normal);
  }

  @Override
  public Operand<TFloat32> uniform(Operand<TInt32> shape) {
    return shard(shape, whole::uniform);
  }

  private Operand<TFloat32> shard(Operand<TInt32> shape, Function<Operand<TInt32>, Operand<TFloat32>> draw) {
    if (shape.shape().numDimensions() != 1 || shape.shape().size(0) == 0) {
      return draw.apply(shape); // a scalar draw has no rows to share
    }
    Operand<TInt32> first = tf.reshape(tf.slice(shape, tf.constant(new int[] {0}), tf.constant(new int[] {1})),
        tf.constant(new int[0]));
    Operand<TInt32> rest = tf.slice(shape, tf.constant(new int[] {1}), tf.constant(new int[] {-1}));
    Operand<org.tensorflow.types.TBool> perSample = tf.math.equal(first, tf.constant(localBatch));
    Operand<TInt32> rows = tf.select(perSample, tf.constant(localBatch * shards), first);
    Operand<TInt32> global = tf.concat(java.util.List.of(tf.reshape(rows, tf.constant(new int[] {1})), rest),
        tf.constant(0));
    Operand<TInt32> offset = tf.select(perSample, tf.constant(rank * localBatch), tf.constant(0));
    Operand<TInt32> begin = tf.concat(java.util.List.of(tf.reshape(offset, tf.constant(new int[] {1})),
        tf.zerosLike(rest)), tf.constant(0));
    // The reshape to the asked shape keeps its static shape where the shape is a constant.
    return tf.reshape(tf.slice(draw.apply(global), begin, shape), shape);
  }
}
