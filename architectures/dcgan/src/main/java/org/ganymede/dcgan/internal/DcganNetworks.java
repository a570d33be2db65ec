package org.ganymede.dcgan.internal;

import java.util.ArrayList;
import java.util.List;
import org.ganymede.nn.ConditionalGan;
import org.ganymede.nn.ConditionalLayers;
import org.ganymede.nn.Layer;
import org.ganymede.nn.Layers;
import org.ganymede.nn.Network;
import org.ganymede.nn.StyleLayers;
import org.ganymede.nn.Weights;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The DCGAN generator and discriminator (Radford et al. 2016): 4x4 (up)convolutions of stride 2
 * that double (halve) the side and halve (double) the width at every stage, weights drawn from
 * N(0, 0.02), biases 0. At 32 px and base width 64 the generator is
 * z -> 256x4x4 -> 128x8x8 -> 64x16x16 -> Cx32x32 and the discriminator its mirror.
 */
final class DcganNetworks {
  private static final float WEIGHT_STDDEV = 0.02f;
  private static final float LEAKY_SLOPE = 0.2f;
  private static final int KERNEL = 4;
  private static final int STRIDE = 2;

  private DcganNetworks() {}

  /** Maps {@code [n, latentSize]} to images {@code [n, size, size, channels]} in [-1, 1]. */
  static Network generator(Ops tf, long seed, ImageGeometry image, int baseWidth, int latentSize) {
    int side = image.startSize();
    int width = widthAtStage(baseWidth, image.stages());
    Network.Builder g = Network.builder(tf, seed)
        .dense(latentSize, side * side * width, WEIGHT_STDDEV)
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
   * Maps images {@code [n, size, size, inputChannels]} to logits {@code [n, 1]}.
   *
   * @param inputChannels the image's channels, and for concatenated conditioning its class maps
   * @param spectral whether every weight is divided by its spectral norm
   */
  static Network discriminator(Ops tf, long seed, ImageGeometry image, int inputChannels, int baseWidth, CriticNorm norm,
      boolean spectral) {
    Network.Builder d = trunk(Network.builder(tf, seed), image, inputChannels, baseWidth, norm, spectral);
    int features = features(image, baseWidth);
    return (spectral ? d.spectralDense(features, 1, WEIGHT_STDDEV) : d.dense(features, 1, WEIGHT_STDDEV)).build();
  }

  /**
   * The discriminator's convolutions, ending in the flattened features {@code [n, features(...)]}
   * that heads (the logit, a projection, a classifier) read.
   */
  static Network.Builder trunk(Network.Builder d, ImageGeometry image, int inputChannels, int baseWidth, CriticNorm norm,
      boolean spectral) {
    // No normalisation on the input layer: the paper found that it made training unstable.
    conv(d, inputChannels, baseWidth, spectral).leakyRelu(LEAKY_SLOPE);
    int width = baseWidth;
    for (int stage = 2; stage <= image.stages(); stage++) {
      int wider = widthAtStage(baseWidth, stage);
      conv(d, width, wider, spectral);
      norm.appendTo(d, wider).leakyRelu(LEAKY_SLOPE);
      width = wider;
    }
    return d.reshape(features(image, baseWidth));
  }

  /** The size of the trunk's flattened features. */
  static int features(ImageGeometry image, int baseWidth) {
    return image.startSize() * image.startSize() * widthAtStage(baseWidth, image.stages());
  }

  /**
   * The generator with conditional batch normalisation (the projection discriminator's partner):
   * each batch norm takes its scale and shift from the class, so that {@code generate(z, classes)}
   * maps {@code [n, latentSize]} and one-hot {@code [n, classes]} to images.
   */
  static ConditionalGan.Generator classNormalizedGenerator(Weights w, ImageGeometry image, int baseWidth,
      int latentSize, int classes) {
    int side = image.startSize();
    int width = widthAtStage(baseWidth, image.stages());
    Layer dense = Layers.dense(w, latentSize, side * side * width, WEIGHT_STDDEV);
    Layer reshape = Layers.reshape(side, side, width);
    List<Layer> upconvs = new ArrayList<>();
    List<StyleLayers.Conditioned> norms = new ArrayList<>(List.of(ConditionalLayers.conditionalBatchNorm(w, width, classes)));
    for (int stage = image.stages() - 1; stage >= 1; stage--) {
      side *= 2;
      int narrower = widthAtStage(baseWidth, stage);
      upconvs.add(Layers.conv2dTranspose(w, width, narrower, KERNEL, STRIDE, side, WEIGHT_STDDEV));
      norms.add(ConditionalLayers.conditionalBatchNorm(w, narrower, classes));
      width = narrower;
    }
    Layer output = Layers.conv2dTranspose(w, width, image.channels(), KERNEL, STRIDE, image.size(), WEIGHT_STDDEV);
    Ops tf = w.ops();
    return (z, classRows) -> {
      Operand<TFloat32> x = tf.nn.relu(norms.get(0).apply(tf, reshape.apply(tf, dense.apply(tf, z)), classRows));
      for (int i = 0; i < upconvs.size(); i++) {
        x = tf.nn.relu(norms.get(i + 1).apply(tf, upconvs.get(i).apply(tf, x), classRows));
      }
      return tf.math.tanh(output.apply(tf, x));
    };
  }

  private static Network.Builder conv(Network.Builder d, int in, int out, boolean spectral) {
    return spectral ? d.spectralConv(in, out, KERNEL, STRIDE, WEIGHT_STDDEV) : d.conv(in, out, KERNEL, STRIDE, WEIGHT_STDDEV);
  }

  /** Channels after stage {@code stage} (1-based) of the discriminator: base, 2 base, 4 base, ... */
  private static int widthAtStage(int baseWidth, int stage) {
    return baseWidth << (stage - 1);
  }
}
