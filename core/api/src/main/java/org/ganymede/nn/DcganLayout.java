package org.ganymede.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ganymede.api.DataSpec;
import org.ganymede.api.ParameterException;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * DCGAN's generator and discriminator (Radford et al. 2016), shared by DCGAN and the conditional
 * GANs built on its layout: 4x4 (up)convolutions of stride 2 that double (halve) the side and
 * halve (double) the width at every stage, weights drawn from N(0, 0.02), biases 0. At 32 px and
 * base width 64 the generator is z -> 256x4x4 -> 128x8x8 -> 64x16x16 -> Cx32x32 and the
 * discriminator its mirror.
 */
public final class DcganLayout {
  /** The weights' initial standard deviation. */
  public static final float WEIGHT_STDDEV = 0.02f;
  private static final float LEAKY_SLOPE = 0.2f;
  /** The initial spread of the classes' batch-norm scales and shifts. */
  public static final float CLASS_NORM_STDDEV = 0.2f;
  private static final int KERNEL = 4;
  private static final int STRIDE = 2;

  private DcganLayout() {}

  /**
   * The image sizes the layout is built for. Each stride-2 stage halves the side in the
   * discriminator and doubles it in the generator; the networks meet at {@code startSize x startSize}.
   *
   * @param size the side of the images in pixels
   * @param channels 1 (grey) or 3 (RGB)
   * @param stages the number of stride-2 (up)convolutions in each network
   */
  public record Geometry(int size, int channels, int stages) {
    /** Side in pixels mapped to stages: 28 -> 14 -> 7, 32 -> ... -> 4, 64 -> ... -> 4. */
    private static final Map<Integer, Integer> STAGES_BY_SIZE = Map.of(28, 2, 32, 3, 64, 4);

    /** What the layout takes, for messages. */
    public static final String ALLOWED = "square images of 28, 32 or 64 px with 1 or 3 channels";

    /** Whether the layout is built for the data. */
    public static boolean fits(DataSpec data) {
      return data.isImage()
          && data.height() == data.width()
          && STAGES_BY_SIZE.containsKey(data.height())
          && (data.channels() == 1 || data.channels() == 3);
    }

    /**
     * @param owner names the architecture in the message
     * @throws ParameterException when the data are not images the layout is built for
     */
    public static Geometry of(DataSpec data, String owner) {
      if (!fits(data)) {
        throw new ParameterException(owner + " needs " + ALLOWED + "; the data are " + data);
      }
      return new Geometry(data.height(), data.channels(), STAGES_BY_SIZE.get(data.height()));
    }

    /** The side of the smallest feature map, where the generator's dense layer ends. */
    public int startSize() {
      return size >> stages;
    }
  }

  /**
   * The normalisation between the discriminator's convolutions. Batch norm mixes the samples of a
   * batch, which breaks per-sample gradient penalties (WGAN-GP): those want layer norm or none.
   */
  public enum CriticNorm {
    BATCH,
    LAYER,
    NONE;

    /** The names experiments give. */
    public static final List<String> NAMES = Arrays.stream(values()).map(CriticNorm::parameterValue).toList();

    public static CriticNorm of(String parameterValue) {
      return valueOf(parameterValue.toUpperCase(Locale.ROOT));
    }

    public String parameterValue() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** Appends this normalisation of a feature map with {@code channels} channels. */
    Network.Builder appendTo(Network.Builder network, int channels) {
      return switch (this) {
        case BATCH -> network.batchNorm(channels);
        case LAYER -> network.layerNorm(channels);
        case NONE -> network;
      };
    }
  }

