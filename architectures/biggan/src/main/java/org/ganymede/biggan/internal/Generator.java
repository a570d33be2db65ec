package org.ganymede.biggan.internal;

import java.util.ArrayList;
import java.util.List;
import org.ganymede.nn.ConditionalGan;
import org.ganymede.nn.ConditionalLayers;
import org.ganymede.nn.Layer;
import org.ganymede.nn.Layers;
import org.ganymede.nn.StyleLayers;
import org.ganymede.nn.Weights;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * BigGAN's generator (StudioGAN's {@code big_resnet} with conditional batch norm): z split into
 * chunks, the first to a dense layer to 4x4 feature maps, each further one joined to the shared
 * class embedding as the condition of one residual up-block's two conditional batch norms;
 * self-attention after the block that puts out the attention resolution; batch norm, ReLU, a 3x3
 * convolution to the image channels and tanh. Build it twice with the same seed for the live and
 * the averaged copy: both then have the same variables, in the same order, with the same values.
 */
final class Generator implements ConditionalGan.Generator {
  private final Ops tf;
  private final BigganConfig config;
  private final Weights weights;
  private final Layer shared;
  private final List<Variable<TFloat32>> embedding;
  private final Layer dense;
  private final List<Block> blocks = new ArrayList<>();
  private final Layer outputNorm;
  private final Layer outputConv;

  /**
   * One residual up-block: CBN, ReLU, nearest upsampling, 3x3 conv, CBN, ReLU, 3x3 conv; the
   * shortcut upsamples and convolves 1x1. {@code attention} follows the block, or is null.
   */
  private record Block(StyleLayers.Conditioned norm1, Layer conv1, StyleLayers.Conditioned norm2, Layer conv2,
      Layer shortcut, Layer attention) {}

  Generator(Ops tf, long seed, BigganConfig config, int classes) {
    this.tf = tf;
    this.config = config;
    this.weights = Weights.seeded(tf, seed);
    shared = ConditionalLayers.embedding(weights, classes, config.embeddingSize(),
        BigganLayers.stddev(classes, config.embeddingSize()));
    embedding = weights.variables(); // the embedding's table: the only variable so far
    List<Integer> in = config.generatorIn();
    List<Integer> out = config.generatorOut();
    int bottom = BigganConfig.BOTTOM;
    dense = BigganLayers.dense(weights, config.chunkSize(), bottom * bottom * in.get(0));
    int condition = config.conditionSize();
    int side = bottom;
    for (int i = 0; i < in.size(); i++) {
      side *= 2;
      blocks.add(new Block(
          ConditionalLayers.conditionalBatchNorm(weights, in.get(i), condition, 0f),
          BigganLayers.conv(weights, in.get(i), out.get(i), 3),
          ConditionalLayers.conditionalBatchNorm(weights, out.get(i), condition, 0f),
          BigganLayers.conv(weights, out.get(i), out.get(i), 3),
          BigganLayers.conv(weights, in.get(i), out.get(i), 1),
          side == config.attentionResolution() ? BigganLayers.selfAttention(weights, out.get(i)) : null));
    }
    int last = out.get(out.size() - 1);
    outputNorm = Layers.batchNorm(weights, last);
    outputConv = BigganLayers.conv(weights, last, config.imageChannels(), 3);
  }

  Weights weights() {
    return weights;
  }

  /** Every trained variable, in the order of creation. */
  List<Variable<TFloat32>> variables() {
    return weights.variables();
  }

  /**
   * The weights orthogonal regularisation applies to: every matrix and filter, not the biases, the
   * norms' vectors, the attention's gamma nor the shared embedding (BigGAN leaves it out too).
   */
  List<Variable<TFloat32>> regularizedWeights() {
    return variables().stream()
        .filter(v -> v.shape().numDimensions() >= 2 && !embedding.contains(v))
        .toList();
  }

  /**
   * Images {@code [n, size, size, channels]} in [-1, 1] for latents {@code [n, latentSize]} and
   * classes {@code [n, classes]}.
   */
  @Override
  public Operand<TFloat32> generate(Operand<TFloat32> latent, Operand<TFloat32> classRows) {
    List<Operand<TFloat32>> chunks = new ArrayList<>();
    tf.split(tf.constant(1), latent, (long) config.chunks()).forEach(chunks::add);
    Operand<TFloat32> classes = shared.apply(tf, classRows);
    int bottom = BigganConfig.BOTTOM;
    Operand<TFloat32> x = tf.reshape(dense.apply(tf, chunks.get(0)),
        tf.constant(new long[] {-1, bottom, bottom, config.generatorIn().get(0)}));
    Layer up = StyleLayers.upsample();
    for (int i = 0; i < blocks.size(); i++) {
      Block b = blocks.get(i);
      Operand<TFloat32> condition = tf.concat(List.of(classes, chunks.get(i + 1)), tf.constant(1));
      Operand<TFloat32> h = up.apply(tf, tf.nn.relu(b.norm1().apply(tf, x, condition)));
      h = b.conv1().apply(tf, h);
      h = b.conv2().apply(tf, tf.nn.relu(b.norm2().apply(tf, h, condition)));
      x = tf.math.add(h, b.shortcut().apply(tf, up.apply(tf, x)));
      if (b.attention() != null) {
        x = b.attention().apply(tf, x);
      }
    }
    return tf.math.tanh(outputConv.apply(tf, tf.nn.relu(outputNorm.apply(tf, x))));
  }
}
