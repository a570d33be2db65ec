package org.ganymede.nn;

import java.util.Arrays;
import org.ganymede.api.DataSpec;
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

  /** Maps {@code [n, inputSize]} to samples {@code [n, ...sample]}. */
  public static Network generator(Ops tf, long seed, Shape shape, int inputSize, DataSpec data) {
    Network.Builder g = Network.builder(tf, seed);
    int in = inputSize;
    for (int layer = 0; layer < shape.depth(); layer++) {
      g.dense(in, shape.width(), rectifiedStddev(in)).relu();
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
    Network.Builder d = Network.builder(tf, seed).reshape(inputSize);
    int in = inputSize;
    for (int layer = 0; layer < shape.depth(); layer++) {
      dense(d, in, shape.width(), rectifiedStddev(in), spectral).leakyRelu(LEAKY_SLOPE);
      in = shape.width();
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
