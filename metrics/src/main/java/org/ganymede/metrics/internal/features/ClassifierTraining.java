package org.ganymede.metrics.internal.features;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntUnaryOperator;
import org.ganymede.api.Dataset;
import org.ganymede.nn.AdamOptimizer;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * {@link ClassifierNetwork} with variables, a cross-entropy loss and Adam: the graph
 * {@code train-classifier} runs, and the Classification Accuracy Score trains on images of any
 * {@link ClassifierNetwork.Layout}. Not thread-safe.
 */
public final class ClassifierTraining implements AutoCloseable {
  private static final int EVALUATION_BATCH = FrozenClassifier.BATCH;

  private final ClassifierNetwork.Layout layout;
  private final int sample;
  private final Graph graph;
  private final Session session;
  private final Placeholder<TFloat32> images;
  private final Placeholder<TInt32> labels;
  private final Map<String, Variable<TFloat32>> variables;
  private final Operand<TFloat32> logits;
  private final Operand<TFloat32> loss;
  private final Op train;
  /** The step size each step is given, or null when it is a constant of the graph. */
  private final Placeholder<TFloat32> rate;

  /**
   * The shipped classifier's network, 28x28x1 images in 10 classes.
   *
   * @param seed the seed of the initial weights
   * @param learningRate Adam's step size
   */
  ClassifierTraining(long seed, float learningRate) {
    this(ClassifierNetwork.Layout.FASHION_MNIST, seed, learningRate);
  }

  /**
   * @param layout the images and classes the network reads and tells apart
   * @param seed the seed of the initial weights
   * @param learningRate Adam's step size
   */
  public ClassifierTraining(ClassifierNetwork.Layout layout, long seed, float learningRate) {
    this(layout, seed, Float.valueOf(learningRate));
  }

  /**
   * A network whose step size comes with every step ({@link #step(float[], int[], float)}), for a
   * schedule.
   *
   * @param layout the images and classes the network reads and tells apart
   * @param seed the seed of the initial weights
   */
  public ClassifierTraining(ClassifierNetwork.Layout layout, long seed) {
    this(layout, seed, null);
  }

