package org.ganymede.nn;

import java.util.Arrays;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Layers of image-to-image networks (ResNet and U-Net generators, PatchGAN discriminators), NHWC.
 * Padding is explicit, as in the convolutions these networks were published with: a symmetric
 * zero or reflection padding followed by a 'VALID' convolution, and transposed convolutions with a
 * padding and an output padding. Each layer that owns variables creates them when called.
 */
public final class ImageLayers {
  /** The epsilon of instance normalisation. */
  public static final float INSTANCE_NORM_EPSILON = 1e-5f;

  private static final int HEIGHT = 1;
  private static final int WIDTH = 2;
  private static final int CHANNELS = 3;

  private ImageLayers() {}

  /**
   * Instance normalisation without scale or shift: each sample's channel is shifted and scaled to
   * mean 0 and (biased) variance 1 over its height and width. Written out of plain ops so its
   * second-order gradients exist.
   */
  public static Layer instanceNorm() {
    return (tf, x) -> {
      Operand<TInt32> axes = tf.constant(new int[] {HEIGHT, WIDTH});
      Operand<TFloat32> mean = tf.math.mean(x, axes, org.tensorflow.op.math.Mean.keepDims(true));
      Operand<TFloat32> centered = tf.math.sub(x, mean);
      Operand<TFloat32> variance =
          tf.math.mean(tf.math.square(centered), axes, org.tensorflow.op.math.Mean.keepDims(true));
      return tf.math.mul(centered, tf.math.rsqrt(tf.math.add(variance, tf.constant(INSTANCE_NORM_EPSILON))));
    };
  }

  /** Pads height and width by {@code pad} on each side with their reflection (the edge is not repeated). */
  public static Layer reflectionPad(int pad) {
    requireNonNegative("pad", pad);
    return (tf, x) -> tf.mirrorPad(x, spatialPaddings(tf, pad), "REFLECT");
  }

  /** Pads height and width by {@code pad} on each side with zeros. */
  public static Layer zeroPad(int pad) {
    requireNonNegative("pad", pad);
    return (tf, x) -> tf.pad(x, spatialPaddings(tf, pad), tf.constant(0f));
  }

  /**
   * A convolution over the input padded with {@code padding} zeros on each side (0: none), then
   * 'VALID': the output side is {@code (side + 2 padding - kernel) / stride + 1}, rounded down.
   */
  public static Layer conv2d(Weights w, int in, int out, int kernel, int stride, int padding, float stddev) {
    requireNonNegative("padding", padding);
    Variable<TFloat32> filter = w.normal("conv_filter", Shape.of(kernel, kernel, in, out), 0f, stddev);
    Variable<TFloat32> bias = w.constant("conv_bias", Shape.of(out), 0f);
    List<Long> strides = Arrays.asList(1L, (long) stride, (long) stride, 1L);
    Layer pad = zeroPad(padding);
    return (tf, x) -> {
      Operand<TFloat32> padded = padding == 0 ? x : pad.apply(tf, x);
      return tf.nn.biasAdd(Precision.conv2d(tf, padded, filter, strides, "VALID"), bias);
    };
  }

  /** A 'VALID' convolution, for use after {@link #reflectionPad}. */
  public static Layer conv2dValid(Weights w, int in, int out, int kernel, int stride, float stddev) {
    return conv2d(w, in, out, kernel, stride, 0, stddev);
  }

