package org.ganymede.nn;

import java.util.Arrays;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** The layers architectures are made of. Each creates its variables when called. */
public final class Layers {
  static final float NORM_EPSILON = 1e-5f;

  private Layers() {}

  /** x W + b. */
  public static Layer dense(Weights w, int in, int out, float stddev) {
    Variable<TFloat32> kernel = w.normal("dense_kernel", Shape.of(in, out), 0f, stddev);
    Variable<TFloat32> bias = w.constant("dense_bias", Shape.of(out), 0f);
    return (tf, x) -> tf.nn.biasAdd(Precision.matMul(tf, x, kernel), bias);
  }

  /** A 'SAME'-padded convolution, NHWC. */
  public static Layer conv2d(Weights w, int in, int out, int kernel, int stride, float stddev) {
    Variable<TFloat32> filter = w.normal("conv_filter", Shape.of(kernel, kernel, in, out), 0f, stddev);
    Variable<TFloat32> bias = w.constant("conv_bias", Shape.of(out), 0f);
    List<Long> strides = Arrays.asList(1L, (long) stride, (long) stride, 1L);
    return (tf, x) -> tf.nn.biasAdd(Precision.conv2d(tf, x, filter, strides, "SAME"), bias);
  }

  /** A 'SAME'-padded transposed convolution to {@code outputSize x outputSize}, NHWC. */
  public static Layer conv2dTranspose(Weights w, int in, int out, int kernel, int stride, int outputSize, float stddev) {
    // conv2d_backprop_input's filter is [h, w, out, in]: the transpose of the forward conv it inverts.
    Variable<TFloat32> filter = w.normal("upconv_filter", Shape.of(kernel, kernel, out, in), 0f, stddev);
    Variable<TFloat32> bias = w.constant("upconv_bias", Shape.of(out), 0f);
    List<Long> strides = Arrays.asList(1L, (long) stride, (long) stride, 1L);
    return (tf, x) -> {
      Operand<TInt32> batch = tf.slice(tf.shape(x), tf.constant(new int[] {0}), tf.constant(new int[] {1}));
      Operand<TInt32> outputShape =
          tf.concat(List.of(batch, tf.constant(new int[] {outputSize, outputSize, out})), tf.constant(0));
      return tf.nn.biasAdd(Precision.conv2dTranspose(tf, outputShape, filter, x, strides, "SAME"), bias);
    };
  }

  /**
   * Batch normalisation with the batch's own statistics over all axes but the last (as DCGAN
   * trains and samples). Written out of plain ops so its second-order gradients exist.
   */
  public static Layer batchNorm(Weights w, int channels) {
    Variable<TFloat32> gamma = w.constant("bn_gamma", Shape.of(channels), 1f);
    Variable<TFloat32> beta = w.constant("bn_beta", Shape.of(channels), 0f);
    return (tf, x) -> normalize(tf, x, allButLast(tf, x), gamma, beta);
  }

  /** Layer normalisation over all axes but the batch, with a per-feature (last axis) scale and shift. */
  public static Layer layerNorm(Weights w, int features) {
    Variable<TFloat32> gamma = w.constant("ln_gamma", Shape.of(features), 1f);
    Variable<TFloat32> beta = w.constant("ln_beta", Shape.of(features), 0f);
    return (tf, x) -> normalize(tf, x, allButFirst(tf, x), gamma, beta);
  }

  public static Layer leakyRelu(float alpha) {
    return (tf, x) -> tf.nn.leakyRelu(x, org.tensorflow.op.nn.LeakyRelu.alpha(alpha));
  }

  public static Layer reshape(long... sampleShape) {
    long[] full = new long[sampleShape.length + 1];
    full[0] = -1;
    System.arraycopy(sampleShape, 0, full, 1, sampleShape.length);
    return (tf, x) -> tf.reshape(x, tf.constant(full));
  }

