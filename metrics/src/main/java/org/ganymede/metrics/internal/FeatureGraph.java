package org.ganymede.metrics.internal;

import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;

/**
 * A TensorFlow graph that takes an evaluation's two feature matrices, generated and real, in float64
 * as the reference implementations compute. The matrices are copied to native memory once and fed
 * to every run, so that a metric can run its ops chunk by chunk without copying them again.
 */
final class FeatureGraph implements AutoCloseable {
  private final Graph graph = new Graph();
  private final Ops tf = Ops.create(graph);
  private final Placeholder<TFloat64> generated = matrixInput();
  private final Placeholder<TFloat64> real = matrixInput();
  private final TFloat64 generatedRows;
  private final TFloat64 realRows;
  private Session session;

  /** @param width the length of every row on both sides, as checked by {@link FeatureRows} */
  FeatureGraph(float[][] generated, float[][] real, int width) {
    TFloat64 g = null;
    try {
      g = matrix(generated, width);
      this.generatedRows = g;
      this.realRows = matrix(real, width);
    } catch (RuntimeException | Error e) {
      if (g != null) {
        g.close();
      }
      graph.close();
      throw e;
    }
  }

  Ops tf() {
    return tf;
  }

  /** The generated feature vectors, one a row. */
  Operand<TFloat64> generated() {
    return generated;
  }

  /** The real feature vectors, one a row. */
  Operand<TFloat64> real() {
    return real;
  }

  /** A placeholder for a float64 matrix with any number of rows and columns. */
  private Placeholder<TFloat64> matrixInput() {
    return tf.placeholder(TFloat64.class, Placeholder.shape(Shape.of(Shape.UNKNOWN_SIZE, Shape.UNKNOWN_SIZE)));
  }

  /**
   * Runs the graph on the two feature matrices.
   *
   * @param feeds tensors for the caller's own placeholders; the caller closes them
   * @param fetches what to compute
   * @return the values of each fetch, flattened in row-major order
   */
  double[][] run(Map<? extends Operand<?>, ? extends Tensor> feeds, List<? extends Operand<TFloat64>> fetches) {
    if (session == null) {
      session = new Session(graph);
    }
    Session.Runner runner = session.runner().feed(generated, generatedRows).feed(real, realRows);
    feeds.forEach(runner::feed);
    fetches.forEach(runner::fetch);
    double[][] values = new double[fetches.size()][];
    try (Result result = runner.run()) {
      for (int i = 0; i < values.length; i++) {
        TFloat64 tensor = (TFloat64) result.get(i);
        values[i] = new double[Math.toIntExact(tensor.size())];
        tensor.copyTo(DataBuffers.of(values[i], false, false));
      }
    }
    return values;
  }

  /** The rows as one float64 tensor of shape [rows, width]. */
  static TFloat64 matrix(float[][] rows, int width) {
    double[] flat = new double[Math.multiplyExact(rows.length, width)];
    for (int i = 0; i < rows.length; i++) {
      float[] row = rows[i];
      int offset = i * width;
      for (int j = 0; j < width; j++) {
        flat[offset + j] = row[j];
      }
    }
    return TFloat64.tensorOf(Shape.of(rows.length, width), DataBuffers.of(flat, true, false));
  }

  static TFloat64 vector(double[] values) {
    return TFloat64.tensorOf(Shape.of(values.length), DataBuffers.of(values, true, false));
  }

  static TFloat64 scalar(double value) {
    return TFloat64.scalarOf(value);
  }

  static TInt32 scalar(int value) {
    return TInt32.scalarOf(value);
  }

  /** Equally long rows of indices as one int32 tensor of shape [rows, length]. */
  static TInt32 indices(int[][] rows) {
    int length = rows.length == 0 ? 0 : rows[0].length;
    int[] flat = new int[Math.multiplyExact(rows.length, length)];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(rows[i], 0, flat, i * length, length);
    }
    return TInt32.tensorOf(Shape.of(rows.length, length), DataBuffers.of(flat, true, false));
  }

  @Override
  public void close() {
    try (graph; generatedRows; realRows) {
      if (session != null) {
        session.close();
      }
    }
  }
}
