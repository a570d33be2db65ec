package org.ganymede.cgan.internal;

import java.util.Arrays;
import org.ganymede.api.DataSpec;
import org.ganymede.nn.Network;
import org.tensorflow.op.Ops;

/**
 * The perceptrons of the MLP form, as the vanilla GAN's but for their input, which carries the
 * label vector too: the generator's is {@code [z, label]}, the discriminator's the flattened
 * sample and the label.
 *
 * <p>Hidden layers draw their weights from He's N(0, 2 / fan_in), which keeps the activations'
 * scale through (leaky) ReLUs; output layers, with no rectifier after them, from N(0, 1 / fan_in).
 */
final class MlpNetworks {
  private static final float LEAKY_SLOPE = 0.2f;

  private MlpNetworks() {}

  /**
   * Maps {@code [n, inputSize]} to samples {@code [n, ...sample]}: images through tanh into
   * [-1, 1], vectors linearly, since their range is the data's own.
   */
  static Network generator(Ops tf, long seed, MlpShape shape, int inputSize, DataSpec data) {
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
   * Maps {@code [n, inputSize]} to logits {@code [n, 1]}.
   *
   * @param spectral whether every weight is divided by its spectral norm
   */
  static Network discriminator(Ops tf, long seed, MlpShape shape, int inputSize, boolean spectral) {
    Network.Builder d = Network.builder(tf, seed);
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