  /**
   * PacGAN's packing: every {@code m} consecutive samples become one, concatenated along the last
   * axis, so {@code [n, ..., c]} becomes {@code [n / m, ..., m c]} (the batch must be a multiple of m).
   */
  public static Layer pack(int m) {
    return (tf, x) -> {
      long[] shape = x.shape().asArray();
      int rank = shape.length;
      for (int i = 1; i < rank; i++) {
        if (shape[i] < 0) {
          throw new IllegalArgumentException("packing needs samples of a known shape, got " + x.shape());
        }
      }
      // [n/m, m, ...sample] -> move m next to the last axis -> merge the two.
      long[] grouped = new long[rank + 1];
      grouped[0] = -1;
      grouped[1] = m;
      System.arraycopy(shape, 1, grouped, 2, rank - 1);
      int[] order = new int[rank + 1];
      order[0] = 0;
      for (int i = 1; i < rank - 1; i++) {
        order[i] = i + 1;
      }
      order[rank - 1] = 1;
      order[rank] = rank;
      long[] packed = new long[rank];
      packed[0] = -1;
      System.arraycopy(shape, 1, packed, 1, rank - 1);
      packed[rank - 1] = shape[rank - 1] * m;
      Operand<TFloat32> moved = tf.linalg.transpose(tf.reshape(x, tf.constant(grouped)), tf.constant(order));
      return tf.reshape(moved, tf.constant(packed));
    };
  }

  /**
   * Minibatch discrimination (Salimans et al. 2016): features {@code f [n, in]} map through a
   * tensor T to {@code M [n, kernels, size]}; kernel b of sample i answers
   * {@code o_b(i) = sum over j of exp(-||M_i,b - M_j,b||_1)} (j = i included, as the paper writes
   * it), and the layer returns {@code [f, o]}, {@code [n, in + kernels]}.
   */
  public static Layer minibatchDiscrimination(Weights w, int in, int kernels, int size, float stddev) {
    Variable<TFloat32> t = w.normal("minibatch_kernel", Shape.of(in, (long) kernels * size), 0f, stddev);
    return (tf, f) -> {
      Operand<TFloat32> m = tf.reshape(tf.linalg.matMul(f, t), tf.constant(new int[] {-1, kernels, size}));
      Operand<TFloat32> rows = tf.expandDims(m, tf.constant(1)); // [n, 1, B, C]
      Operand<TFloat32> columns = tf.expandDims(m, tf.constant(0)); // [1, n, B, C]
      Operand<TFloat32> distance = tf.reduceSum(tf.math.abs(tf.math.sub(rows, columns)), tf.constant(3));
      Operand<TFloat32> closeness = tf.reduceSum(tf.math.exp(tf.math.neg(distance)), tf.constant(1)); // [n, B]
      return tf.concat(List.of(f, closeness), tf.constant(1));
    };
  }

  /** Maxout (Goodfellow et al. 2013): the largest of every {@code pieces} consecutive features, {@code [n, u k]} to {@code [n, u]}. */
  public static Layer maxout(int units, int pieces) {
    return (tf, x) -> tf.max(tf.reshape(x, tf.constant(new int[] {-1, units, pieces})), tf.constant(2));
  }

  private static Operand<TFloat32> normalize(
      Ops tf, Operand<TFloat32> x, Operand<TInt32> axes, Operand<TFloat32> gamma, Operand<TFloat32> beta) {
    Operand<TFloat32> mean = tf.math.mean(x, axes, org.tensorflow.op.math.Mean.keepDims(true));
    Operand<TFloat32> centered = tf.math.sub(x, mean);
    Operand<TFloat32> variance =
        tf.math.mean(tf.math.square(centered), axes, org.tensorflow.op.math.Mean.keepDims(true));
    Operand<TFloat32> scaled = tf.math.mul(centered, tf.math.rsqrt(tf.math.add(variance, tf.constant(NORM_EPSILON))));
    return tf.math.add(tf.math.mul(scaled, gamma), beta);
  }

  private static Operand<TInt32> allButLast(Ops tf, Operand<TFloat32> x) {
    int rank = x.shape().numDimensions();
    int[] axes = new int[rank - 1];
    for (int i = 0; i < axes.length; i++) {
      axes[i] = i;
    }
    return tf.constant(axes);
  }

  private static Operand<TInt32> allButFirst(Ops tf, Operand<TFloat32> x) {
    int rank = x.shape().numDimensions();
    int[] axes = new int[rank - 1];
    for (int i = 0; i < axes.length; i++) {
      axes[i] = i + 1;
    }
    return tf.constant(axes);
  }
}
