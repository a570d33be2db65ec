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
    return (tf, x) -> tf.nn.biasAdd(tf.linalg.matMul(x, kernel), bias);
  }

  /** A 'SAME'-padded convolution, NHWC. */
  public static Layer conv2d(Weights w, int in, int out, int kernel, int stride, float stddev) {
    Variable<TFloat32> filter = w.normal("conv_filter", Shape.of(kernel, kernel, in, out), 0f, stddev);
    Variable<TFloat32> bias = w.constant("conv_bias", Shape.of(out), 0f);
    List<Long> strides = Arrays.asList(1L, (long) stride, (long) stride, 1L);
    return (tf, x) -> tf.nn.biasAdd(tf.nn.conv2d(x, filter, strides, "SAME"), bias);
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
      return tf.nn.biasAdd(tf.nn.conv2dBackpropInput(outputShape, filter, x, strides, "SAME"), bias);
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