  /**
   * The transpose of {@link #conv2d}, with the size rule of a transposed convolution with padding
   * and output padding: the output side is {@code (side - 1) stride - 2 padding + kernel +
   * outputPadding}. It computes the full transposed convolution, of side {@code (side - 1) stride +
   * kernel}, and drops {@code padding} rows and columns before and {@code padding - outputPadding}
   * after. Kernel 3, stride 2, padding 1, output padding 1 and kernel 4, stride 2, padding 1 both
   * double the side.
   *
   * @param side the input's height and width (the graph needs the output's size up front)
   */
  public static Layer conv2dTranspose(
      Weights w, int in, int out, int kernel, int stride, int padding, int outputPadding, int side, float stddev) {
    requireNonNegative("padding", padding);
    requireNonNegative("outputPadding", outputPadding);
    if (outputPadding > padding) {
      throw new IllegalArgumentException(
          "output padding " + outputPadding + " larger than the padding " + padding + " is not supported");
    }
    // conv2d_backprop_input's filter is [h, w, out, in]: the transpose of the forward conv it inverts.
    Variable<TFloat32> filter = w.normal("upconv_filter", Shape.of(kernel, kernel, out, in), 0f, stddev);
    Variable<TFloat32> bias = w.constant("upconv_bias", Shape.of(out), 0f);
    List<Long> strides = Arrays.asList(1L, (long) stride, (long) stride, 1L);
    int full = (side - 1) * stride + kernel;
    int outSide = transposedSide(side, kernel, stride, padding, outputPadding);
    return (tf, x) -> {
      Operand<TInt32> batch = tf.slice(tf.shape(x), tf.constant(new int[] {0}), tf.constant(new int[] {1}));
      Operand<TInt32> fullShape = tf.concat(List.of(batch, tf.constant(new int[] {full, full, out})), tf.constant(0));
      Operand<TFloat32> y = Precision.conv2dTranspose(tf, fullShape, filter, x, strides, "VALID");
      if (outSide != full) {
        y = tf.slice(y, tf.constant(new int[] {0, padding, padding, 0}), tf.constant(new int[] {-1, outSide, outSide, -1}));
      }
      return tf.nn.biasAdd(y, bias);
    };
  }

  /** The output side of {@link #conv2dTranspose}. */
  public static int transposedSide(int side, int kernel, int stride, int padding, int outputPadding) {
    return (side - 1) * stride - 2 * padding + kernel + outputPadding;
  }

  /** The output side of {@link #conv2d}. */
  public static int convSide(int side, int kernel, int stride, int padding) {
    return (side + 2 * padding - kernel) / stride + 1;
  }

  public static Layer relu() {
    return (tf, x) -> tf.nn.relu(x);
  }

  public static Layer tanh() {
    return (tf, x) -> tf.math.tanh(x);
  }

  /**
   * The residual block of the ResNet generator: reflection-pad 1, conv 3x3, instance norm, ReLU,
   * reflection-pad 1, conv 3x3, instance norm; the input is added to the result.
   */
  public static Layer residualBlock(Weights w, int channels, float stddev) {
    Layer body = sequence(
        reflectionPad(1),
        conv2dValid(w, channels, channels, 3, 1, stddev),
        instanceNorm(),
        relu(),
        reflectionPad(1),
        conv2dValid(w, channels, channels, 3, 1, stddev),
        instanceNorm());
    return (tf, x) -> tf.math.add(x, body.apply(tf, x));
  }

  /** The layers applied in order. */
  public static Layer sequence(Layer... layers) {
    List<Layer> steps = List.of(layers);
    return (tf, x) -> {
      Operand<TFloat32> y = x;
      for (Layer step : steps) {
        y = step.apply(tf, y);
      }
      return y;
    };
  }

  /** A skip connection: the input and {@code inner}'s output concatenated along the channels. */
  public static Layer concatSkip(Layer inner) {
    return (tf, x) -> tf.concat(List.of(x, inner.apply(tf, x)), tf.constant(CHANNELS));
  }

  private static Operand<TInt32> spatialPaddings(Ops tf, int pad) {
    return tf.constant(new int[][] {{0, 0}, {pad, pad}, {pad, pad}, {0, 0}});
  }

  private static void requireNonNegative(String name, int value) {
    if (value < 0) {
      throw new IllegalArgumentException(name + " must not be negative: " + value);
    }
  }
}
