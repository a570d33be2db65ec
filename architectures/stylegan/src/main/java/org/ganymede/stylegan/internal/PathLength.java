package org.ganymede.stylegan.internal;

import java.util.ArrayList;
import java.util.List;
import org.ganymede.api.ModelContext;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * StyleGAN2's path length regularisation, as its reference code computes it: on half a batch of
 * fresh (mixed) styles, project the image on Gaussian noise scaled by 1/sqrt(H W), take the
 * gradient of that projection with respect to every style input, and penalise how far each
 * sample's length {@code sqrt(mean over style inputs of |gradient|^2)} is from a running mean of
 * the lengths, {@code pl_mean}, which moves 0.01 of the way to the batch's mean length each time
 * the penalty is computed.
 */
final class PathLength {
  /** The penalty's batch is the training batch divided by this (at least 1 sample). */
  static final int BATCH_SHRINK = 2;
  /** The share of the way pl_mean moves towards the batch's mean length per run. */
  static final float DECAY = 0.01f;
  /** The variable pl_mean's name in the graph. */
  static final String MEAN = "path_length_mean";

  private PathLength() {}

  /**
   * The graph's parts of the penalty.
   *
   * @param styles the tensors each style input reads, {@code [n, styleSize]}
   * @param projection the sum over the batch of each image times its noise
   * @param gradients the projection's gradient with respect to each of {@code styles}
   * @param lengths each sample's path length, {@code [n]}
   * @param mean pl_mean, a variable no optimizer trains
   * @param loss interval x weight x the mean over the batch of {@code (lengths - pl_mean')^2}, where
   *     pl_mean' is pl_mean after this run's update; computing it updates pl_mean
   */
  record Penalty(
      List<Operand<TFloat32>> styles,
      Operand<TFloat32> projection,
      List<Operand<TFloat32>> gradients,
      Operand<TFloat32> lengths,
      Variable<TFloat32> mean,
      Operand<TFloat32> loss) {}

  static Penalty build(ModelContext context, StyleganConfig config, Generator generator) {
    Ops tf = context.tf().withSubScope("path_length");
    int n = Math.max(1, context.batchSize() / BATCH_SHRINK);
    List<Operand<TFloat32>> styles = new ArrayList<>();
    // One tensor per input, even where inputs share a w: the gradient is taken for each input.
    for (Operand<TFloat32> w : TrainingInputs.styles(context, config, generator, n).inputs()) {
      styles.add(tf.identity(w));
    }
    Operand<TFloat32> image = generator.synthesize(tf, styles, TrainingInputs.noise(context, generator, n));
    int size = config.size();
    Operand<TFloat32> noise = tf.math.mul(
        context.random().normal(tf.constant(new int[] {n, size, size, config.imageChannels()})),
        tf.constant((float) (1 / Math.sqrt((double) size * size))));
    Operand<TFloat32> projection = tf.reduceSum(tf.math.mul(image, noise), tf.constant(new int[] {0, 1, 2, 3}));
    List<Operand<TFloat32>> gradients = new ArrayList<>();
    List<Operand<TFloat32>> squares = new ArrayList<>();
    var dy = tf.gradients(projection, styles);
    for (int i = 0; i < styles.size(); i++) {
      Operand<TFloat32> g = dy.dy(i);
      gradients.add(g);
      squares.add(tf.reduceSum(tf.math.square(g), tf.constant(new int[] {1})));
    }
    Operand<TFloat32> lengths = tf.withName("lengths").math.sqrt(
        tf.math.div(tf.math.addN(squares), tf.constant((float) styles.size())));

    Ops init = tf.withInitScope();
    Variable<TFloat32> mean = context.tf().withName(MEAN).variable(init.constant(0f));
    Operand<TFloat32> updated = tf.math.add(mean,
        tf.math.mul(tf.constant(DECAY), tf.math.sub(tf.math.mean(lengths, tf.constant(new int[] {0})), mean)));
    // The loss waits for the update, so pl_mean moves exactly when the objective runs.
    Ops afterUpdate = tf.withControlDependencies(List.of(tf.assign(mean, updated)));
    Operand<TFloat32> penalty = afterUpdate.math.mean(
        afterUpdate.math.square(afterUpdate.math.sub(lengths, updated)), afterUpdate.constant(new int[] {0}));
    Operand<TFloat32> loss = context.tf().withName("generator_path_length_loss").math.mul(penalty,
        tf.constant((float) (config.pathLengthWeight() * config.pathLengthInterval())));
    return new Penalty(styles, projection, gradients, lengths, mean, loss);
  }
}