  private ClassifierTraining(ClassifierNetwork.Layout layout, long seed, Float learningRate) {
    this.layout = layout;
    this.sample = layout.sampleSize();
    graph = new Graph();
    try {
      Ops tf = Ops.create(graph);
      images = ClassifierNetwork.input(tf, layout);
      labels = tf.withName("labels").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
      variables = ClassifierNetwork.variables(tf, layout, seed);
      logits = ClassifierNetwork.apply(tf, images, variables, layout).logits();
      // Cross-entropy out of ops whose gradients TensorFlow's C++ registry has (the fused
      // SparseSoftmaxCrossEntropyWithLogits has none there).
      Operand<TFloat32> target = tf.oneHot(labels, tf.constant(layout.classes()), tf.constant(1f), tf.constant(0f));
      Operand<TFloat32> logLikelihood =
          tf.reduceSum(tf.math.mul(target, tf.nn.logSoftmax(logits)), tf.constant(1));
      loss = tf.withName("loss").math.neg(tf.math.mean(logLikelihood, tf.constant(0)));
      rate = learningRate == null
          ? tf.withName("learning_rate").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()))
          : null;
      train = adam(tf, learningRate);
      session = new Session(graph);
      session.initialize();
    } catch (RuntimeException e) {
      graph.close();
      throw e;
    }
  }

  /**
   * One Adam step on a batch; returns the batch's mean loss before the step.
   *
   * @param batchImages the batch's images one after the other, NHWC; values past the last image are
   *     not read
   * @param batchLabels the class of each image: the batch has as many images as labels
   */
  public float step(float[] batchImages, int[] batchLabels) {
    if (rate != null) {
      throw new IllegalStateException("this network's step size comes with each step");
    }
    return run(batchImages, batchLabels, Float.NaN);
  }

  /**
   * One Adam step of size {@code learningRate} on a batch, for a network made without a step size;
   * returns the batch's mean loss before the step.
   */
  public float step(float[] batchImages, int[] batchLabels, float learningRate) {
    if (rate == null) {
      throw new IllegalStateException("this network's step size is fixed");
    }
    return run(batchImages, batchLabels, learningRate);
  }

  private float run(float[] batchImages, int[] batchLabels, float learningRate) {
    long values = (long) batchLabels.length * sample;
    if (batchImages.length < values) {
      throw new IllegalArgumentException(batchLabels.length + " labels need " + values + " image values; got "
          + batchImages.length);
    }
    try (TFloat32 x = TFloat32.tensorOf(batchShape(batchLabels.length),
            DataBuffers.of(batchImages, true, false).narrow(values));
        TInt32 y = TInt32.vectorOf(batchLabels);
        TFloat32 size = TFloat32.scalarOf(learningRate)) {
      Session.Runner runner = session.runner().feed(images, x).feed(labels, y);
      if (rate != null) {
        runner.feed(rate, size);
      }
      try (Result r = runner.addTarget(train).fetch(loss).run()) {
        return ((TFloat32) r.get(0)).getFloat();
      }
    }
  }

  /** The fraction of the first {@code limit} samples of {@code data}, of this network's layout, classified right. */
  double accuracy(Dataset data, int limit) {
    int n = Math.min(limit, data.size());
    return accuracy(n, (i, target, offset) -> data.read(i, target, offset), data::label);
  }

  /**
   * The fraction of {@code rows} the network classifies as {@code rowLabels} says, NaN when there
   * are none.
   *
   * @param rows flattened images of this network's layout
   */
  public double accuracy(float[][] rows, int[] rowLabels) {
    if (rows.length != rowLabels.length) {
      throw new IllegalArgumentException(rows.length + " rows and " + rowLabels.length + " labels; each row needs one");
    }
    return accuracy(rows.length, (i, target, offset) -> {
      if (rows[i].length != sample) {
        throw new IllegalArgumentException("row " + i + " has " + rows[i].length + " values; the classifier's images "
            + "have " + sample);
      }
      System.arraycopy(rows[i], 0, target, offset, sample);
    }, i -> rowLabels[i]);
  }

  /** Copies image {@code index} to {@code target} at {@code offset}. */
  private interface ImageSource {
    void read(int index, float[] target, int offset);
  }

  private double accuracy(int n, ImageSource source, IntUnaryOperator labelOf) {
    int classes = layout.classes();
    int correct = 0;
    float[] batch = new float[Math.min(n, EVALUATION_BATCH) * sample];
    for (int start = 0; start < n; start += EVALUATION_BATCH) {
      int count = Math.min(EVALUATION_BATCH, n - start);
      for (int i = 0; i < count; i++) {
        source.read(start + i, batch, i * sample);
      }
      float[] scores = new float[count * classes];
      try (TFloat32 x = TFloat32.tensorOf(batchShape(count), DataBuffers.of(batch, true, false).narrow((long) count * sample));
          Result r = session.runner().feed(images, x).fetch(logits).run()) {
        ((TFloat32) r.get(0)).copyTo(DataBuffers.of(scores, false, false));
      }
      for (int i = 0; i < count; i++) {
        if (argmax(scores, i * classes, classes) == labelOf.applyAsInt(start + i)) {
          correct++;
        }
      }
    }
    return n == 0 ? Double.NaN : (double) correct / n;
  }

  private Shape batchShape(long count) {
    return Shape.of(count, layout.side(), layout.side(), layout.channels());
  }

  /** The trained network as a frozen graph (see {@link ClassifierNetwork#freeze}); the shipped layout only. */
  byte[] freeze() {
    if (!layout.equals(ClassifierNetwork.Layout.FASHION_MNIST)) {
      throw new IllegalStateException("only the shipped classifier's layout is frozen; this one is " + layout);
    }
    Session.Runner runner = session.runner();
    List<String> names = new ArrayList<>(variables.keySet());
    for (String name : names) {
      runner.fetch(variables.get(name));
    }
    try (Result r = runner.run()) {
      Map<String, TFloat32> values = new LinkedHashMap<>();
      for (int i = 0; i < names.size(); i++) {
        values.put(names.get(i), (TFloat32) r.get(i));
      }
      return ClassifierNetwork.freeze(values);
    }
  }

  static int argmax(float[] values, int offset, int length) {
    int best = 0;
    for (int i = 1; i < length; i++) {
      if (values[offset + i] > values[offset + best]) {
        best = i;
      }
    }
    return best;
  }

  /** @param learningRate the fixed step size, or null for {@link #rate} */
  private Op adam(Ops tf, Float learningRate) {
    // Explicit gradients and pairs: the optimizer updates the network's variables and nothing else.
    List<Variable<TFloat32>> trained = new ArrayList<>(variables.values());
    Output<?>[] outputs = trained.stream().map(Variable::asOutput).toArray(Output<?>[]::new);
    Output<?>[] gradients = graph.addGradients("gradients", new Output<?>[] {loss.asOutput()}, outputs, null);
    List<Operand<TFloat32>> floatGradients = new ArrayList<>();
    for (Output<?> g : gradients) {
      floatGradients.add(floats(g));
    }
    // The Adam paper's defaults.
    return AdamOptimizer.step(tf, "train", trained, floatGradients,
        learningRate == null ? rate : tf.constant(learningRate.floatValue()), 0.9f, 0.999f, 1e-8f);
  }

  @SuppressWarnings("unchecked")
  private static Output<TFloat32> floats(Output<?> o) {
    return (Output<TFloat32>) o;
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
