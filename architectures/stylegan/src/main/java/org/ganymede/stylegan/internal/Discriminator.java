package org.ganymede.stylegan.internal;

import java.util.ArrayList;
import java.util.List;
import org.ganymede.api.Critic;
import org.ganymede.nn.Layer;
import org.ganymede.nn.StyleLayers;
import org.ganymede.nn.Weights;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * StyleGAN2's residual discriminator: fromRGB (1x1 conv and activation), a residual block per
 * halving down to 4x4, then minibatch stddev, a 3x3 conv, a dense layer and a dense layer to one
 * logit. Every layer has an equalized learning rate.
 */
final class Discriminator {
  private final Weights weights;
  private final List<Layer> layers = new ArrayList<>();
  /** The variables of each weighted layer, input first: fromRGB, each residual block, the 4x4 conv, the two dense. */
  private final List<List<Variable<TFloat32>>> weightedLayers = new ArrayList<>();
  private final int groupSize;

  /**
   * @param batchSize the training batch; the minibatch stddev group is the largest of 4, 2, 1 that
   *     divides it
   */
  Discriminator(Ops tf, long seed, StyleganConfig config, int batchSize) {
    weights = Weights.seeded(tf, seed);
    groupSize = batchSize % 4 == 0 ? 4 : batchSize % 2 == 0 ? 2 : 1;
    Layer act = StyleLayers.leakyRelu();
    weighted(StyleLayers.conv2d(weights, config.imageChannels(), config.width(config.size()), 1, 1f, true));
    layers.add(act);
    for (int resolution = config.size(); resolution > 4; resolution /= 2) {
      weighted(StyleLayers.residualBlock(weights, config.width(resolution), config.width(resolution / 2)));
    }
    int c = config.width(4);
    layers.add(StyleLayers.minibatchStddev(groupSize, 1));
    weighted(StyleLayers.conv2d(weights, c + 1, c, 3, 1f, true));
    layers.add(act);
    layers.add((t, x) -> t.reshape(x, t.constant(new long[] {-1, 16L * c})));
    weighted(StyleLayers.dense(weights, 16 * c, c, 1f, 0f));
    layers.add(act);
    weighted(StyleLayers.dense(weights, c, 1, 1f, 0f));
  }

  /** Appends a layer that made variables, and records them as one weighted layer. */
  private void weighted(Layer layer) {
    int before = weightedLayers.stream().mapToInt(List::size).sum();
    layers.add(layer);
    weightedLayers.add(List.copyOf(weights.variables().subList(before, weights.variables().size())));
  }

  /** The variables of each weighted layer, input first, for freezing (FreezeD). */
  List<List<Variable<TFloat32>>> layers() {
    return weightedLayers;
  }

  List<Variable<TFloat32>> variables() {
    return weights.variables();
  }

  /** Logits {@code [n, 1]} of images {@code [n, size, size, channels]}. */
  Operand<TFloat32> apply(Ops tf, Operand<TFloat32> images) {
    Operand<TFloat32> x = images;
    for (Layer l : layers) {
      x = l.apply(tf, x);
    }
    return x;
  }

  /** As a critic for the experiment's regularizers, on the graph's ops. */
  Critic critic(Ops tf) {
    return input -> apply(tf, input);
  }
}
