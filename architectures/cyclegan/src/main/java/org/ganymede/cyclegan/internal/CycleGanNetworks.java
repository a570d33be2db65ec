package org.ganymede.cyclegan.internal;

import org.ganymede.nn.ImageLayers;
import org.ganymede.nn.Layer;
import org.ganymede.nn.Layers;
import org.ganymede.nn.Network;
import org.ganymede.nn.Weights;
import org.tensorflow.op.Ops;

/**
 * The networks of CycleGAN (Zhu et al. 2017), NHWC, as in the authors' reference implementation
 * with instance normalisation: no scale or shift in the norm, so every convolution has a bias.
 * Weights are drawn from N(0, 0.02) and biases start at 0.
 *
 * <ul>
 *   <li>ResNet generator: c7s1-ngf, two stride-2 downsamplings (d2ngf, d4ngf), {@code blocks}
 *       residual blocks at 4 ngf, two transposed-convolution upsamplings (u2ngf, ungf), c7s1-C,
 *       tanh. 9 blocks for 256 px images, 6 for smaller ones.
 *   <li>U-Net generator: {@code downs} 4x4 stride-2 convolutions down to {@code size / 2^downs}
 *       and as many transposed ones up, each level's input concatenated to its output. The
 *       reference's optional dropout (p 0.5 in the ngf*8 middle levels) is left out.
 *   <li>PatchGAN discriminator ({@code layers} stride-2 4x4 convolutions, then two stride-1 ones),
 *       giving one logit per overlapping patch.
 * </ul>
 */
final class CycleGanNetworks {
  static final float WEIGHT_STDDEV = 0.02f;
  static final float LEAKY_SLOPE = 0.2f;
  /** The U-Net's levels besides the ngf*8 ones in its middle. */
  static final int UNET_MIN_DOWNS = 5;

  private static final int DOWNSAMPLINGS = 2;
  private static final int PATCH_KERNEL = 4;
  private static final int PATCH_PADDING = 1;
  private static final int MAX_WIDTH_MULTIPLE = 8;

  private CycleGanNetworks() {}

  /** The reference's residual blocks for a side: 9 from 256 px up, 6 below. */
  static int defaultBlocks(int size) {
    return size >= 256 ? 9 : 6;
  }

  /** The U-Net levels that take {@code size} down to a 1x1 bottleneck: log2 of the side. */
  static int unetDownsFor(int size) {
    if (size < 1 << UNET_MIN_DOWNS || Integer.bitCount(size) != 1) {
      throw new IllegalArgumentException(
          "the U-Net generator needs a power of two of at least " + (1 << UNET_MIN_DOWNS) + " px, not " + size);
    }
    return Integer.numberOfTrailingZeros(size);
  }

  /**
   * Maps images {@code [n, size, size, inChannels]} to images {@code [n, size, size, outChannels]}
   * in [-1, 1]; {@code size} must be a multiple of 4.
   */
  static Network resnetGenerator(Ops tf, long seed, int size, int inChannels, int outChannels, int ngf, int blocks) {
    if (size % (1 << DOWNSAMPLINGS) != 0) {
      throw new IllegalArgumentException("the ResNet generator needs a side divisible by 4, not " + size);
    }
    if (blocks < 0) {
      throw new IllegalArgumentException("residual blocks must not be negative: " + blocks);
    }
    Network.Builder g = Network.builder(tf, seed)
        .add(w -> ImageLayers.reflectionPad(3))
        .add(w -> ImageLayers.conv2dValid(w, inChannels, ngf, 7, 1, WEIGHT_STDDEV))
        .add(w -> ImageLayers.instanceNorm())
        .add(w -> ImageLayers.relu());
    int width = ngf;
    int side = size;
    for (int i = 0; i < DOWNSAMPLINGS; i++) {
      int in = width;
      g.add(w -> ImageLayers.conv2d(w, in, 2 * in, 3, 2, 1, WEIGHT_STDDEV))
          .add(w -> ImageLayers.instanceNorm())
          .add(w -> ImageLayers.relu());
      width *= 2;
      side /= 2;
    }
    for (int i = 0; i < blocks; i++) {
      int channels = width;
      g.add(w -> ImageLayers.residualBlock(w, channels, WEIGHT_STDDEV));
    }
    for (int i = 0; i < DOWNSAMPLINGS; i++) {
      int in = width;
      int inSide = side;
      // Kernel 3, stride 2, padding 1, output padding 1: exactly twice the side.
      g.add(w -> ImageLayers.conv2dTranspose(w, in, in / 2, 3, 2, 1, 1, inSide, WEIGHT_STDDEV))
          .add(w -> ImageLayers.instanceNorm())
          .add(w -> ImageLayers.relu());
      width /= 2;
      side *= 2;
    }
    int last = width;
    return g.add(w -> ImageLayers.reflectionPad(3))
        .add(w -> ImageLayers.conv2dValid(w, last, outChannels, 7, 1, WEIGHT_STDDEV))
        .add(w -> ImageLayers.tanh())
        .build();
  }

