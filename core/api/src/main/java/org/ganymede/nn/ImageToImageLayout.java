package org.ganymede.nn;

import java.util.ArrayList;
import java.util.List;
import org.ganymede.api.RandomSource;
import org.tensorflow.op.Ops;

/**
 * The image-to-image networks CycleGAN and pix2pix share (Isola et al. 2017, Zhu et al. 2017),
 * NHWC, as in the authors' reference implementation: a U-Net generator and a PatchGAN
 * discriminator, with instance normalisation (CycleGAN) or batch normalisation (pix2pix). Weights
 * are drawn from N(0, 0.02) and biases start at 0; every convolution keeps its bias (the
 * reference drops it before a batch norm, whose shift makes it redundant).
 *
 * <ul>
 *   <li>U-Net generator: {@code downs} 4x4 stride-2 convolutions down to {@code size / 2^downs}
 *       and as many transposed ones up, each level's input concatenated to its output. With
 *       dropout (pix2pix's noise), p 0.5 after the up-convolution of the three levels above the
 *       innermost, as the reference at 256 px, where those are its ngf*8 levels.
 *   <li>PatchGAN discriminator ({@code layers} stride-2 4x4 convolutions, then two stride-1 ones),
 *       giving one logit per overlapping patch.
 * </ul>
 */
public final class ImageToImageLayout {
  public static final float WEIGHT_STDDEV = 0.02f;
  public static final float LEAKY_SLOPE = 0.2f;
  /** The U-Net's levels besides the ngf*8 ones in its middle. */
  public static final int UNET_MIN_DOWNS = 5;
  /** The levels above the innermost whose up path drops out, as the reference's ngf*8 levels at 256 px. */
  public static final int DROPOUT_LEVELS = 3;

  private static final int PATCH_KERNEL = 4;
  private static final int PATCH_PADDING = 1;
  private static final int MAX_WIDTH_MULTIPLE = 8;

  private ImageToImageLayout() {}

  /** The normalisation after each convolution but the first and last. */
  public enum Norm {
    /** Per sample and channel, without scale or shift (CycleGAN). */
    INSTANCE,
    /** Over the batch, with a learned scale and shift (pix2pix). */
    BATCH
  }

  /**
   * The U-Net's dropout.
   *
   * @param random where the dropped units are drawn from: the run's stateless random numbers
   * @param rate the probability that a unit is dropped
   */
  public record Dropout(RandomSource random, float rate) {
    public Dropout {
      if (!(rate > 0 && rate < 1)) {
        throw new IllegalArgumentException("a dropout rate lies strictly between 0 and 1, not " + rate);
      }
    }
  }

  /** The U-Net levels that take {@code size} down to a 1x1 bottleneck: log2 of the side. */
  public static int unetDownsFor(int size) {
    if (size < 1 << UNET_MIN_DOWNS || Integer.bitCount(size) != 1) {
      throw new IllegalArgumentException(
          "the U-Net generator needs a power of two of at least " + (1 << UNET_MIN_DOWNS) + " px, not " + size);
    }
    return Integer.numberOfTrailingZeros(size);
  }

  /**
   * Maps images {@code [n, size, size, inChannels]} to images {@code [n, size, size, outChannels]}
   * in [-1, 1] through {@code downs} halvings: {@code size} must be a multiple of {@code 2^downs}
   * (equal to it for a 1x1 bottleneck, as the reference: 5 for 32 px, 8 for 256 px).
   *
   * @param dropout the dropout of pix2pix's generator, or null for none
   */
  public static Network unet(Ops tf, long seed, int size, int inChannels, int outChannels, int ngf, int downs,
      Norm norm, Dropout dropout) {
    if (downs < UNET_MIN_DOWNS || downs > 30 || size % (1 << downs) != 0) {
      throw new IllegalArgumentException(
          "the U-Net generator needs at least " + UNET_MIN_DOWNS + " levels and a side divisible by 2^levels, not "
              + downs + " levels for " + size + " px");
    }
    return Network.builder(tf, seed).add(w -> unet(w, size, inChannels, outChannels, ngf, downs, norm, dropout))
        .build();
  }

