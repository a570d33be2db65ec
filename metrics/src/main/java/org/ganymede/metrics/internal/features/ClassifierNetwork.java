package org.ganymede.metrics.internal.features;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * The Fashion-MNIST classifier: conv 3x3 32, ReLU, max-pool 2, conv 3x3 64, ReLU, max-pool 2,
 * dense 128, ReLU (the features), dense 10 (the logits), softmax (the class probabilities). The one
 * definition both training (weights as variables) and the shipped graph (weights as constants) use,
 * so the frozen graph is the network that was trained.
 *
 * <p>The same network takes other square images and class counts ({@link Layout}): the side must
 * be a multiple of 4 (two 2x2 pools), the dense layer's input grows with it. The shipped classifier
 * is {@link Layout#FASHION_MNIST}; the other layouts are trained and tested in place (the
 * Classification Accuracy Score) and never frozen.
 *
 * <p>The frozen graph's ops, by name:
 *
 * <ul>
 *   <li>{@value #INPUT}: float input {@code [n, 28, 28, 1]}, pixels in [-1, 1] (-1 the background)
 *   <li>{@value #FEATURES}: float {@code [n, 128]}, the penultimate layer after its ReLU
 *   <li>{@value #LOGITS}: float {@code [n, 10]}
 *   <li>{@value #PROBABILITIES}: float {@code [n, 10]}, the softmax of the logits
 * </ul>
 */
public final class ClassifierNetwork {
  static final int IMAGE_SIZE = 28;
  static final int FEATURE_SIZE = 128;
  static final int CLASSES = 10;

  static final String INPUT = "images";
  static final String FEATURES = "features";
  static final String LOGITS = "logits";
  static final String PROBABILITIES = "probabilities";

  /**
   * A weight tensor of the network.
   *
   * @param fanIn the inputs each output sums over, which sets the initial scale; 0 for a bias
   * @param gain the initial variance times the fan-in: 2 before a ReLU (He), 1 before the softmax
   */
  record Weight(String name, long[] shape, int fanIn, float gain) {
    Shape tfShape() {
      return Shape.of(shape);
    }

    float initialStddev() {
      return fanIn == 0 ? 0f : (float) Math.sqrt(gain / fanIn);
    }
  }

  /**
   * The shape the network reads and the classes it tells apart.
   *
   * @param side the height and the width of the images, a positive multiple of 4
   * @param channels the channels of each pixel, 1 or more
   * @param classes the classes, 2 or more
   */
  public record Layout(int side, int channels, int classes) {
    /** The shipped classifier's: 28x28 grey images, 10 classes. */
    public static final Layout FASHION_MNIST = new Layout(IMAGE_SIZE, 1, CLASSES);

    public Layout {
      if (side < 4 || side % 4 != 0) {
        throw new IllegalArgumentException("the classifier takes square images whose side is a multiple of 4"
            + " (two 2x2 max-pools), e.g. 28 or 32; got side " + side);
      }
      if (channels < 1) {
        throw new IllegalArgumentException("the classifier needs 1 or more channels; got " + channels);
      }
      if (classes < 2) {
        throw new IllegalArgumentException("the classifier needs 2 or more classes; got " + classes);
      }
    }

    /** The values of one image, {@code side * side * channels}. */
    public int sampleSize() {
      return side * side * channels;
    }

    /** The values the dense layer reads: the second pool's output, flattened. */
    int flat() {
      int pooled = side / 4;
      return pooled * pooled * 64;
    }

    /** The weights in a fixed order: a seed and a position give each its initial values. */
    List<Weight> weights() {
      int flat = flat();
      return List.of(
          new Weight("conv1_filter", new long[] {3, 3, channels, 32}, 3 * 3 * channels, 2f),
          new Weight("conv1_bias", new long[] {32}, 0, 0f),
          new Weight("conv2_filter", new long[] {3, 3, 32, 64}, 3 * 3 * 32, 2f),
          new Weight("conv2_bias", new long[] {64}, 0, 0f),
          new Weight("dense_kernel", new long[] {flat, FEATURE_SIZE}, flat, 2f),
          new Weight("dense_bias", new long[] {FEATURE_SIZE}, 0, 0f),
          new Weight("logits_kernel", new long[] {FEATURE_SIZE, classes}, FEATURE_SIZE, 1f),
          new Weight("logits_bias", new long[] {classes}, 0, 0f));
    }
  }

  /** The shipped classifier's weights in a fixed order: a seed and a position give each its initial values. */
  static final List<Weight> WEIGHTS = Layout.FASHION_MNIST.weights();

  /** The named outputs of one application of the network. */
  record Outputs(Operand<TFloat32> features, Operand<TFloat32> logits, Operand<TFloat32> probabilities) {}

  private ClassifierNetwork() {}

  /** The input placeholder, {@code [n, 28, 28, 1]}. */
  static Placeholder<TFloat32> input(Ops tf) {
    return input(tf, Layout.FASHION_MNIST);
  }

  /** The input placeholder, {@code [n, side, side, channels]}. */
  static Placeholder<TFloat32> input(Ops tf, Layout layout) {
    return tf.withName(INPUT).placeholder(TFloat32.class,
        Placeholder.shape(Shape.of(-1, layout.side(), layout.side(), layout.channels())));
  }

  /**
   * Variables for every weight, initialised from N(0, gain / fanIn) (biases at 0) drawn by a
   * stateless generator keyed by {@code seed} and the weight's position: the same seed gives the
   * same network. They live in the root scope, where the optimizer can name its slots after them.
   */
  static Map<String, Variable<TFloat32>> variables(Ops tf, Layout layout, long seed) {
    Map<String, Variable<TFloat32>> variables = new LinkedHashMap<>();
    Ops init = tf.withInitScope();
    List<Weight> weights = layout.weights();
    for (int i = 0; i < weights.size(); i++) {
      Weight w = weights.get(i);
      Operand<TFloat32> value;
      if (w.fanIn() == 0) {
        value = init.fill(init.constant(w.shape()), init.constant(0f));
      } else {
        Operand<TFloat32> draw = init.random.statelessRandomNormal(
            init.constant(w.shape()), init.constant(new long[] {seed, i}));
        value = init.math.mul(draw, init.constant(w.initialStddev()));
      }
      variables.put(w.name(), tf.withName(w.name()).variable(value));
    }
    return variables;
  }

  /** The network applied to {@code images}, with its outputs named {@value #FEATURES}, {@value #LOGITS} and {@value #PROBABILITIES}. */
  static Outputs apply(Ops tf, Operand<TFloat32> images, Map<String, ? extends Operand<TFloat32>> weights) {
    return apply(tf, images, weights, Layout.FASHION_MNIST);
  }

  /** The network of {@code layout} applied to {@code images}, its outputs named as {@link #apply(Ops, Operand, Map)} names them. */
  static Outputs apply(Ops tf, Operand<TFloat32> images, Map<String, ? extends Operand<TFloat32>> weights,
      Layout layout) {
    Operand<TFloat32> x = convBlock(tf, images, weights.get("conv1_filter"), weights.get("conv1_bias"));
    x = convBlock(tf, x, weights.get("conv2_filter"), weights.get("conv2_bias"));
    x = tf.reshape(x, tf.constant(new int[] {-1, layout.flat()}));
    Operand<TFloat32> hidden = tf.nn.relu(
        tf.nn.biasAdd(tf.linalg.matMul(x, weights.get("dense_kernel")), weights.get("dense_bias")));
    Operand<TFloat32> features = tf.withName(FEATURES).identity(hidden);
    Operand<TFloat32> logits = tf.withName(LOGITS).nn.biasAdd(
        tf.linalg.matMul(features, weights.get("logits_kernel")), weights.get("logits_bias"));
    Operand<TFloat32> probabilities = tf.withName(PROBABILITIES).nn.softmax(logits);
    return new Outputs(features, logits, probabilities);
  }

  /**
   * The frozen graph: the network with {@code values} as constants, and nothing else (no
   * variables, no training ops), serialised as a GraphDef.
   *
   * @param values each weight's trained value, by name, shaped as {@link #WEIGHTS} says
   */
  static byte[] freeze(Map<String, TFloat32> values) {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Map<String, Operand<TFloat32>> constants = new LinkedHashMap<>();
      for (Weight w : WEIGHTS) {
        TFloat32 value = values.get(w.name());
        if (value == null || !value.shape().equals(w.tfShape())) {
          throw new IllegalArgumentException("weight " + w.name() + " must have shape "
              + Arrays.toString(w.shape()) + "; got " + (value == null ? "none" : value.shape()));
        }
        constants.put(w.name(), tf.withName(w.name()).constantOf(value));
      }
      apply(tf, input(tf), constants);
      return graph.toGraphDef().toByteArray();
    }
  }

  private static Operand<TFloat32> convBlock(
      Ops tf, Operand<TFloat32> x, Operand<TFloat32> filter, Operand<TFloat32> bias) {
    Operand<TFloat32> conv = tf.nn.biasAdd(tf.nn.conv2d(x, filter, List.of(1L, 1L, 1L, 1L), "SAME"), bias);
    return tf.nn.maxPool(tf.nn.relu(conv), tf.constant(new int[] {1, 2, 2, 1}),
        tf.constant(new int[] {1, 2, 2, 1}), "VALID");
  }
}
