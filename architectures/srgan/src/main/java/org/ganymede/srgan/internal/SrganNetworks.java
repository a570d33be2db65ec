package org.ganymede.srgan.internal;

import org.ganymede.nn.ImageLayers;
import org.ganymede.nn.Layer;
import org.ganymede.nn.Layers;
import org.ganymede.nn.Network;
import org.ganymede.nn.Weights;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * The networks of SRGAN (Ledig et al. 2017, figure 4), NHWC, 'SAME' convolutions, weights
 * N(0, 0.02), batch normalisation with the batch's statistics.
 *
 * <ul>
 *   <li>Generator (SRResNet): conv 9x9 w, PReLU; {@code blocks} residual blocks (conv 3x3 w, BN,
 *       PReLU, conv 3x3 w, BN, plus the block's input); conv 3x3 w, BN, plus the first layer's
 *       output; per factor of 2 a sub-pixel upsampling (conv 3x3 to 4w, depth-to-space by 2,
 *       PReLU); conv 9x9 to the image's channels; tanh, for images in [-1, 1].
 *   <li>Discriminator: conv 3x3 d, LeakyReLU 0.2; seven conv 3x3, BN, LeakyReLU 0.2 blocks of
 *       (d, stride 2), (2d, 1), (2d, 2), (4d, 1), (4d, 2), (8d, 1), (8d, 2); dense 1024, LeakyReLU
 *       0.2; dense 1, the logit. The paper's d is 64.
 * </ul>
 */
final class SrganNetworks {
  static final float WEIGHT_STDDEV = 0.02f;
  static final float LEAKY_SLOPE = 0.2f;
  /** PReLU's initial slope, as PyTorch's. */
  static final float PRELU_SLOPE = 0.25f;
  static final int DENSE_WIDTH = 1024;

  private SrganNetworks() {}

  /**
   * Maps low-resolution images {@code [n, h, w, channels]} to images {@code [n, f h, f w, channels]}
   * in [-1, 1].
   *
   * @param factor 2, 4 or 8: the upsampling, in sub-pixel steps of 2
   */
  static Network generator(Ops tf, long seed, int channels, int width, int blocks, int factor) {
    if (factor < 2 || Integer.bitCount(factor) != 1) {
      throw new IllegalArgumentException("the generator upsamples by powers of 2, not " + factor);
    }
    return Network.builder(tf, seed).add(w -> generator(w, channels, width, blocks, factor)).build();
  }

  private static Layer generator(Weights w, int channels, int width, int blocks, int factor) {
    Layer head = ImageLayers.sequence(Layers.conv2d(w, channels, width, 9, 1, WEIGHT_STDDEV), prelu(w, width));
    Layer[] body = new Layer[blocks + 2];
    for (int i = 0; i < blocks; i++) {
      body[i] = residualBlock(w, width);
    }
    body[blocks] = Layers.conv2d(w, width, width, 3, 1, WEIGHT_STDDEV);
    body[blocks + 1] = Layers.batchNorm(w, width);
    Layer trunk = ImageLayers.sequence(body);
    int steps = Integer.numberOfTrailingZeros(factor);
    Layer[] upsampling = new Layer[steps];
    for (int i = 0; i < steps; i++) {
      upsampling[i] = ImageLayers.sequence(Layers.conv2d(w, width, 4 * width, 3, 1, WEIGHT_STDDEV), depthToSpace(2),
          prelu(w, width));
    }
    Layer tail = ImageLayers.sequence(ImageLayers.sequence(upsampling),
        Layers.conv2d(w, width, channels, 9, 1, WEIGHT_STDDEV), ImageLayers.tanh());
    // The long skip: the trunk refines the first layer's features.
    return (tf, x) -> {
      Operand<TFloat32> features = head.apply(tf, x);
      return tail.apply(tf, tf.math.add(features, trunk.apply(tf, features)));
    };
  }

  /** Maps images {@code [n, side, side, channels]} to logits {@code [n, 1]}. */
  static Network discriminator(Ops tf, long seed, int side, int channels, int width) {
    Network.Builder d = Network.builder(tf, seed)
        .add(w -> Layers.conv2d(w, channels, width, 3, 1, WEIGHT_STDDEV))
        .leakyRelu(LEAKY_SLOPE);
    int[][] blocks = {{width, 2}, {2 * width, 1}, {2 * width, 2}, {4 * width, 1}, {4 * width, 2}, {8 * width, 1},
        {8 * width, 2}};
    int in = width;
    int s = side;
    for (int[] block : blocks) {
      int from = in;
      int out = block[0];
      int stride = block[1];
      d.add(w -> Layers.conv2d(w, from, out, 3, stride, WEIGHT_STDDEV)).batchNorm(out).leakyRelu(LEAKY_SLOPE);
      in = out;
      s = (s + stride - 1) / stride;
    }
    int flat = s * s * in;
    return d.reshape(flat).dense(flat, DENSE_WIDTH, WEIGHT_STDDEV).leakyRelu(LEAKY_SLOPE)
        .dense(DENSE_WIDTH, 1, WEIGHT_STDDEV).build();
  }

  /** conv 3x3, BN, PReLU, conv 3x3, BN, plus the input. */
  private static Layer residualBlock(Weights w, int width) {
    Layer body = ImageLayers.sequence(Layers.conv2d(w, width, width, 3, 1, WEIGHT_STDDEV), Layers.batchNorm(w, width),
        prelu(w, width), Layers.conv2d(w, width, width, 3, 1, WEIGHT_STDDEV), Layers.batchNorm(w, width));
    return (tf, x) -> tf.math.add(x, body.apply(tf, x));
  }

  /** A leaky ReLU whose negative slope is learned per channel (He et al. 2015). */
  static Layer prelu(Weights w, int channels) {
    Variable<TFloat32> slope = w.constant("prelu_slope", Shape.of(channels), PRELU_SLOPE);
    return (tf, x) -> tf.math.add(tf.nn.relu(x), tf.math.mul(slope, tf.math.neg(tf.nn.relu(tf.math.neg(x)))));
  }

  /**
   * Sub-pixel rearrangement (Shi et al. 2016): {@code [n, h, w, r^2 c]} to {@code [n, r h, r w, c]},
   * each group of r^2 channels becoming an r x r block of pixels, in TensorFlow's order.
   */
  static Layer depthToSpace(int blockSize) {
    return (tf, x) -> tf.nn.depthToSpace(x, (long) blockSize);
  }
}
