package org.ganymede.biggan.internal;

import java.util.ArrayList;
import java.util.List;
import org.ganymede.nn.Layer;
import org.ganymede.nn.Precision;
import org.ganymede.nn.SpectralNorm;
import org.ganymede.nn.Weights;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.op.train.BatchMatMul;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The layers both BigGAN networks are made of, NHWC. Every weight matrix is spectrally normalised
 * and drawn from N(0, 1 / max(fan-in, fan-out)): the element scale of the reference's orthogonal
 * initialisation (a matrix with orthonormal rows or columns has elements of that mean square).
 */
final class BigganLayers {
  private static final List<Long> UNIT_STRIDES = List.of(1L, 1L, 1L, 1L);

  private BigganLayers() {}

  /** A spectrally normalised 'SAME' convolution of stride 1, with a bias. */
  static Layer conv(Weights w, int in, int out, int kernel) {
    return SpectralNorm.conv2d(w, in, out, kernel, 1, stddev(in * kernel * kernel, out));
  }

  /** A spectrally normalised dense layer, with a bias. */
  static Layer dense(Weights w, int in, int out) {
    return SpectralNorm.dense(w, in, out, stddev(in, out));
  }

  /** The element scale of an orthogonal matrix {@code [fanIn, fanOut]}. */
  static float stddev(int fanIn, int fanOut) {
    return (float) (1 / Math.sqrt(Math.max(fanIn, fanOut)));
  }

  /**
   * SAGAN's self-attention as StudioGAN writes it (Zhang et al. 2019): spectrally normalised 1x1
   * convolutions without bias to queries (channels / 8), keys (channels / 8) and values (channels
   * / 2), keys and values max-pooled 2x2 so that each of the h w positions attends over h w / 4;
   * the attended values go through a last 1x1 convolution back to the channels and are added,
   * times a learned gamma that starts at 0, to the input. Height and width must be even.
   */
  static Layer selfAttention(Weights w, int channels) {
    int keys = Math.max(1, channels / 8);
    int values = Math.max(1, channels / 2);
    Layer query = unbiasedConv1x1(w, channels, keys);
    Layer key = unbiasedConv1x1(w, channels, keys);
    Layer value = unbiasedConv1x1(w, channels, values);
    Layer output = unbiasedConv1x1(w, values, channels);
    Variable<TFloat32> gamma = w.constant("attention_gamma", Shape.scalar(), 0f);
    Layer pool = maxPool2x2();
    return (tf, x) -> {
      long h = x.shape().get(1);
      long wd = x.shape().get(2);
      Operand<TFloat32> q = tf.reshape(query.apply(tf, x), tf.constant(new long[] {-1, h * wd, keys}));
      Operand<TFloat32> k =
          tf.reshape(pool.apply(tf, key.apply(tf, x)), tf.constant(new long[] {-1, h * wd / 4, keys}));
      Operand<TFloat32> v =
          tf.reshape(pool.apply(tf, value.apply(tf, x)), tf.constant(new long[] {-1, h * wd / 4, values}));
      Operand<TFloat32> attention =
          tf.nn.softmax(tf.train.batchMatMul(q, k, TFloat32.class, BatchMatMul.adjY(true)));
      Operand<TFloat32> attended = tf.reshape(tf.train.batchMatMul(attention, v, TFloat32.class),
          tf.constant(new long[] {-1, h, wd, values}));
      return tf.math.add(x, tf.math.mul(gamma, output.apply(tf, attended)));
    };
  }

  /**
   * The largest of each 2x2 block, as a reduction over a reshape: the gradient of MaxPool's
   * gradient is missing from TensorFlow, Max's is not, so gradient penalties can differentiate the
   * discriminator's attention.
   */
  static Layer maxPool2x2() {
    return (tf, x) -> {
      long h = x.shape().get(1);
      long wd = x.shape().get(2);
      long c = x.shape().get(3);
      return tf.max(tf.reshape(x, tf.constant(new long[] {-1, h / 2, 2, wd / 2, 2, c})), tf.constant(new int[] {2, 4}));
    };
  }

  /**
   * BigGAN's orthogonal regularisation, without its weight: the sum over the weights of
   * {@code ||W^T W (.) (1 - I)||_F^2}, each weight seen as {@code [fan-in, out]}, so that it
   * penalises the dot products of distinct filters. Computed as {@code ||W^T W||_F^2 - sum_i
   * |w_i|^4} (the diagonal of W^T W holds the filters' squared norms) with the smaller Gram matrix,
   * since {@code ||W^T W||_F = ||W W^T||_F}: by default the first layer's W^T W would be 2048 x 2048
   * at 32 px, its W W^T is 20 x 20.
   */
  static Operand<TFloat32> orthogonality(Ops tf, List<Variable<TFloat32>> weights) {
    List<Operand<TFloat32>> terms = new ArrayList<>();
    Operand<TInt32> all = tf.constant(new int[] {0, 1});
    for (Variable<TFloat32> weight : weights) {
      long out = weight.shape().get(weight.shape().numDimensions() - 1);
      long fanIn = weight.shape().size() / out;
      Operand<TFloat32> m = tf.reshape(weight, tf.constant(new long[] {fanIn, out}));
      Operand<TFloat32> gram = fanIn < out
          ? tf.linalg.matMul(m, m, MatMul.transposeB(true))
          : tf.linalg.matMul(m, m, MatMul.transposeA(true));
      Operand<TFloat32> squaredNorms = tf.reduceSum(tf.math.square(m), tf.constant(new int[] {0}));
      terms.add(tf.math.sub(tf.reduceSum(tf.math.square(gram), all),
          tf.reduceSum(tf.math.square(squaredNorms), tf.constant(new int[] {0}))));
    }
    return tf.math.addN(terms);
  }

  /** A spectrally normalised 1x1 convolution without bias, as SAGAN's attention has them. */
  private static Layer unbiasedConv1x1(Weights w, int in, int out) {
    Variable<TFloat32> filter = w.normal("attention_filter", Shape.of(1, 1, in, out), 0f, stddev(in, out));
    SpectralNorm.Estimate sn = SpectralNorm.estimate(w, filter, out);
    return (tf, x) -> Precision.conv2d(tf, x, sn.normalized(tf), UNIT_STRIDES, "VALID");
  }
}
