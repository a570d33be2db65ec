package org.ganymede.nn;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Layers that read a class: as one-hot rows {@code [n, classes]} (or a blend of two classes when
 * sampling interpolates), which every layer here treats linearly, so that a one-hot row picks
 * exactly its class's parameters.
 */
public final class ConditionalLayers {
  private ConditionalLayers() {}

  /** A class embedding {@code [classes, size]}, N(0, stddev^2): one-hot rows to their embeddings {@code [n, size]}. */
  public static Layer embedding(Weights w, int classes, int size, float stddev) {
    Variable<TFloat32> table = w.normal("class_embedding", Shape.of(classes, size), 0f, stddev);
    return (tf, classRows) -> tf.linalg.matMul(classRows, table);
  }

  /**
   * Conditional batch normalisation (de Vries et al. 2017; BigGAN's with a vector condition): the
   * batch's own statistics over all axes but the channels, then a scale {@code 1 + c W_gamma} and a
   * shift {@code c W_beta} from the condition {@code c [n, size]}. With one-hot c, class k's scale is
   * {@code 1 + W_gamma[k]} and its shift {@code W_beta[k]}.
   *
   * @param stddev the matrices' initial N(0, stddev^2): 0 starts every class at scale 1 and shift
   *     0; above 0 the classes differ from the first step, so that a generator whose only class
   *     input these are has the class's gradient at once (PyTorch's default linear layer, which
   *     StudioGAN's conditional batch norm uses, starts one-hot classes about 0.2 apart)
   */
  public static StyleLayers.Conditioned conditionalBatchNorm(Weights w, int channels, int conditionSize, float stddev) {
    Variable<TFloat32> gamma = w.normal("cbn_gamma", Shape.of(conditionSize, channels), 0f, stddev);
    Variable<TFloat32> beta = w.normal("cbn_beta", Shape.of(conditionSize, channels), 0f, stddev);
    return (tf, x, condition) -> {
      Operand<TFloat32> normalised = normalise(tf, x);
      int rank = x.shape().numDimensions();
      Operand<TFloat32> scale = perSample(tf, tf.math.add(tf.constant(1f), tf.linalg.matMul(condition, gamma)), rank);
      Operand<TFloat32> shift = perSample(tf, tf.linalg.matMul(condition, beta), rank);
      return tf.math.add(tf.math.mul(normalised, scale), shift);
    };
  }

  /**
   * The projection discriminator's class term (Miyato and Koyama 2018): {@code sum_j embed(y)_j h_j},
   * {@code [n, 1]}, from features {@code h [n, features]} and classes {@code [n, classes]}; added
   * to the unconditional logit.
   */
  public static StyleLayers.Conditioned projection(Weights w, int classes, int features, float stddev) {
    Layer embed = embedding(w, classes, features, stddev);
    return (tf, h, classRows) -> tf.reduceSum(tf.math.mul(embed.apply(tf, classRows), h), tf.constant(new int[] {1}),
        org.tensorflow.op.core.ReduceSum.keepDims(true));
  }

  /**
   * The classes as constant feature maps appended to an NHWC input: {@code [n, h, w, c + classes]}
   * (the convolutional CGAN's way of showing its discriminator the label).
   */
  public static Operand<TFloat32> appendClassMaps(Ops tf, Operand<TFloat32> x, Operand<TFloat32> classRows) {
    Shape shape = x.shape();
    int classes = (int) classRows.shape().get(1);
    Operand<TFloat32> maps = tf.reshape(classRows, tf.constant(new long[] {-1, 1, 1, classes}));
    Operand<TInt32> tile = tf.stack(List.of(tf.constant(1), tf.constant((int) shape.get(1)),
        tf.constant((int) shape.get(2)), tf.constant(1)));
    return tf.concat(List.of(x, tf.tile(maps, tile)), tf.constant(3));
  }

  /** Mean cross-entropy of class logits {@code [n, classes]} against class ids {@code [n]}. */
  public static Operand<TFloat32> classLoss(Ops tf, Operand<TFloat32> logits, Operand<TInt32> classes) {
    int count = (int) logits.shape().get(1);
    Operand<TFloat32> target = tf.oneHot(classes, tf.constant(count), tf.constant(1f), tf.constant(0f));
    // log-softmax written out (max-shifted), so that second-order gradients exist for penalties.
    Operand<TInt32> last = tf.constant(new int[] {1});
    Operand<TFloat32> shifted = tf.math.sub(logits, tf.stopGradient(
        tf.max(logits, last, org.tensorflow.op.core.Max.keepDims(true))));
    Operand<TFloat32> logSum = tf.math.log(tf.reduceSum(tf.math.exp(shifted), last,
        org.tensorflow.op.core.ReduceSum.keepDims(true)));
    Operand<TFloat32> picked = tf.reduceSum(tf.math.mul(target, tf.math.sub(shifted, logSum)), last);
    return tf.math.neg(tf.math.mean(picked, tf.constant(0)));
  }

  /** The share of rows whose largest logit is their class. */
  public static Operand<TFloat32> accuracy(Ops tf, Operand<TFloat32> logits, Operand<TInt32> classes) {
    Operand<TInt32> predicted = tf.math.argMax(logits, tf.constant(1), TInt32.class);
    return tf.math.mean(tf.dtypes.cast(tf.math.equal(predicted, classes), TFloat32.class), tf.constant(0));
  }

  private static Operand<TFloat32> normalise(Ops tf, Operand<TFloat32> x) {
    int rank = x.shape().numDimensions();
    int[] axes = new int[rank - 1];
    for (int i = 0; i < axes.length; i++) {
      axes[i] = i;
    }
    Operand<TInt32> over = tf.constant(axes);
    Operand<TFloat32> mean = tf.math.mean(x, over, org.tensorflow.op.math.Mean.keepDims(true));
    Operand<TFloat32> centered = tf.math.sub(x, mean);
    Operand<TFloat32> variance = tf.math.mean(tf.math.square(centered), over, org.tensorflow.op.math.Mean.keepDims(true));
    return tf.math.mul(centered, tf.math.rsqrt(tf.math.add(variance, tf.constant(Layers.NORM_EPSILON))));
  }

  /** {@code [n, channels]} reshaped to broadcast over a rank-{@code rank} NHWC (or {@code [n, channels]}) tensor. */
  private static Operand<TFloat32> perSample(Ops tf, Operand<TFloat32> values, int rank) {
    if (rank == 2) {
      return values;
    }
    long channels = values.shape().get(1);
    long[] shape = new long[rank];
    java.util.Arrays.fill(shape, 1);
    shape[0] = -1;
    shape[rank - 1] = channels;
    return tf.reshape(values, tf.constant(shape));
  }
}