  /**
   * Maps {@code [n, inputSize]} (the latent, and a class where one is joined to it) to images
   * {@code [n, size, size, channels]} in [-1, 1].
   */
  public static Network generator(Ops tf, long seed, Geometry image, int baseWidth, int inputSize) {
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
   * Maps images {@code [n, size, size, inputChannels]} to logits {@code [n, 1]}.
   *
   * @param inputChannels the image's channels, and for concatenated conditioning its class maps
   * @param spectral whether every weight is divided by its spectral norm
   */
  public static Network discriminator(Ops tf, long seed, Geometry image, int inputChannels, int baseWidth,
      CriticNorm norm, boolean spectral) {
    return discriminator(tf, seed, image, inputChannels, baseWidth, norm, spectral, CriticOptions.NONE);
  }

  /**
   * The discriminator with a critic's options: packing (the input then has {@code packing} times
   * the channels), minibatch stddev as one more map of the last stage, minibatch discrimination
   * between the flattened features and the logit; logits {@code [n / packing, 1]}.
   *
   * @since 1.5
   */
  public static Network discriminator(Ops tf, long seed, Geometry image, int inputChannels, int baseWidth,
      CriticNorm norm, boolean spectral, CriticOptions critic) {
    Network.Builder d = Network.builder(tf, seed);
    int channels = inputChannels;
    if (critic.packing() > 1) {
      d.add(w -> Layers.pack(critic.packing()));
      channels *= critic.packing();
    }
    stages(d, image, channels, baseWidth, norm, spectral);
    int side = image.startSize();
    int maps = widthAtStage(baseWidth, image.stages());
    if (critic.minibatchStddev()) {
      d.add(w -> StyleLayers.minibatchStddev());
      maps++;
    }
    int features = side * side * maps;
    d.reshape(features);
    if (critic.minibatchKernels() > 0) {
      int fanIn = features;
      d.add(w -> Layers.minibatchDiscrimination(w, fanIn, critic.minibatchKernels(), critic.minibatchKernelSize(),
          WEIGHT_STDDEV));
      features += critic.minibatchKernels();
    }
    return (spectral ? d.spectralDense(features, 1, WEIGHT_STDDEV) : d.dense(features, 1, WEIGHT_STDDEV)).build();
  }

  /**
   * The discriminator's convolutions, ending in the flattened features {@code [n, features(...)]}
   * that heads (the logit, a projection, a classifier) read.
   */
  public static Network.Builder trunk(Network.Builder d, Geometry image, int inputChannels, int baseWidth,
      CriticNorm norm, boolean spectral) {
    return stages(d, image, inputChannels, baseWidth, norm, spectral).reshape(features(image, baseWidth));
  }

  /** The discriminator's convolution stages, ending in the last stage's feature maps. */
  private static Network.Builder stages(Network.Builder d, Geometry image, int inputChannels, int baseWidth,
      CriticNorm norm, boolean spectral) {
    // No normalisation on the input layer: the paper found that it made training unstable.
    conv(d, inputChannels, baseWidth, spectral).leakyRelu(LEAKY_SLOPE);
    int width = baseWidth;
    for (int stage = 2; stage <= image.stages(); stage++) {
      int wider = widthAtStage(baseWidth, stage);
      conv(d, width, wider, spectral);
      norm.appendTo(d, wider).leakyRelu(LEAKY_SLOPE);
      width = wider;
    }
    return d;
  }

  /** The size of the trunk's flattened features. */
  public static int features(Geometry image, int baseWidth) {
    return image.startSize() * image.startSize() * widthAtStage(baseWidth, image.stages());
  }

  /**
   * The generator with conditional batch normalisation (the projection discriminator's partner):
   * each batch norm takes its scale and shift from the class, so that {@code generate(z, classes)}
   * maps {@code [n, latentSize]} and one-hot {@code [n, classes]} to images. The classes' scales and
   * shifts start N(0, {@value #CLASS_NORM_STDDEV}^2) apart (see {@link ConditionalLayers#conditionalBatchNorm}).
   */
  public static ConditionalGan.Generator classNormalizedGenerator(Weights w, Geometry image, int baseWidth,
      int latentSize, int classes) {
    int side = image.startSize();
    int width = widthAtStage(baseWidth, image.stages());
    Layer dense = Layers.dense(w, latentSize, side * side * width, WEIGHT_STDDEV);
    Layer reshape = Layers.reshape(side, side, width);
    List<Layer> upconvs = new ArrayList<>();
    List<StyleLayers.Conditioned> norms =
        new ArrayList<>(List.of(ConditionalLayers.conditionalBatchNorm(w, width, classes, CLASS_NORM_STDDEV)));
    for (int stage = image.stages() - 1; stage >= 1; stage--) {
      side *= 2;
      int narrower = widthAtStage(baseWidth, stage);
      upconvs.add(Layers.conv2dTranspose(w, width, narrower, KERNEL, STRIDE, side, WEIGHT_STDDEV));
      norms.add(ConditionalLayers.conditionalBatchNorm(w, narrower, classes, CLASS_NORM_STDDEV));
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
