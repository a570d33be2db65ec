package org.ganymede.metrics.internal.features;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * {@code train-classifier} runs. Not thread-safe.
 */
final class ClassifierTraining implements AutoCloseable {
  private static final int SAMPLE = ClassifierNetwork.IMAGE_SIZE * ClassifierNetwork.IMAGE_SIZE;
  private static final int EVALUATION_BATCH = FrozenClassifier.BATCH;

  private final Graph graph;
  private final Session session;
  private final Placeholder<TFloat32> images;
  private final Placeholder<TInt32> labels;
  private final Map<String, Variable<TFloat32>> variables;
  private final Operand<TFloat32> logits;
  private final Operand<TFloat32> loss;
  private final Op train;

  /**
   * @param seed the seed of the initial weights
   * @param learningRate Adam's step size
   */
  ClassifierTraining(long seed, float learningRate) {
    graph = new Graph();
    try {
      Ops tf = Ops.create(graph);
      images = ClassifierNetwork.input(tf);
      labels = tf.withName("labels").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
      variables = ClassifierNetwork.variables(tf, seed);
      logits = ClassifierNetwork.apply(tf, images, variables).logits();
      // Cross-entropy out of ops whose gradients TensorFlow's C++ registry has (the fused
      // SparseSoftmaxCrossEntropyWithLogits has none there).
      Operand<TFloat32> target = tf.oneHot(labels, tf.constant(ClassifierNetwork.CLASSES), tf.constant(1f), tf.constant(0f));
      Operand<TFloat32> logLikelihood =
          tf.reduceSum(tf.math.mul(target, tf.nn.logSoftmax(logits)), tf.constant(1));
      loss = tf.withName("loss").math.neg(tf.math.mean(logLikelihood, tf.constant(0)));
      train = adam(tf, learningRate);
      session = new Session(graph);
      session.initialize();
    } catch (RuntimeException e) {
      graph.close();
      throw e;
    }
  }

  /** One Adam step on a batch; returns the batch's mean loss before the step. */
  float step(float[] batchImages, int[] batchLabels) {
    try (TFloat32 x = TFloat32.tensorOf(Shape.of(batchLabels.length, ClassifierNetwork.IMAGE_SIZE,
            ClassifierNetwork.IMAGE_SIZE, 1), DataBuffers.of(batchImages, true, false));
        TInt32 y = TInt32.vectorOf(batchLabels);
        Result r = session.runner().feed(images, x).feed(labels, y).addTarget(train).fetch(loss).run()) {
      return ((TFloat32) r.get(0)).getFloat();
    }
  }

  /** The fraction of the first {@code limit} samples of 28x28 {@code data} the network classifies right. */
  double accuracy(Dataset data, int limit) {
    int n = Math.min(limit, data.size());
    int correct = 0;
    float[] batch = new float[EVALUATION_BATCH * SAMPLE];
    for (int start = 0; start < n; start += EVALUATION_BATCH) {
      int count = Math.min(EVALUATION_BATCH, n - start);
      for (int i = 0; i < count; i++) {
        data.read(start + i, batch, i * SAMPLE);
      }
      float[] scores = new float[count * ClassifierNetwork.CLASSES];
      try (TFloat32 x = TFloat32.tensorOf(Shape.of(count, ClassifierNetwork.IMAGE_SIZE, ClassifierNetwork.IMAGE_SIZE, 1),
              DataBuffers.of(batch, true, false).narrow((long) count * SAMPLE));
          Result r = session.runner().feed(images, x).fetch(logits).run()) {
        ((TFloat32) r.get(0)).copyTo(DataBuffers.of(scores, false, false));
      }
      for (int i = 0; i < count; i++) {
        if (argmax(scores, i * ClassifierNetwork.CLASSES, ClassifierNetwork.CLASSES) == data.label(start + i)) {
          correct++;
        }
      }
    }
    return n == 0 ? Double.NaN : (double) correct / n;
  }

  /** The trained network as a frozen graph (see {@link ClassifierNetwork#freeze}). */
  byte[] freeze() {
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

  private Op adam(Ops tf, float learningRate) {
    // Explicit gradients and pairs: the optimizer updates the network's variables and nothing else.
    List<Variable<TFloat32>> trained = new ArrayList<>(variables.values());
    Output<?>[] outputs = trained.stream().map(Variable::asOutput).toArray(Output<?>[]::new);
    Output<?>[] gradients = graph.addGradients("gradients", new Output<?>[] {loss.asOutput()}, outputs, null);
    List<Operand<TFloat32>> floatGradients = new ArrayList<>();
    for (Output<?> g : gradients) {
      floatGradients.add(floats(g));
    }
    // The Adam paper's defaults.
    return AdamOptimizer.step(tf, "train", trained, floatGradients, tf.constant(learningRate), 0.9f, 0.999f, 1e-8f);
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
