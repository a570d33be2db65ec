package org.ganymede.stylegan.internal;

import org.ganymede.api.DataSpec;
import org.ganymede.api.ParameterException;
import org.ganymede.api.Parameters;

/**
 * The parameters of one StyleGAN2 model and the image geometry it is built for.
 *
 * @param size side of the square images, a power of two from 32 to 256
 * @param imageChannels 1 (grey) or 3 (RGB)
 * @param latentSize size of z
 * @param styleSize size of w
 * @param mappingLayers dense layers of the mapping network
 * @param channels the widest feature maps; see {@link #width}
 * @param channelBase channels times resolution where the feature maps start to narrow; see {@link #width}
 * @param r1Gamma weight of the R1 penalty, 0 for none
 * @param r1Interval the R1 objective runs every this many steps
 * @param mixing probability of style mixing in training
 * @param emaBeta share of itself the moving average of the generator keeps each step
 * @param averageStyleBeta share of itself the average style w_avg keeps each generator step
 * @param pathLengthWeight weight of the path length penalty, 0 for none
 * @param pathLengthInterval the path length objective runs every this many steps
 */
record StyleganConfig(
    int size,
    int imageChannels,
    int latentSize,
    int styleSize,
    int mappingLayers,
    int channels,
    int channelBase,
    double r1Gamma,
    int r1Interval,
    double mixing,
    double emaBeta,
    double averageStyleBeta,
    double pathLengthWeight,
    int pathLengthInterval) {
  static final int MIN_SIZE = 32;
  static final int MAX_SIZE = 256;
  private static final String ALLOWED = "square images of 32, 64, 128 or 256 px with 1 or 3 channels";

  /**
   * @throws ParameterException when a parameter is out of range or the data are not images this
   *     architecture is built for
   */
  static StyleganConfig of(DataSpec data, Parameters p) {
    if (!data.isImage()
        || data.height() != data.width()
        || data.height() < MIN_SIZE
        || data.height() > MAX_SIZE
        || Integer.bitCount(data.height()) != 1
        || (data.channels() != 1 && data.channels() != 3)) {
      throw new ParameterException(p.owner() + " needs " + ALLOWED + "; the data are " + data);
    }
    int size = data.height();
    int defaultLatent = Math.min(512, 4 * size);
    int latent = p.intInRange("latent_size", defaultLatent, 1, 4096);
    int style = p.intInRange("style_size", defaultLatent, 1, 4096);
    int mapping = p.intInRange("mapping_layers", 8, 1, 32);
    int channels = p.intInRange("channels", 128, 1, 1024);
    int channelBase = p.intInRange("channel_base", 64 * channels, 4, 1 << 20);
    double gamma = p.nonNegative("r1_gamma", 10);
    int interval = p.intInRange("r1_interval", 16, 1, 1_000_000);
    double mixing = p.nonNegative("mixing", 0.9);
    if (mixing > 1) {
      throw new ParameterException(p.owner() + ": 'mixing' is " + mixing + "; it must be a probability from 0 to 1");
    }
    double beta = share(p, "ema_beta", 0.999);
    double averageStyleBeta = share(p, "w_avg_beta", 0.995);
    double pathLength = p.nonNegative("path_length_weight", 0);
    int pathLengthInterval = p.intInRange("path_length_interval", 4, 1, 1_000_000);
    return new StyleganConfig(size, data.channels(), latent, style, mapping, channels, channelBase, gamma, interval,
        mixing, beta, averageStyleBeta, pathLength, pathLengthInterval);
  }

  /** A moving average's share of itself: from 0 to less than 1. */
  private static double share(Parameters p, String key, double fallback) {
    double beta = p.nonNegative(key, fallback);
    if (beta >= 1) {
      throw new ParameterException(p.owner() + ": '" + key + "' is " + beta + "; allowed: 0 to less than 1");
    }
    return beta;
  }

  /**
   * Channels of the feature maps at side {@code resolution}: {@code channel_base / resolution},
   * at most {@code channels} and at least 1 (StyleGAN2's channel_base and channel_max). The default
   * base, 64 channels, keeps every map {@code channels} wide up to 64 px and halves them with each
   * doubling above; a smaller base narrows the high resolutions, where most of the work is.
   */
  int width(int resolution) {
    return Math.max(1, Math.min(channels, channelBase / resolution));
  }

  /** Number of doublings from 4x4 to the image size. */
  int stages() {
    return Integer.numberOfTrailingZeros(size) - 2;
  }

  /** Modulated 3x3 convolutions of the synthesis network: one at 4x4, two per doubling. */
  int convLayers() {
    return 1 + 2 * stages();
  }

  /** Style inputs w of the synthesis network: one per convolution, plus one for the last toRGB. */
  int styleInputs() {
    return convLayers() + 1;
  }
}
