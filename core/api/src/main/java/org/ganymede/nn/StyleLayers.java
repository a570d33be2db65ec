package org.ganymede.nn;

import java.util.Arrays;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.nn.LeakyRelu;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The building blocks of StyleGAN2: equalized learning rate, modulated convolution, noise
 * injection, minibatch standard deviation and resampling by 2. Tensors are NHWC. Everything is
 * written out of ops whose gradients have gradients, so R1 and path-length penalties can
 * differentiate through them.
 */
public final class StyleLayers {
  /** The negative slope StyleGAN uses. */
  public static final float LEAKY_SLOPE = 0.2f;
  /** The gain after a leaky ReLU that keeps the activations' second moment (He et al.). */
  public static final float LEAKY_GAIN = (float) Math.sqrt(2);
  /** The learning rate multiplier of StyleGAN2's mapping network. */
  public static final float MAPPING_LR_MULTIPLIER = 0.01f;
  /** Added to the sum of squares before demodulation and to the variance in minibatch stddev. */
  static final float EPSILON = 1e-8f;

  private static final List<Long> UNIT_STRIDES = Arrays.asList(1L, 1L, 1L, 1L);

  private StyleLayers() {}

  /**
   * A layer with a second input besides its activations: the latent w of a modulated
   * convolution, or the noise of a noise injection.
   */
  @FunctionalInterface
  public interface Conditioned {
    Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, Operand<TFloat32> condition);

