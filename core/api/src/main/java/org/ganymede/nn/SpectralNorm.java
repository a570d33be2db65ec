package org.ganymede.nn;

import java.util.Arrays;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Spectral normalisation (Miyato et al. 2018): a layer's weight divided by an estimate of its
 * largest singular value, the weight seen as a matrix {@code [fan-in, out]}. The estimate comes from
 * one power iteration on a vector u that the layer keeps in an untrained variable (so checkpoints
 * keep it): {@code v = normalise(u W^T)}, {@code u' = normalise(v W)}, {@code sigma = v W u'^T}, with
 * u' and v held constant for the gradient. The reference moves u to u' in every forward pass; here
 * u moves once per training step, after the step, by the op the layer registers with its
 * {@link Weights#updates()}, so that a discriminator applied to real, fake and interpolated batches
 * in one step sees one estimate.
 */
public final class SpectralNorm {
  private static final float EPSILON = 1e-12f;

  private SpectralNorm() {}

  /** x W_sn + b. */
  public static Layer dense(Weights w, int in, int out, float stddev) {
    Variable<TFloat32> kernel = w.normal("sn_dense_kernel", Shape.of(in, out), 0f, stddev);
    Variable<TFloat32> bias = w.constant("sn_dense_bias", Shape.of(out), 0f);
    Estimate sn = estimate(w, kernel, out);
    return (tf, x) -> tf.nn.biasAdd(Precision.matMul(tf, x, sn.normalized(tf)), bias);
  }

  /** A 'SAME'-padded convolution, NHWC, whose filter {@code [k, k, in, out]} is normalised as {@code [k k in, out]}. */
  public static Layer conv2d(Weights w, int in, int out, int kernel, int stride, float stddev) {
    Variable<TFloat32> filter = w.normal("sn_conv_filter", Shape.of(kernel, kernel, in, out), 0f, stddev);
    Variable<TFloat32> bias = w.constant("sn_conv_bias", Shape.of(out), 0f);
    Estimate sn = estimate(w, filter, out);
    List<Long> strides = Arrays.asList(1L, (long) stride, (long) stride, 1L);
    return (tf, x) -> tf.nn.biasAdd(Precision.conv2d(tf, x, sn.normalized(tf), strides, "SAME"), bias);
  }

  /**
   * The estimate for any weight whose last axis is its output; registers u's update with {@code w}.
   *
   * @param out the size of the weight's last axis
   */
  public static Estimate estimate(Weights w, Variable<TFloat32> weight, int out) {
    Variable<TFloat32> u = w.untrained(weight.op().name() + "_sn_u", Shape.of(1, out));
    Estimate estimate = new Estimate(weight, u, out);
    Ops tf = w.ops();
    w.addUpdate(tf.assign(u, estimate.iterate(tf).u()));
    return estimate;
  }

  /**
   * A weight and the vector of its power iteration.
   *
   * @param weight the trained weight
   * @param u the left singular vector's estimate, {@code [1, out]}
   * @param out the weight's last axis
   */
  public record Estimate(Variable<TFloat32> weight, Variable<TFloat32> u, int out) {
    /** One power iteration from the stored u: the next u and sigma. */
    public Iteration iterate(Ops tf) {
      Operand<TFloat32> matrix = tf.reshape(weight, tf.constant(new long[] {-1, out}));
      Operand<TFloat32> v = normalise(tf, tf.linalg.matMul(u, matrix, org.tensorflow.op.linalg.MatMul.transposeB(true)));
      Operand<TFloat32> next = normalise(tf, tf.linalg.matMul(v, matrix));
      v = tf.stopGradient(v);
      next = tf.stopGradient(next);
      Operand<TFloat32> sigma = tf.reshape(
          tf.linalg.matMul(tf.linalg.matMul(v, matrix), next, org.tensorflow.op.linalg.MatMul.transposeB(true)),
          tf.constant(new long[0]));
      return new Iteration(next, sigma);
    }

    /** The weight divided by its estimated largest singular value. */
    public Operand<TFloat32> normalized(Ops tf) {
      return tf.math.div(weight, iterate(tf).sigma());
    }

    private static Operand<TFloat32> normalise(Ops tf, Operand<TFloat32> x) {
      Operand<TFloat32> norm = tf.math.sqrt(tf.math.add(tf.reduceSum(tf.math.square(x), tf.constant(new int[] {0, 1})),
          tf.constant(EPSILON)));
      return tf.math.div(x, norm);
    }
  }

  /** @param u the next estimate of u; @param sigma the estimated largest singular value */
  public record Iteration(Operand<TFloat32> u, Operand<TFloat32> sigma) {}
}