  /** The levels from the innermost out, as the reference nests them (variables are created in that order). */
  private static Layer unet(Weights w, int size, int inChannels, int outChannels, int ngf, int downs, Norm norm,
      Dropout dropout) {
    int wide = ngf * MAX_WIDTH_MULTIPLE;
    Unet u = new Unet(w, norm, dropout);
    Layer block = u.level(Level.INNERMOST, wide, wide, wide, size >> (downs - 1), null);
    for (int i = 0; i < downs - UNET_MIN_DOWNS; i++) {
      block = u.level(Level.MIDDLE, wide, wide, wide, size >> (downs - 2 - i), block);
    }
    block = u.level(Level.MIDDLE, ngf * 4, ngf * 8, ngf * 4, size >> 3, block);
    block = u.level(Level.MIDDLE, ngf * 2, ngf * 4, ngf * 2, size >> 2, block);
    block = u.level(Level.MIDDLE, ngf, ngf * 2, ngf, size >> 1, block);
    return u.level(Level.OUTERMOST, outChannels, ngf, inChannels, size, block);
  }

  private enum Level {
    INNERMOST,
    MIDDLE,
    OUTERMOST
  }

  /** Builds the U-Net's levels in order, counting the middle ones for dropout. */
  private static final class Unet {
    private final Weights w;
    private final Norm norm;
    private final Dropout dropout;
    private int middles;

    Unet(Weights w, Norm norm, Dropout dropout) {
      this.w = w;
      this.norm = norm;
      this.dropout = dropout;
    }

    /**
     * One level (the reference's UnetSkipConnectionBlock): x of side {@code side} and {@code in}
     * channels goes down to {@code inner} channels at half the side, through the inner levels,
     * and back up to {@code outer} channels; but for the outermost level, x is concatenated in
     * front of the result.
     */
    Layer level(Level level, int outer, int inner, int in, int side, Layer submodule) {
      Layer down = ImageLayers.conv2d(w, in, inner, 4, 2, 1, WEIGHT_STDDEV);
      // The innermost level's up-convolution sees only its own down path; the others see the skip too.
      int upIn = level == Level.INNERMOST ? inner : 2 * inner;
      Layer up = ImageLayers.conv2dTranspose(w, upIn, outer, 4, 2, 1, 0, side / 2, WEIGHT_STDDEV);
      switch (level) {
        case OUTERMOST:
          return ImageLayers.sequence(down, submodule, ImageLayers.relu(), up, ImageLayers.tanh());
        case INNERMOST:
          return ImageLayers.concatSkip(ImageLayers.sequence(
              Layers.leakyRelu(LEAKY_SLOPE), down, ImageLayers.relu(), up, norm(outer)));
        default:
          Layer downNorm = norm(inner);
          List<Layer> upPath = new ArrayList<>(List.of(ImageLayers.relu(), up, norm(outer)));
          if (dropout != null && middles++ < DROPOUT_LEVELS) {
            upPath.add(dropout(dropout));
          }
          return ImageLayers.concatSkip(ImageLayers.sequence(
              Layers.leakyRelu(LEAKY_SLOPE), down, downNorm, submodule, ImageLayers.sequence(upPath.toArray(Layer[]::new))));
      }
    }

    private Layer norm(int channels) {
      return norm == Norm.BATCH ? Layers.batchNorm(w, channels) : ImageLayers.instanceNorm();
    }
  }

  /** Inverted dropout: each unit kept with probability 1 - rate and scaled by 1 / (1 - rate). */
  private static Layer dropout(Dropout dropout) {
    float keep = 1 - dropout.rate();
    return (tf, x) -> {
      var kept = tf.dtypes.cast(tf.math.greaterEqual(dropout.random().uniform(tf.shape(x)), tf.constant(dropout.rate())),
          org.tensorflow.types.TFloat32.class);
      return tf.math.mul(x, tf.math.mul(kept, tf.constant(1 / keep)));
    };
  }

  /**
   * Maps images {@code [n, size, size, channels]} to logits {@code [n, g, g, 1]}, one per patch,
   * with {@code g = }{@link #patchGridSide}.
   */
  public static Network patchDiscriminator(Ops tf, long seed, int channels, int ndf, int layers, Norm norm) {
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
          .add(w -> norm == Norm.BATCH ? Layers.batchNorm(w, out) : ImageLayers.instanceNorm())
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
  public static int patchGridSide(int size, int layers) {
    int side = size;
    for (int n = 0; n < layers; n++) {
      side = ImageLayers.convSide(side, PATCH_KERNEL, 2, PATCH_PADDING);
    }
    for (int n = 0; n < 2; n++) {
      side = ImageLayers.convSide(side, PATCH_KERNEL, 1, PATCH_PADDING);
    }
    return side;
  }

  /** The most PatchGAN layers whose grid of logits still has a patch at {@code size} px. */
  public static int maxPatchLayers(int size) {
    int layers = 0;
    while (patchGridSide(size, layers + 1) >= 1) {
      layers++;
    }
    return layers;
  }
}
