package org.ganymede.stylegan.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.ganymede.nn.Layer;
import org.ganymede.nn.StyleLayers;
import org.ganymede.nn.Weights;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * StyleGAN2's generator: the mapping network z to w and the synthesis network from a learned 4x4
 * constant, with the skip architecture (a toRGB per resolution, the images summed after
 * upsampling). Build it twice with the same seed for the live and the averaged copy: both then
 * have the same variables, in the same order, with the same initial values.
 */
final class Generator {
  private final StyleganConfig config;
  private final Weights weights;
  private final Layer mapping;
  private final List<List<Variable<TFloat32>>> mappingLayers = new ArrayList<>();
  private final Variable<TFloat32> constant;
  private final List<StyleConv> convs = new ArrayList<>();
  private final List<ToRgb> toRgbs = new ArrayList<>();

  /** One modulated 3x3 convolution, then noise, bias and the activation. */
  private record StyleConv(
      int resolution, boolean upsample, StyleLayers.Conditioned conv, StyleLayers.Conditioned noise, Layer bias) {}

  /** A 1x1 modulated convolution without demodulation, plus a bias. */
  private record ToRgb(StyleLayers.Conditioned conv, Layer bias) {}

  Generator(Ops tf, long seed, StyleganConfig config) {
    this.config = config;
    this.weights = Weights.seeded(tf, seed);
    int wDim = config.styleSize();
    mapping = StyleLayers.mapping(weights, config.latentSize(), wDim, config.mappingLayers());
    // The mapping's dense layers made the first variables, the same number each.
    List<Variable<TFloat32>> made = weights.variables();
    int perLayer = made.size() / config.mappingLayers();
    for (int i = 0; i < config.mappingLayers(); i++) {
      mappingLayers.add(List.copyOf(made.subList(i * perLayer, (i + 1) * perLayer)));
    }
    constant = weights.normal("synthesis_const", Shape.of(1, 4, 4, config.width(4)), 0f, 1f);
    int in = config.width(4);
    for (int resolution = 4; resolution <= config.size(); resolution *= 2) {
      int out = config.width(resolution);
      if (resolution > 4) {
        convs.add(styleConv(resolution, true, in, out));
      }
      convs.add(styleConv(resolution, false, out, out));
      toRgbs.add(new ToRgb(StyleLayers.modulatedConv2d(weights, wDim, out, config.imageChannels(), 1, false),
          StyleLayers.bias(weights, config.imageChannels(), 0f)));
      in = out;
    }
  }

  private StyleConv styleConv(int resolution, boolean upsample, int in, int out) {
    return new StyleConv(resolution, upsample,
        StyleLayers.modulatedConv2d(weights, config.styleSize(), in, out, 3, true),
        StyleLayers.noise(weights),
        StyleLayers.bias(weights, out, 0f));
  }

  /** The variables of each of the mapping network's dense layers, first first, for freezing. */
  List<List<Variable<TFloat32>>> mappingLayers() {
    return mappingLayers;
  }

  /** Every variable, mapping network first. */
  List<Variable<TFloat32>> variables() {
    return weights.variables();
  }

  /** z {@code [n, latentSize]} to w {@code [n, styleSize]}. */
  Operand<TFloat32> map(Ops tf, Operand<TFloat32> z) {
    return mapping.apply(tf, z);
  }

  /**
   * The image for one w per style input.
   *
   * @param ws {@link StyleganConfig#styleInputs()} tensors {@code [n, styleSize]}: conv i reads
   *     ws[i], the toRGB after conv i reads ws[i + 1] (as StyleGAN2 shares a w between a block's
   *     toRGB and the next block's first conv)
   * @param noise the noise of conv i, {@code [n or 1, r, r, 1]} at its resolution r
   */
  Operand<TFloat32> synthesize(Ops tf, List<Operand<TFloat32>> ws, IntFunction<Operand<TFloat32>> noise) {
    if (ws.size() != config.styleInputs()) {
      throw new IllegalArgumentException(ws.size() + " styles for " + config.styleInputs() + " inputs");
    }
    Layer act = StyleLayers.leakyRelu();
    Layer up = StyleLayers.upsample();
    // The constant repeated over the batch, by a product with ones (differentiable twice).
    Operand<TFloat32> ones = tf.reshape(
        tf.onesLike(tf.slice(ws.get(0), tf.constant(new int[] {0, 0}), tf.constant(new int[] {-1, 1}))),
        tf.constant(new long[] {-1, 1, 1, 1}));
    Operand<TFloat32> x = tf.math.mul(constant, ones);
    Operand<TFloat32> image = null;
    int rgb = 0;
    for (int i = 0; i < convs.size(); i++) {
      StyleConv c = convs.get(i);
      if (c.upsample()) {
        x = up.apply(tf, x);
      }
      x = c.conv().apply(tf, x, ws.get(i));
      x = c.noise().apply(tf, x, noise.apply(i));
      x = act.apply(tf, c.bias().apply(tf, x));
      boolean lastOfResolution = i + 1 == convs.size() || convs.get(i + 1).upsample();
      if (lastOfResolution) {
        ToRgb t = toRgbs.get(rgb++);
        Operand<TFloat32> y = t.bias().apply(tf, t.conv().apply(tf, x, ws.get(i + 1)));
        image = image == null ? y : tf.math.add(upsampleSmoothly(tf, image), y);
      }
    }
    return image;
  }

  /**
   * Doubles the height and width of a skip image bilinearly, edge pixels repeated: nearest-neighbour
   * copies, then a [1, 2, 1] / 4 filter along both axes. StyleGAN2 upsamples its skip images with a
   * smooth filter too: copies of the 4x4 image would show as blocks in every sample.
   */
  private Operand<TFloat32> upsampleSmoothly(Ops tf, Operand<TFloat32> image) {
    int c = config.imageChannels();
    float[] taps = {0.25f, 0.5f, 0.25f};
    float[][][][] filter = new float[3][3][c][c];
    for (int y = 0; y < 3; y++) {
      for (int x = 0; x < 3; x++) {
        for (int k = 0; k < c; k++) {
          filter[y][x][k][k] = taps[y] * taps[x];
        }
      }
    }
    Operand<TFloat32> copies = StyleLayers.upsample().apply(tf, image);
    // Mirror padding repeats the edge pixels; MirrorPad and Conv2D have gradients of gradients.
    Operand<TFloat32> padded =
        tf.mirrorPad(copies, tf.constant(new int[][] {{0, 0}, {1, 1}, {1, 1}, {0, 0}}), "SYMMETRIC");
    return tf.nn.conv2d(padded, tf.constant(filter), List.of(1L, 1L, 1L, 1L), "VALID");
  }

  /** The side of conv i's feature maps. */
  int resolutionOf(int conv) {
    return convs.get(conv).resolution();
  }

  int convCount() {
    return convs.size();
  }
}
