package org.ganymede.losses.internal;

import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.StdArrays;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** Batches for tests: placeholders whose batch size is unknown when the graph is built. */
final class Feeds {
  private Feeds() {}

  /** A placeholder for batches of samples of shape {@code sample}. */
  static Placeholder<TFloat32> batchOf(Ops tf, long... sample) {
    long[] dims = new long[sample.length + 1];
    dims[0] = Shape.UNKNOWN_SIZE;
    System.arraycopy(sample, 0, dims, 1, sample.length);
    return tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(dims)));
  }

  static TFloat32 tensor(float[][] batch) {
    return TFloat32.tensorOf(StdArrays.ndCopyOf(batch));
  }

  static TFloat32 tensor(float[][][] batch) {
    return TFloat32.tensorOf(StdArrays.ndCopyOf(batch));
  }
}
