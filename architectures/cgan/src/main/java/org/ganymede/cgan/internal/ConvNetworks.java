package org.ganymede.cgan.internal;

import org.ganymede.nn.Network;
import org.tensorflow.op.Ops;

/**
 * The networks of the conv form, DCGAN's (Radford et al. 2016) with room for the label: 4x4
 * (up)convolutions of stride 2 that double (halve) the side and halve (double) the width at every
 * stage, weights drawn from N(0, 0.02), biases 0. The generator's dense layer reads
 * {@code [z, label]}; the discriminator's first convolution reads the image with one more channel
 * per component of the label vector.
 */
final class ConvNetworks {
  private static final float WEIGHT_STDDEV = 0.02f;
  private static final float LEAKY_SLOPE = 0.2f;
  private static final int KERNEL = 4;
  private static final int STRIDE = 2;

  private ConvNetworks() {}

  /** Maps {@code [n, inputSize]} to images {@code [n, size, size, channels]} in [-1, 1]. */
  static Network generator(Ops tf, long seed, ImageGeometry image, int baseWidth, int inputSize) {
    int side = image.startSize();
    int width = widthAtStage(baseWidth, image.stages());
    Network.Builder g = Network.builder(tf, seed)
        .dense(inputSize, side * side * width, WEIGHT_STDDEV)
        .reshape(side, side, width)
        .batchNorm(width)
        .relu();
    for (int stage = image.stages() - 1; stage >= 1; stage--) {
      side *= 2;
      int narrower = widthAtStage(baseWidth, stage);
      g.upconv(width, narrower, KERNEL, STRIDE, side, WEIGHT_STDDEV).batchNorm(narrower).relu();
      width = narrower;
    }
    return g.upconv(width, image.channels(), KERNEL, STRIDE, image.size(), WEIGHT_STDDEV).tanh().build();
  }

  /**
   * Maps {@code [n, size, size, inputChannels]} to logits {@code [n, 1]}.
   *
   * @param spectral whether every weight is divided by its spectral norm
   */
  static Network discriminator(Ops tf, long seed, ImageGeometry image, int baseWidth, int inputChannels,
      boolean spectral) {
    // No normalisation on the input layer: the DCGAN paper found that it made training unstable.
    Network.Builder d = Network.builder(tf, seed);
    conv(d, inputChannels, baseWidth, spectral).leakyRelu(LEAKY_SLOPE);
    int width = baseWidth;
    for (int stage = 2; stage <= image.stages(); stage++) {
      int wider = widthAtStage(baseWidth, stage);
      conv(d, width, wider, spectral).batchNorm(wider).leakyRelu(LEAKY_SLOPE);
      width = wider;
    }
    int features = image.startSize() * image.startSize() * width;
    d.reshape(features);
    return (spectral ? d.spectralDense(features, 1, WEIGHT_STDDEV) : d.dense(features, 1, WEIGHT_STDDEV)).build();
  }

  private static Network.Builder conv(Network.Builder d, int in, int out, boolean spectral) {
    return spectral ? d.spectralConv(in, out, KERNEL, STRIDE, WEIGHT_STDDEV) : d.conv(in, out, KERNEL, STRIDE, WEIGHT_STDDEV);
  }

  /** Channels after stage {@code stage} (1-based) of the discriminator: base, 2 base, 4 base, ... */
  private static int widthAtStage(int baseWidth, int stage) {
    return baseWidth << (stage - 1);
  }
}
