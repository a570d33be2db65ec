package org.ganymede.biggan.internal;

import java.util.ArrayList;
import java.util.List;
import org.ganymede.nn.ConditionalGan;
import org.ganymede.nn.Layer;
import org.ganymede.nn.SpectralNorm;
import org.ganymede.nn.StyleLayers;
import org.ganymede.nn.Weights;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * BigGAN's projection discriminator (StudioGAN's {@code big_resnet}): residual down-blocks of
 * spectrally normalised convolutions, self-attention after the first block that puts out the
 * attention resolution, ReLU, a sum over the positions, and a spectrally normalised dense layer to
 * the logit plus the projection of the features on the class's embedding (Miyato and Koyama
 * 2018), whose table is spectrally normalised too, as the reference's {@code sn_embedding}.
 */
final class Discriminator implements ConditionalGan.Discriminator {
  private final Ops tf;
  private final Weights weights;
  private final List<Layer> blocks = new ArrayList<>();
  private final Layer logit;
  private final SpectralNorm.Estimate embedding;

  Discriminator(Ops tf, long seed, BigganConfig config, int classes) {
    this.tf = tf;
    this.weights = Weights.seeded(tf, seed);
    List<Integer> in = config.discriminatorIn();
    List<Integer> out = config.discriminatorOut();
    List<Boolean> down = config.discriminatorDownsamples();
    boolean attended = false;
    int side = config.size();
    for (int i = 0; i < in.size(); i++) {
      blocks.add(i == 0 ? firstBlock(in.get(i), out.get(i)) : block(in.get(i), out.get(i), down.get(i)));
      side = down.get(i) ? side / 2 : side;
      if (!attended && side == config.attentionResolution()) {
        blocks.add(BigganLayers.selfAttention(weights, out.get(i)));
        attended = true;
      }
    }
    int features = out.get(out.size() - 1);
    logit = BigganLayers.dense(weights, features, 1);
    Variable<TFloat32> table = weights.normal("class_embedding", Shape.of(classes, features), 0f,
        BigganLayers.stddev(classes, features));
    embedding = SpectralNorm.estimate(weights, table, features);
  }

  Weights weights() {
    return weights;
  }

  @Override
  public ConditionalGan.Judgement judge(Operand<TFloat32> samples, Operand<TFloat32> classRows) {
    Operand<TFloat32> x = samples;
    for (Layer block : blocks) {
      x = block.apply(tf, x);
    }
    Operand<TFloat32> h = tf.reduceSum(tf.nn.relu(x), tf.constant(new int[] {1, 2}));
    Operand<TFloat32> projection = tf.reduceSum(
        tf.math.mul(tf.linalg.matMul(classRows, embedding.normalized(tf)), h), tf.constant(new int[] {1}),
        ReduceSum.keepDims(true));
    return new ConditionalGan.Judgement(tf.math.add(logit.apply(tf, h), projection), null);
  }

  /**
   * The reference's optimised first block: 3x3 conv, ReLU, 3x3 conv, 2x2 average pool, with no
   * activation ahead of the first conv, which sees the image itself; the shortcut pools, then
   * convolves 1x1.
   */
  private Layer firstBlock(int in, int out) {
    Layer conv1 = BigganLayers.conv(weights, in, out, 3);
    Layer conv2 = BigganLayers.conv(weights, out, out, 3);
    Layer shortcut = BigganLayers.conv(weights, in, out, 1);
    Layer pool = StyleLayers.downsample();
    return (t, x) -> t.math.add(
        pool.apply(t, conv2.apply(t, t.nn.relu(conv1.apply(t, x)))),
        shortcut.apply(t, pool.apply(t, x)));
  }

  /**
   * ReLU, 3x3 conv, ReLU, 3x3 conv, then a 2x2 average pool if {@code down}; the shortcut convolves
   * 1x1 and pools when the block downsamples or changes the width, else it is the input.
   */
  private Layer block(int in, int out, boolean down) {
    Layer conv1 = BigganLayers.conv(weights, in, out, 3);
    Layer conv2 = BigganLayers.conv(weights, out, out, 3);
    Layer shortcut = down || in != out ? BigganLayers.conv(weights, in, out, 1) : null;
    Layer pool = StyleLayers.downsample();
    return (t, x) -> {
      Operand<TFloat32> h = conv2.apply(t, t.nn.relu(conv1.apply(t, t.nn.relu(x))));
      Operand<TFloat32> sum = t.math.add(h, shortcut == null ? x : shortcut.apply(t, x));
      // Pooling the sum is pooling both branches, as the reference does: the pool is linear.
      return down ? pool.apply(t, sum) : sum;
    };
  }
}
