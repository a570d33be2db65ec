package org.ganymede.lapgan.internal;

import org.ganymede.nn.DcganLayout;
import org.ganymede.nn.Network;
import org.tensorflow.op.Ops;

/**
 * The networks of LAPGAN's levels, 'SAME'-padded convolutions with weights drawn from N(0, 0.02)
 * as in DCGAN, ReLU in the generators and LeakyReLU 0.2 in the discriminators. Batch
 * normalisation, when asked for, goes into the discriminators only: in a generator it would make a
 * sample depend on the other latents of its batch.
 *
 * <p>The coarsest pair are small DCGANs (Radford et al. 2016) rather than the paper's perceptrons,
 * which trained clearly worse on Fashion-MNIST: the generator maps the noise through a dense
 * layer to half the side with 2 width channels, a 4x4 stride-2 transposed convolution to the full
 * side with width channels and a 5x5 convolution to the image, tanh; the discriminator is a 5x5
 * convolution, a 4x4 stride-2 convolution to 2 width channels and a dense logit.
 *
 * <p>The finer levels' pairs are those of the paper's CIFAR-10 model, 5x5 kernels throughout: the
 * generator maps the up-sampled coarser image with a noise plane to the band-pass residual through
 * three convolutions, the last linear (residuals are signed and small); the discriminator reads
 * the residual with the coarse image through a convolution, a stride-2 convolution and a dense
 * logit.
 */
final class LevelNetworks {
  private static final int KERNEL = 5;
  /** DCGAN's kernel for its stride-2 layers. */
  private static final int STRIDED_KERNEL = 4;
  private static final float LEAKY_SLOPE = 0.2f;
  private static final float STDDEV = DcganLayout.WEIGHT_STDDEV;
  /** The noise plane joined to the coarse image. */
  static final int NOISE_CHANNELS = 1;

  private LevelNetworks() {}

  /** Maps noise {@code [n, latentSize]} to coarsest images {@code [n, side, side, channels]} in [-1, 1]. */
  static Network coarsestGenerator(Ops tf, long seed, int side, int channels, int width, int latentSize) {
    int half = side / 2;
    return Network.builder(tf, seed)
        .dense(latentSize, half * half * 2 * width, STDDEV)
        .reshape(half, half, 2 * width).relu()
        .upconv(2 * width, width, STRIDED_KERNEL, 2, side, STDDEV).relu()
        .conv(width, channels, KERNEL, 1, STDDEV).tanh()
        .build();
  }

  /** Maps coarsest images to logits {@code [n, 1]}. */
  static Network coarsestDiscriminator(Ops tf, long seed, int side, int channels, int width, boolean batchNorm) {
    Network.Builder d = Network.builder(tf, seed).conv(channels, width, KERNEL, 1, STDDEV).leakyRelu(LEAKY_SLOPE);
    d.conv(width, 2 * width, STRIDED_KERNEL, 2, STDDEV);
    normalized(d, 2 * width, batchNorm).leakyRelu(LEAKY_SLOPE);
    int features = (side / 2) * (side / 2) * 2 * width;
    return d.reshape(features).dense(features, 1, STDDEV).build();
  }

  /**
   * Maps coarse images with a noise plane, {@code [n, side, side, channels + 1]}, to residuals
   * {@code [n, side, side, channels]}.
   */
  static Network residualGenerator(Ops tf, long seed, int channels, int width) {
    return Network.builder(tf, seed)
        .conv(channels + NOISE_CHANNELS, width, KERNEL, 1, STDDEV).relu()
        .conv(width, width, KERNEL, 1, STDDEV).relu()
        .conv(width, channels, KERNEL, 1, STDDEV)
        .build();
  }

  /**
   * Maps residuals with their coarse images, {@code [n, side, side, 2 channels]}, to logits
   * {@code [n, 1]}.
   */
  static Network residualDiscriminator(Ops tf, long seed, int side, int channels, int width, boolean batchNorm) {
    Network.Builder d = Network.builder(tf, seed).conv(2 * channels, width, KERNEL, 1, STDDEV).leakyRelu(LEAKY_SLOPE);
    d.conv(width, width, KERNEL, 2, STDDEV);
    normalized(d, width, batchNorm).leakyRelu(LEAKY_SLOPE);
    int features = (side / 2) * (side / 2) * width;
    return d.reshape(features).dense(features, 1, STDDEV).build();
  }

  /**
   * Batch normalisation of the discriminator's last convolution when asked; never of its first,
   * which DCGAN found made training unstable.
   */
  private static Network.Builder normalized(Network.Builder discriminator, int channels, boolean batchNorm) {
    return batchNorm ? discriminator.batchNorm(channels) : discriminator;
  }
}
