package org.ganymede.nn;

import java.util.Arrays;
import org.ganymede.api.DataSpec;
import org.ganymede.api.ParameterException;
import org.ganymede.api.Parameters;
import org.tensorflow.op.Ops;

/**
 * The original GAN's multilayer perceptrons (Goodfellow et al. 2014), shared by the MLP GAN and the
 * MLP form of the conditional GAN. The generator uses ReLU and leaves through tanh for images and
 * linearly for vectors (their range is the data's own); the discriminator uses LeakyReLU 0.2 on
 * its flattened input. Hidden layers draw their weights from He's N(0, 2 / fan_in), which keeps
 * the activations' scale through (leaky) ReLUs; output layers, with no rectifier after them, from
 * N(0, 1 / fan_in).
 */
public final class MlpLayout {
  private static final float LEAKY_SLOPE = 0.2f;
  private static final int DEFAULT_DEPTH = 3;
  private static final int DEFAULT_WIDTH = 128;
  /** As in the original paper's image experiments; also the most a vector's default grows to. */
  private static final int DEFAULT_IMAGE_LATENT_SIZE = 100;

  private MlpLayout() {}

  /**
   * The sizes of the two perceptrons.
   *
   * @param depth hidden layers in each network
   * @param width units in each hidden layer
   * @param latentSize size of the generator's noise
   */
  public record Shape(int depth, int width, int latentSize) {
    /** Reads {@code depth} (3), {@code width} (128) and {@code latent_size} (see {@link #defaultLatentSize}). */
    public static Shape read(Parameters parameters, DataSpec data) {
      return new Shape(
          parameters.intInRange("depth", DEFAULT_DEPTH, 1, 64),
          parameters.intInRange("width", DEFAULT_WIDTH, 1, 65536),
          parameters.intInRange("latent_size", defaultLatentSize(data), 1, 4096));
    }

    /**
     * Images: 100. Vectors: twice their size, at most 100; 4 for 2-D points. A latent much larger
     * than the data made the MLP drop modes: on the 8-Gaussian ring a latent of 16 kept 3 to 6 of
     * the 8 modes after 3000 steps, one of 2 or 4 kept 7 or 8 after 1500.
     */
    public static int defaultLatentSize(DataSpec data) {
      return data.isImage() ? DEFAULT_IMAGE_LATENT_SIZE : Math.min(2 * data.sampleSize(), DEFAULT_IMAGE_LATENT_SIZE);
    }
  }

  /**
   * The options of the 2-D mixture benchmarks (VEEGAN, PacGAN, Unrolled GAN), whose generators use
   * batch norm and whose discriminators use maxout units.
   *
   * @param generatorBatchNorm batch norm after each hidden layer of the generator
   * @param maxoutPieces the discriminator's hidden units are maxout units of this many pieces
   *     instead of LeakyReLU; 1 for none
   * @since 1.5
   */
  public record Options(boolean generatorBatchNorm, int maxoutPieces) {
    /** The original GAN's layout: no batch norm, LeakyReLU units. */
    public static final Options NONE = new Options(false, 1);

    /** Reads {@code generator_norm} ({@code none} or {@code batch}) and {@code maxout_pieces} (1). */
    public static Options read(Parameters parameters) {
      boolean batch = parameters.choice("generator_norm", "none", java.util.List.of("none", "batch")).equals("batch");
      return new Options(batch, parameters.intInRange("maxout_pieces", 1, 1, 64));
    }
  }

  /** Maps {@code [n, inputSize]} to samples {@code [n, ...sample]}. */
  public static Network generator(Ops tf, long seed, Shape shape, int inputSize, DataSpec data) {
    return generator(tf, seed, shape, inputSize, data, Options.NONE);
  }

  /**
   * Maps {@code [n, inputSize]} to samples {@code [n, ...sample]}, with batch norm after each
   * hidden layer if the options say so.
   *
   * @since 1.5
   */
  public static Network generator(Ops tf, long seed, Shape shape, int inputSize, DataSpec data, Options options) {
    Network.Builder g = Network.builder(tf, seed);
    int in = inputSize;
    for (int layer = 0; layer < shape.depth(); layer++) {
      g.dense(in, shape.width(), rectifiedStddev(in));
      if (options.generatorBatchNorm()) {
        g.batchNorm(shape.width());
      }
      g.relu();
      in = shape.width();
    }
    g.dense(in, data.sampleSize(), linearStddev(in));
    if (data.isImage()) {
      g.tanh();
    }
    return g.reshape(Arrays.stream(data.shape()).asLongStream().toArray()).build();
  }

  /**
   * Maps inputs of {@code inputSize} values each (samples of any shape are flattened first) to
   * logits {@code [n, 1]}.
   *
   * @param spectral whether every weight is divided by its spectral norm
   */
  public static Network discriminator(Ops tf, long seed, Shape shape, int inputSize, boolean spectral) {
    return discriminator(tf, seed, shape, inputSize, spectral, Options.NONE, CriticOptions.NONE);
  }

  /**
   * The discriminator with the layout's options (maxout units) and a critic's (packing, minibatch
   * discrimination before the last layer); logits {@code [n / packing, 1]}.
   *
   * @throws ParameterException for minibatch stddev, which needs feature maps
   * @since 1.5
   */
  public static Network discriminator(Ops tf, long seed, Shape shape, int inputSize, boolean spectral,
      Options options, CriticOptions critic) {
    if (critic.minibatchStddev()) {
      throw new ParameterException("minibatch_stddev works on feature maps (dcgan, stylegan); for a perceptron use"
          + " minibatch_kernels");
    }
    Network.Builder d = Network.builder(tf, seed).reshape(inputSize);
    int in = inputSize;
    if (critic.packing() > 1) {
      d.add(w -> Layers.pack(critic.packing()));
      in *= critic.packing();
    }
    int pieces = options.maxoutPieces();
    for (int layer = 0; layer < shape.depth(); layer++) {
      if (pieces > 1) {
        // He's scale for rectifiers suits maxout too: each unit is the largest of linear pieces.
        dense(d, in, shape.width() * pieces, rectifiedStddev(in), spectral).add(w -> Layers.maxout(shape.width(), pieces));
      } else {
        dense(d, in, shape.width(), rectifiedStddev(in), spectral).leakyRelu(LEAKY_SLOPE);
      }
      in = shape.width();
    }
    if (critic.minibatchKernels() > 0) {
      int fanIn = in;
      d.add(w -> Layers.minibatchDiscrimination(w, fanIn, critic.minibatchKernels(), critic.minibatchKernelSize(),
          linearStddev(fanIn)));
      in += critic.minibatchKernels();
    }
    return dense(d, in, 1, linearStddev(in), spectral).build();
  }

  private static Network.Builder dense(Network.Builder d, int in, int out, float stddev, boolean spectral) {
    return spectral ? d.spectralDense(in, out, stddev) : d.dense(in, out, stddev);
  }

  private static float rectifiedStddev(int fanIn) {
    return (float) Math.sqrt(2.0 / fanIn);
  }

  private static float linearStddev(int fanIn) {
    return (float) Math.sqrt(1.0 / fanIn);
  }
}