  /**
   * Maps images {@code [n, size, size, inChannels]} to images {@code [n, size, size, outChannels]}
   * in [-1, 1] through {@code downs} halvings: {@code size} must be a multiple of {@code 2^downs}
   * (equal to it for a 1x1 bottleneck, as the reference: 5 for 32 px, 8 for 256 px).
   */
  static Network unetGenerator(Ops tf, long seed, int size, int inChannels, int outChannels, int ngf, int downs) {
    if (downs < UNET_MIN_DOWNS || downs > 30 || size % (1 << downs) != 0) {
      throw new IllegalArgumentException(
          "the U-Net generator needs at least " + UNET_MIN_DOWNS + " levels and a side divisible by 2^levels, not "
              + downs + " levels for " + size + " px");
    }
    return Network.builder(tf, seed).add(w -> unet(w, size, inChannels, outChannels, ngf, downs)).build();
  }

  /** The levels from the innermost out, as the reference nests them (variables are created in that order). */
  private static Layer unet(Weights w, int size, int inChannels, int outChannels, int ngf, int downs) {
    int wide = ngf * MAX_WIDTH_MULTIPLE;
    Layer block = unetLevel(w, Level.INNERMOST, wide, wide, wide, size >> (downs - 1), null);
    for (int i = 0; i < downs - UNET_MIN_DOWNS; i++) {
      block = unetLevel(w, Level.MIDDLE, wide, wide, wide, size >> (downs - 2 - i), block);
    }
    block = unetLevel(w, Level.MIDDLE, ngf * 4, ngf * 8, ngf * 4, size >> 3, block);
    block = unetLevel(w, Level.MIDDLE, ngf * 2, ngf * 4, ngf * 2, size >> 2, block);
    block = unetLevel(w, Level.MIDDLE, ngf, ngf * 2, ngf, size >> 1, block);
    return unetLevel(w, Level.OUTERMOST, outChannels, ngf, inChannels, size, block);
  }

  private enum Level {
    INNERMOST,
    MIDDLE,
    OUTERMOST
  }

  /**
   * One level of the U-Net (the reference's UnetSkipConnectionBlock): x of side {@code side} and
   * {@code in} channels goes down to {@code inner} channels at half the side, through the inner
   * levels, and back up to {@code outer} channels; but for the outermost level, x is concatenated
   * in front of the result.
   */
  private static Layer unetLevel(Weights w, Level level, int outer, int inner, int in, int side, Layer submodule) {
    Layer down = ImageLayers.conv2d(w, in, inner, 4, 2, 1, WEIGHT_STDDEV);
    // The innermost level's up-convolution sees only its own down path; the others see the skip too.
    int upIn = level == Level.INNERMOST ? inner : 2 * inner;
    Layer up = ImageLayers.conv2dTranspose(w, upIn, outer, 4, 2, 1, 0, side / 2, WEIGHT_STDDEV);
    switch (level) {
      case OUTERMOST:
        return ImageLayers.sequence(down, submodule, ImageLayers.relu(), up, ImageLayers.tanh());
      case INNERMOST:
        return ImageLayers.concatSkip(ImageLayers.sequence(
            Layers.leakyRelu(LEAKY_SLOPE), down, ImageLayers.relu(), up, ImageLayers.instanceNorm()));
      default:
        return ImageLayers.concatSkip(ImageLayers.sequence(
            Layers.leakyRelu(LEAKY_SLOPE), down, ImageLayers.instanceNorm(), submodule,
            ImageLayers.relu(), up, ImageLayers.instanceNorm()));
    }
  }

  /**
   * Maps images {@code [n, size, size, channels]} to logits {@code [n, g, g, 1]}, one per patch,
   * with {@code g = }{@link #patchGridSide}.
   */
  static Network patchDiscriminator(Ops tf, long seed, int channels, int ndf, int layers) {
    if (layers < 1) {
      throw new IllegalArgumentException("the PatchGAN discriminator needs at least one layer, not " + layers);
    }
    // No norm on the first layer.
    Network.Builder d = Network.builder(tf, seed)
        .add(w -> ImageLayers.conv2d(w, channels, ndf, PATCH_KERNEL, 2, PATCH_PADDING, WEIGHT_STDDEV))
        .leakyRelu(LEAKY_SLOPE);
    int width = ndf;
    for (int n = 1; n <= layers; n++) {
      int in = width;
      int out = ndf * Math.min(1 << n, MAX_WIDTH_MULTIPLE);
      int stride = n < layers ? 2 : 1;
      d.add(w -> ImageLayers.conv2d(w, in, out, PATCH_KERNEL, stride, PATCH_PADDING, WEIGHT_STDDEV))
          .add(w -> ImageLayers.instanceNorm())
          .leakyRelu(LEAKY_SLOPE);
      width = out;
    }
    int last = width;
    return d.add(w -> ImageLayers.conv2d(w, last, 1, PATCH_KERNEL, 1, PATCH_PADDING, WEIGHT_STDDEV)).build();
  }

  /**
   * The side of the discriminator's grid of logits: each stride-2 layer maps s to s / 2 (rounded
   * down), each stride-1 one to s - 1. 2 at 32 px, 6 at 64, 14 at 128 and 30 at 256 for 3 layers.
   */
  static int patchGridSide(int size, int layers) {
    int side = size;
    for (int n = 0; n < layers; n++) {
      side = ImageLayers.convSide(side, PATCH_KERNEL, 2, PATCH_PADDING);
    }
    for (int n = 0; n < 2; n++) {
      side = ImageLayers.convSide(side, PATCH_KERNEL, 1, PATCH_PADDING);
    }
    return side;
  }
}
