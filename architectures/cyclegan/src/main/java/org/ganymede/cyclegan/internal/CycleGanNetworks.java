package org.ganymede.cyclegan.internal;

import org.ganymede.nn.ImageLayers;
import org.ganymede.nn.ImageToImageLayout;
import org.ganymede.nn.ImageToImageLayout.Norm;
import org.ganymede.nn.Network;
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
 *   <li>U-Net generator and PatchGAN discriminator: those pix2pix shares, in
 *       {@link ImageToImageLayout}, with instance normalisation; the U-Net without the
 *       reference's optional dropout.
 * </ul>
 */
final class CycleGanNetworks {
  static final float WEIGHT_STDDEV = ImageToImageLayout.WEIGHT_STDDEV;

  private static final int DOWNSAMPLINGS = 2;

  private CycleGanNetworks() {}

  /** The reference's residual blocks for a side: 9 from 256 px up, 6 below. */
  static int defaultBlocks(int size) {
    return size >= 256 ? 9 : 6;
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
   * The U-Net generator with CycleGAN's instance normalisation and without the reference's
   * optional dropout: see {@link ImageToImageLayout#unet}.
   */
  static Network unetGenerator(Ops tf, long seed, int size, int inChannels, int outChannels, int ngf, int downs) {
    return ImageToImageLayout.unet(tf, seed, size, inChannels, outChannels, ngf, downs, Norm.INSTANCE, null);
  }

  /** The PatchGAN discriminator with CycleGAN's instance normalisation: see {@link ImageToImageLayout#patchDiscriminator}. */
  static Network patchDiscriminator(Ops tf, long seed, int channels, int ndf, int layers) {
    return ImageToImageLayout.patchDiscriminator(tf, seed, channels, ndf, layers, Norm.INSTANCE);
  }
}
