package org.ganymede.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

/** One power iteration per step converges on the largest singular value, and the layer divides by it. */
class SpectralNormTest {
  private static final int IN = 6;
  private static final int OUT = 4;

  @Test
  void theEstimateConvergesOnTheLargestSingularValueOfAFixedMatrix() {
    try (Graph graph = new Graph(); Session session = new Session(graph)) {
      Ops tf = Ops.create(graph);
      Weights w = Weights.seeded(tf, 5);
      Variable<TFloat32> kernel = w.normal("kernel", Shape.of(IN, OUT), 0f, 1f);
      SpectralNorm.Estimate estimate = SpectralNorm.estimate(w, kernel, OUT);
      Operand<TFloat32> sigma = estimate.iterate(tf).sigma();
      session.initialize();

      double largest = largestSingularValue(read(session, kernel), IN, OUT);
      float first = scalar(session, sigma);
      assertTrue(first < largest + 1e-4, "an estimate from a power iteration never exceeds the largest singular value");
      for (int step = 0; step < 50; step++) {
        session.runner().addTarget(w.updates().get(0)).run().close();
      }
      float converged = scalar(session, sigma);
      assertEquals(largest, converged, 1e-4 * largest, "after 50 steps (started at " + first + ")");
      assertFalse(w.variables().contains(estimate.u()), "u is not trained");
      assertTrue(w.untrainedVariables().contains(estimate.u()), "u is kept with the network's state");
    }
  }

  @Test
  void aSpectralDenseLayerDividesItsKernelByTheEstimate() {
    try (Graph graph = new Graph(); Session session = new Session(graph)) {
      Ops tf = Ops.create(graph);
      Network network = Network.builder(tf, 3).spectralDense(IN, OUT, 1f).build();
      float[] x = new float[2 * IN];
      SplittableRandom random = new SplittableRandom(8);
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) random.nextDouble(-1, 1);
      }
      Operand<TFloat32> input = tf.constant(Shape.of(2, IN), DataBuffers.of(x));
      Operand<TFloat32> output = network.apply(input);
      session.initialize();
      for (int step = 0; step < 50; step++) {
        network.updates().forEach(u -> session.runner().addTarget(u).run().close());
      }
      float[] kernel = read(session, network.variables().get(0));
      double sigma = largestSingularValue(kernel, IN, OUT);
      float[] y = read(session, output);
      for (int row = 0; row < 2; row++) {
        for (int j = 0; j < OUT; j++) {
          double expected = 0;
          for (int i = 0; i < IN; i++) {
            expected += x[row * IN + i] * kernel[i * OUT + j];
          }
          assertEquals(expected / sigma, y[row * OUT + j], 1e-4, "row " + row + ", unit " + j);
        }
      }
      assertEquals(2, network.variables().size(), "the kernel and the bias are trained");
      assertEquals(1, network.updates().size());
    }
  }

  /** The square root of the largest eigenvalue of W^T W, by a long power iteration in double. */
  private static double largestSingularValue(float[] w, int rows, int columns) {
    double[] v = new double[columns];
    java.util.Arrays.fill(v, 1);
    double lambda = 0;
    for (int iteration = 0; iteration < 5000; iteration++) {
      double[] wv = new double[rows];
      for (int i = 0; i < rows; i++) {
        for (int j = 0; j < columns; j++) {
          wv[i] += w[i * columns + j] * v[j];
        }
      }
      double[] next = new double[columns];
      for (int j = 0; j < columns; j++) {
        for (int i = 0; i < rows; i++) {
          next[j] += w[i * columns + j] * wv[i];
        }
      }
      double norm = Math.sqrt(java.util.Arrays.stream(next).map(a -> a * a).sum());
      lambda = norm;
      for (int j = 0; j < columns; j++) {
        v[j] = next[j] / norm;
      }
    }
    return Math.sqrt(lambda);
  }

  private static float[] read(Session session, Operand<TFloat32> t) {
    try (TFloat32 value = (TFloat32) session.runner().fetch(t).run().get(0)) {
      float[] out = new float[(int) value.size()];
      value.copyTo(DataBuffers.of(out, false, false));
      return out;
    }
  }

  private static float scalar(Session session, Operand<TFloat32> t) {
    return read(session, t)[0];
  }
}
