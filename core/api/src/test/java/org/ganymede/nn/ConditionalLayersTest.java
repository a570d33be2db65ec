package org.ganymede.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** Class-conditional layers pick exactly their class's parameters from a one-hot row. */
class ConditionalLayersTest {
  private static final int N = 4;
  private static final int SIDE = 3;
  private static final int CHANNELS = 2;
  private static final int CLASSES = 3;
  private static final int[] CLASS_OF_SAMPLE = {2, 0, 1, 2};

  @Test
  void conditionalBatchNormWithAOneHotClassAppliesThatClasssScaleAndShift() {
    try (Graph graph = new Graph(); Session session = new Session(graph)) {
      Ops tf = Ops.create(graph);
      Weights w = Weights.seeded(tf, 1);
      StyleLayers.Conditioned cbn = ConditionalLayers.conditionalBatchNorm(w, CHANNELS, CLASSES, 0.2f);
      float[] x = uniform(N * SIDE * SIDE * CHANNELS, 3);
      float[] gammas = uniform(CLASSES * CHANNELS, 4);
      float[] betas = uniform(CLASSES * CHANNELS, 5);
      Operand<TFloat32> input = tf.constant(Shape.of(N, SIDE, SIDE, CHANNELS), DataBuffers.of(x));
      Operand<TFloat32> output = cbn.apply(tf, input, oneHot(tf));
      Variable<TFloat32> gamma = w.variables().get(0);
      Variable<TFloat32> beta = w.variables().get(1);
      session.initialize();
      session.runner().addTarget(tf.assign(gamma, tf.constant(Shape.of(CLASSES, CHANNELS), DataBuffers.of(gammas))))
          .addTarget(tf.assign(beta, tf.constant(Shape.of(CLASSES, CHANNELS), DataBuffers.of(betas)))).run().close();
      float[] y = read(session, output);

      int pixels = N * SIDE * SIDE;
      for (int c = 0; c < CHANNELS; c++) {
        double mean = 0;
        double square = 0;
        for (int p = 0; p < pixels; p++) {
          mean += x[p * CHANNELS + c];
        }
        mean /= pixels;
        for (int p = 0; p < pixels; p++) {
          square += Math.pow(x[p * CHANNELS + c] - mean, 2);
        }
        double std = Math.sqrt(square / pixels + Layers.NORM_EPSILON);
        for (int p = 0; p < pixels; p++) {
          int k = CLASS_OF_SAMPLE[p / (SIDE * SIDE)];
          double expected = (x[p * CHANNELS + c] - mean) / std * (1 + gammas[k * CHANNELS + c]) + betas[k * CHANNELS + c];
          assertEquals(expected, y[p * CHANNELS + c], 1e-4, "pixel " + p + ", channel " + c);
        }
      }
    }
  }

  @Test
  void theProjectionTermIsTheClassEmbeddingDotTheFeatures() {
    int features = 5;
    try (Graph graph = new Graph(); Session session = new Session(graph)) {
      Ops tf = Ops.create(graph);
      Weights w = Weights.seeded(tf, 2);
      StyleLayers.Conditioned projection = ConditionalLayers.projection(w, CLASSES, features, 1f);
      float[] h = uniform(N * features, 6);
      Operand<TFloat32> term = projection.apply(tf, tf.constant(Shape.of(N, features), DataBuffers.of(h)), oneHot(tf));
      session.initialize();
      float[] embedding = read(session, w.variables().get(0));
      float[] y = read(session, term);
      assertEquals(N, y.length);
      for (int n = 0; n < N; n++) {
        double expected = 0;
        for (int j = 0; j < features; j++) {
          expected += embedding[CLASS_OF_SAMPLE[n] * features + j] * h[n * features + j];
        }
        assertEquals(expected, y[n], 1e-5, "sample " + n);
      }
    }
  }

  @Test
  void theClassLossIsTheCrossEntropyOfTheSoftmax() {
    try (Graph graph = new Graph(); Session session = new Session(graph)) {
      Ops tf = Ops.create(graph);
      float[] logits = uniform(N * CLASSES, 7);
      Operand<TFloat32> l = tf.constant(Shape.of(N, CLASSES), DataBuffers.of(logits));
      Operand<TInt32> ids = tf.constant(CLASS_OF_SAMPLE);
      float loss = read(session, ConditionalLayers.classLoss(tf, l, ids))[0];
      float accuracy = read(session, ConditionalLayers.accuracy(tf, l, ids))[0];
      double expected = 0;
      int right = 0;
      for (int n = 0; n < N; n++) {
        double sum = 0;
        int best = 0;
        for (int k = 0; k < CLASSES; k++) {
          sum += Math.exp(logits[n * CLASSES + k]);
          best = logits[n * CLASSES + k] > logits[n * CLASSES + best] ? k : best;
        }
        expected -= Math.log(Math.exp(logits[n * CLASSES + CLASS_OF_SAMPLE[n]]) / sum) / N;
        right += best == CLASS_OF_SAMPLE[n] ? 1 : 0;
      }
      assertEquals(expected, loss, 1e-5);
      assertEquals((float) right / N, accuracy, 0f);
    }
  }

  private static Operand<TFloat32> oneHot(Ops tf) {
    return tf.oneHot(tf.constant(CLASS_OF_SAMPLE), tf.constant(CLASSES), tf.constant(1f), tf.constant(0f));
  }

  private static float[] uniform(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = (float) random.nextDouble(-1, 1);
    }
    return values;
  }

  private static float[] read(Session session, Operand<TFloat32> t) {
    try (TFloat32 value = (TFloat32) session.runner().fetch(t).run().get(0)) {
      float[] out = new float[(int) value.size()];
      value.copyTo(DataBuffers.of(out, false, false));
      return out;
    }
  }
}