    /** This layer with its condition fixed, to chain it with plain layers. */
    default Layer with(Operand<TFloat32> condition) {
      return (tf, x) -> apply(tf, x, condition);
    }
  }

  /**
   * A dense or convolution layer with an equalized learning rate: the variables hold
   * N(0, 1/lrMultiplier^2) and are scaled on every use by {@code lrMultiplier / sqrt(fanIn)} (the
   * bias by {@code lrMultiplier}), so every weight learns at the same speed whatever its fan-in
   * and an optimizer's step is multiplied by {@code lrMultiplier}.
   */
  public static final class Equalized implements Layer {
    private final Variable<TFloat32> weight;
    private final Variable<TFloat32> bias;
    private final float weightGain;
    private final float biasGain;
    private final boolean conv;

    private Equalized(Variable<TFloat32> weight, Variable<TFloat32> bias, float weightGain, float biasGain, boolean conv) {
      this.weight = weight;
      this.bias = bias;
      this.weightGain = weightGain;
      this.biasGain = biasGain;
      this.conv = conv;
    }

    @Override
    public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x) {
      Operand<TFloat32> w = effectiveWeight(tf);
      Operand<TFloat32> y = conv ? Precision.conv2d(tf, x, w, UNIT_STRIDES, "SAME") : Precision.matMul(tf, x, w);
      return bias == null ? y : tf.nn.biasAdd(y, tf.math.mul(bias, tf.constant(biasGain)));
    }

    /** The weight the layer multiplies by: the variable times {@link #weightGain}. */
    public Operand<TFloat32> effectiveWeight(Ops tf) {
      return tf.math.mul(weight, tf.constant(weightGain));
    }

    /** {@code [in, out]} for dense, {@code [k, k, in, out]} for a convolution. */
    public Variable<TFloat32> weight() {
      return weight;
    }

    /** The bias variable, or null when the layer has none. */
    public Variable<TFloat32> bias() {
      return bias;
    }

    /** {@code lrMultiplier / sqrt(fanIn)}. */
    public float weightGain() {
      return weightGain;
    }

    /** {@code lrMultiplier}. */
    public float biasGain() {
      return biasGain;
    }
  }

  /**
   * {@code x W + b} with an equalized learning rate (StyleGAN2's FullyConnectedLayer). The bias
   * starts so that the effective bias is {@code biasInit}; the mapping network uses
   * {@code lrMultiplier} 0.01, affines of styles {@code biasInit} 1.
   */
  public static Equalized dense(Weights w, int in, int out, float lrMultiplier, float biasInit) {
    Variable<TFloat32> kernel = w.normal("eq_dense_kernel", Shape.of(in, out), 0f, 1f / lrMultiplier);
    Variable<TFloat32> bias = w.constant("eq_dense_bias", Shape.of(out), biasInit / lrMultiplier);
    return new Equalized(kernel, bias, (float) (lrMultiplier / Math.sqrt(in)), lrMultiplier, false);
  }

  /** A stride-1 'SAME' convolution with an equalized learning rate (StyleGAN2's Conv2dLayer). */
  public static Equalized conv2d(Weights w, int in, int out, int kernel, float lrMultiplier, boolean bias) {
    Variable<TFloat32> filter =
        w.normal("eq_conv_filter", Shape.of(kernel, kernel, in, out), 0f, 1f / lrMultiplier);
    Variable<TFloat32> b = bias ? w.constant("eq_conv_bias", Shape.of(out), 0f) : null;
    return new Equalized(filter, b, (float) (lrMultiplier / Math.sqrt((double) in * kernel * kernel)), lrMultiplier, true);
  }

  /** Leaky ReLU with slope 0.2 times sqrt(2), StyleGAN's activation. */
  public static Layer leakyRelu() {
    return (tf, x) -> tf.math.mul(tf.nn.leakyRelu(x, LeakyRelu.alpha(LEAKY_SLOPE)), tf.constant(LEAKY_GAIN));
  }

  /** Adds a per-channel bias (initialised to {@code init}) to the last axis. */
  public static Layer bias(Weights w, int channels, float init) {
    Variable<TFloat32> b = w.constant("style_bias", Shape.of(channels), init);
    return (tf, x) -> tf.nn.biasAdd(x, b);
  }

  /**
   * Divides each sample by the root mean square of its features (the last axis), plus 1e-8:
   * StyleGAN2's normalize_2nd_moment of z before the mapping network.
   */
  public static Layer pixelNorm() {
    return (tf, x) -> tf.math.mul(x, tf.math.rsqrt(tf.math.add(
        tf.math.mean(tf.math.square(x), tf.constant(new int[] {-1}), org.tensorflow.op.math.Mean.keepDims(true)),
        tf.constant(EPSILON))));
  }

  /**
   * StyleGAN2's mapping network z {@code [n, zDim]} to w {@code [n, wDim]}: pixel norm, then
   * {@code layers} equalized dense layers of width wDim with the leaky ReLU, learning rate
   * multiplier 0.01 (so w moves slowly against the synthesis network).
   */
  public static Layer mapping(Weights w, int zDim, int wDim, int layers) {
    Layer norm = pixelNorm();
    Layer act = leakyRelu();
    Layer[] dense = new Layer[layers];
    for (int i = 0; i < layers; i++) {
      dense[i] = dense(w, i == 0 ? zDim : wDim, wDim, MAPPING_LR_MULTIPLIER, 0f);
    }
    return (tf, z) -> {
      Operand<TFloat32> x = norm.apply(tf, z);
      for (Layer d : dense) {
        x = act.apply(tf, d.apply(tf, x));
      }
      return x;
    };
  }

  /**
   * StyleGAN2's modulated_conv2d on given styles, computed as its fused_modconv=False path:
   * scale the input channels by the style, convolve with the shared weight, scale the output
   * channels by the demodulation coefficients. That equals convolving each sample with its own
   * modulated, demodulated weight, with one plain conv2d for the whole batch.
   *
   * @param x {@code [n, h, w, in]}
   * @param weight {@code [k, k, in, out]}, already scaled by any gain
   * @param styles {@code [n, in]}
   * @param demodulate whether to divide each output channel by the norm of its modulated weight,
   *     {@code sqrt(sum(weight^2 * style^2) + 1e-8)} over the kernel and input channels
   */
  public static Operand<TFloat32> modulatedConv2d(
      Ops tf, Operand<TFloat32> x, Operand<TFloat32> weight, Operand<TFloat32> styles, boolean demodulate) {
    long in = weight.shape().get(2);
    long out = weight.shape().get(3);
    Operand<TFloat32> perChannel = tf.reshape(styles, tf.constant(new long[] {-1, 1, 1, in}));
    Operand<TFloat32> y = Precision.conv2d(tf, tf.math.mul(x, perChannel), weight, UNIT_STRIDES, "SAME");
    if (!demodulate) {
      return y;
    }
    // sum over k, k, i of (w[k,k,i,o] s[n,i])^2 = (s^2 [n,i]) x (sum_kk w^2 [i,o]): one small matmul.
    Operand<TFloat32> weightSquares = tf.reshape(
        tf.reduceSum(tf.math.square(weight), tf.constant(new int[] {0, 1})), tf.constant(new long[] {in, out}));
    Operand<TFloat32> norms = tf.linalg.matMul(tf.math.square(styles), weightSquares);
    Operand<TFloat32> demod = tf.math.rsqrt(tf.math.add(norms, tf.constant(EPSILON)));
    return tf.math.mul(y, tf.reshape(demod, tf.constant(new long[] {-1, 1, 1, out})));
  }

  /**
   * A modulated convolution whose condition is w {@code [n, wDim]}: styles come from an equalized
   * affine of w with bias 1 (so styles start near 1), the weight is N(0, 1) scaled by
   * {@code 1/sqrt(in k k)}. No bias: StyleGAN adds noise, then bias, then the activation. With
   * {@code demodulate} false and kernel 1 it is StyleGAN2's toRGB.
   */
  public static Conditioned modulatedConv2d(Weights w, int wDim, int in, int out, int kernel, boolean demodulate) {
    Equalized affine = dense(w, wDim, in, 1f, 1f);
    Variable<TFloat32> filter = w.normal("mod_conv_filter", Shape.of(kernel, kernel, in, out), 0f, 1f);
    float gain = (float) (1 / Math.sqrt((double) in * kernel * kernel));
    return (tf, x, latent) -> modulatedConv2d(
        tf, x, tf.math.mul(filter, tf.constant(gain)), affine.apply(tf, latent), demodulate);
  }

  /**
   * Adds {@code noise * strength}, the strength a learned scalar initialised 0. The condition is
   * the noise, {@code [n, h, w, 1]} (broadcast over channels): the caller draws it, seeded for
   * training or fixed for evaluation.
   */
  public static Conditioned noise(Weights w) {
    Variable<TFloat32> strength = w.constant("noise_strength", Shape.scalar(), 0f);
    return (tf, x, noise) -> tf.math.add(x, tf.math.mul(noise, strength));
  }

  /**
   * Appends, as {@code numChannels} new channels, the standard deviation of the features over a
   * group of samples (StyleGAN's minibatch stddev): the stddev over the group of each feature,
   * averaged over pixels and over the channels of each of {@code numChannels} channel groups. The
   * group is {@code min(groupSize, n)}; samples i, i + n/G, i + 2n/G, ... form a group, as the
   * reference reshapes. Requires n divisible by the group (so n < groupSize is fine, the group is
   * then the whole batch); otherwise the graph fails at run time with a message saying so.
   * Height, width and channels must be known when the graph is built.
   */
  public static Layer minibatchStddev(int groupSize, int numChannels) {
    return (tf, x) -> {
      long h = x.shape().get(1);
      long wd = x.shape().get(2);
      long c = x.shape().get(3);
      if (h < 0 || wd < 0 || c < 0 || c % numChannels != 0) {
        throw new IllegalArgumentException("minibatch stddev needs known [h, w, c] with c divisible by "
            + numChannels + ", got " + x.shape());
      }
      Operand<TInt32> n = tf.slice(tf.shape(x), tf.constant(new int[] {0}), tf.constant(new int[] {1}));
      Operand<TInt32> g = tf.math.minimum(n, tf.constant(new int[] {groupSize}));
      var check = tf.assertThat(
          tf.reshape(tf.math.equal(tf.math.floorMod(n, g), tf.constant(new int[] {0})), tf.constant(new int[0])),
          List.of(tf.constant("minibatch stddev: the batch must be divisible by the group size"), n, g));
      Ops checked = tf.withControlDependencies(List.of(check));
      // [G, n/G, h, w, F, c/F]: group member first, as the reference's reshape(G, -1, ...).
      Operand<TFloat32> y = checked.reshape(x, tf.concat(
          List.of(g, tf.constant(new int[] {-1, (int) h, (int) wd, numChannels, (int) (c / numChannels)})),
          tf.constant(0)));
      Operand<TInt32> groupAxis = tf.constant(new int[] {0});
      y = tf.math.sub(y, tf.math.mean(y, groupAxis, org.tensorflow.op.math.Mean.keepDims(true)));
      y = tf.math.mean(tf.math.square(y), groupAxis);
      y = tf.math.sqrt(tf.math.add(y, tf.constant(EPSILON)));
      y = tf.math.mean(y, tf.constant(new int[] {1, 2, 4})); // [n/G, F]
      // Broadcast back over the group and the pixels by a product with ones: Mul's gradient is
      // differentiable again, which keeps R1 working.
      Operand<TFloat32> ones = tf.fill(
          tf.concat(List.of(g, tf.constant(new int[] {1, (int) h, (int) wd, 1})), tf.constant(0)), tf.constant(1f));
      Operand<TFloat32> spread = tf.math.mul(
          tf.reshape(y, tf.constant(new long[] {1, -1, 1, 1, numChannels})), ones);
      return tf.concat(
          List.of(x, tf.reshape(spread, tf.constant(new long[] {-1, h, wd, numChannels}))), tf.constant(3));
    };
  }

  /** Minibatch stddev with StyleGAN2's defaults: group of 4, one channel. */
  public static Layer minibatchStddev() {
    return minibatchStddev(4, 1);
  }

  /**
   * Halves height and width by averaging 2x2 blocks (a box filter; for a factor of 2 this is what
   * bilinear resizing with half-pixel centres gives): a 2x2 average pool, whose gradient's gradient
   * {@link Gradients} registers. Height and width must be even.
   */
  public static Layer downsample() {
    List<Long> window = Arrays.asList(1L, 2L, 2L, 1L);
    return (tf, x) -> tf.nn.avgPool(x, window, window, "VALID");
  }

  /**
   * Doubles height and width by repeating each pixel 2x2 (nearest neighbour), written as a
   * product with ones so its gradient has a gradient; height and width must be known.
   */
  public static Layer upsample() {
    return (tf, x) -> {
      long h = x.shape().get(1);
      long wd = x.shape().get(2);
      long c = x.shape().get(3);
      Operand<TFloat32> spread = tf.math.mul(
          tf.reshape(x, tf.constant(new long[] {-1, h, 1, wd, 1, c})),
          tf.ones(tf.constant(new long[] {1, 1, 2, 1, 2, 1}), TFloat32.class));
      return tf.reshape(spread, tf.constant(new long[] {-1, 2 * h, 2 * wd, c}));
    };
  }

  /**
   * StyleGAN2's residual discriminator block: 3x3 conv and activation at full size, downsample,
   * 3x3 conv and activation; plus a skip of downsample and 1x1 conv without bias; the sum times
   * sqrt(1/2) keeps the variance.
   */
  public static Layer residualBlock(Weights w, int in, int out) {
    Equalized conv0 = conv2d(w, in, in, 3, 1f, true);
    Equalized conv1 = conv2d(w, in, out, 3, 1f, true);
    Equalized skip = conv2d(w, in, out, 1, 1f, false);
    Layer act = leakyRelu();
    Layer down = downsample();
    return (tf, x) -> {
      Operand<TFloat32> y = skip.apply(tf, down.apply(tf, x));
      Operand<TFloat32> h = act.apply(tf, conv0.apply(tf, x));
      h = act.apply(tf, conv1.apply(tf, down.apply(tf, h)));
      return tf.math.mul(tf.math.add(y, h), tf.constant((float) Math.sqrt(0.5)));
    };
  }
}
