package org.ganymede.metrics.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Sum;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;

/**
 * k-nearest-neighbour balls around feature vectors, and which vectors of the other side fall in
 * them, as the prdc reference's {@code compute_prdc} (Naeem et al. 2020) finds them. Distances are
 * Euclidean, |a|^2 + |b|^2 - 2 a.b with a float64 matmul (negatives from rounding taken as 0), for a
 * chunk of rows against a whole side at a time, so that no more than {@link #CHUNK_ELEMENTS} of a
 * distance matrix is held at once. Squared distances are compared with squared radii: for
 * non-negative numbers d < r exactly when d^2 < r^2, and no square root is spent on every pair.
 */
final class Neighbourhoods {
  /** Distances one run may hold: 419 rows against 10,000 in float64 take 32 MB. */
  private static final long CHUNK_ELEMENTS = 1 << 22;

  private final FeatureGraph graph;
  private final int generatedCount;
  private final int realCount;
  private final Placeholder<TInt32> start;
  private final Placeholder<TInt32> size;
  private final Operand<TFloat64> realRadii;
  private final Operand<TFloat64> generatedRadii;
  private final Placeholder<TFloat64> realRadiiInput;
  private final Placeholder<TFloat64> generatedRadiiInput;
  private final Operand<TFloat64> realBallsHolding;
  private final Operand<TFloat64> inSomeGeneratedBall;
  private final Operand<TFloat64> nearestGenerated;

  /**
   * @param k the neighbour whose distance is a ball's radius, less than either side's size
   */
  Neighbourhoods(FeatureGraph graph, int generatedCount, int realCount, int k) {
    this.graph = graph;
    this.generatedCount = generatedCount;
    this.realCount = realCount;
    Ops tf = graph.tf();
    start = tf.placeholder(TInt32.class, Placeholder.shape(Shape.scalar()));
    size = tf.placeholder(TInt32.class, Placeholder.shape(Shape.scalar()));
    Operand<TFloat64> generatedChunk = rows(tf, graph.generated());
    realRadii = kthNearest(tf, closeness(tf, rows(tf, graph.real()), graph.real()), k);
    generatedRadii = kthNearest(tf, closeness(tf, generatedChunk, graph.generated()), k);

    // A chunk of generated rows against every real one, [chunk, real]: inside a ball is
    // -d^2 > -r^2.
    Operand<TFloat64> toReal = closeness(tf, generatedChunk, graph.real());
    realRadiiInput = tf.placeholder(TFloat64.class, Placeholder.shape(Shape.of(Shape.UNKNOWN_SIZE)));
    generatedRadiiInput = tf.placeholder(TFloat64.class, Placeholder.shape(Shape.of(Shape.UNKNOWN_SIZE)));
    Operand<TFloat64> realEdges = tf.expandDims(tf.math.neg(realRadiiInput), tf.constant(0));
    Operand<TFloat64> chunkEdges = tf.expandDims(tf.math.neg(
        tf.slice(generatedRadiiInput, tf.expandDims(start, tf.constant(0)), tf.expandDims(size, tf.constant(0)))),
        tf.constant(1));
    Operand<TInt32> chunkAxis = tf.constant(0);
    realBallsHolding = tf.sum(tf.dtypes.cast(tf.math.greater(toReal, realEdges), TFloat64.class), tf.constant(1));
    inSomeGeneratedBall = tf.max(tf.dtypes.cast(tf.math.greater(toReal, chunkEdges), TFloat64.class), chunkAxis);
    nearestGenerated = tf.math.neg(tf.max(toReal, chunkAxis));
  }

  /** Each real vector's squared distance to its k-th nearest neighbour among the other real ones. */
  double[] squaredRealRadii() {
    return radii(realRadii, realCount);
  }

  /** Each generated vector's squared distance to its k-th nearest neighbour among the other generated ones. */
  double[] squaredGeneratedRadii() {
    return radii(generatedRadii, generatedCount);
  }

  /**
   * Which generated vectors fall in which real balls, and the reverse.
   *
   * @param squaredRealRadii from {@link #squaredRealRadii()}
   * @param squaredGeneratedRadii from {@link #squaredGeneratedRadii()}, or null when
   *     {@link Matches#realInSomeGeneratedBall()} is not wanted
   * @param nearest whether to find {@link Matches#nearestGenerated()}
   */
  Matches match(double[] squaredRealRadii, double[] squaredGeneratedRadii, boolean nearest) {
    double[] ballsHolding = new double[generatedCount];
    double[] inSomeBall = new double[realCount];
    double[] nearestDistance = new double[realCount];
    Arrays.fill(nearestDistance, Double.POSITIVE_INFINITY);
    List<Operand<TFloat64>> fetches = new ArrayList<>(List.of(realBallsHolding));
    if (squaredGeneratedRadii != null) {
      fetches.add(inSomeGeneratedBall);
    }
    if (nearest) {
      fetches.add(nearestGenerated);
    }
    int chunk = chunkRows(realCount);
    // A null resource is allowed and not closed.
    try (TFloat64 realBalls = FeatureGraph.vector(squaredRealRadii);
        TFloat64 generatedBalls = squaredGeneratedRadii == null ? null : FeatureGraph.vector(squaredGeneratedRadii)) {
      for (int first = 0; first < generatedCount; first += chunk) {
        int rows = Math.min(chunk, generatedCount - first);
        double[][] v;
        try (TInt32 s = FeatureGraph.scalar(first); TInt32 n = FeatureGraph.scalar(rows)) {
          Map<Operand<?>, Tensor> feeds = new HashMap<>(Map.of(start, s, size, n, realRadiiInput, realBalls));
          if (generatedBalls != null) {
            feeds.put(generatedRadiiInput, generatedBalls);
          }
          v = graph.run(feeds, fetches);
        }
        System.arraycopy(v[0], 0, ballsHolding, first, rows);
        int next = 1;
        if (generatedBalls != null) {
          double[] any = v[next++];
          for (int i = 0; i < realCount; i++) {
            inSomeBall[i] = Math.max(inSomeBall[i], any[i]);
          }
        }
        if (nearest) {
          double[] min = v[next];
          for (int i = 0; i < realCount; i++) {
            nearestDistance[i] = Math.min(nearestDistance[i], min[i]);
          }
        }
      }
    }
    return new Matches(ballsHolding, inSomeBall, nearestDistance);
  }

  /**
   * @param realBallsHolding for each generated vector, the number of real balls it lies in (distance
   *     strictly less than the radius)
   * @param realInSomeGeneratedBall for each real vector, 1 when it lies in some generated ball, else 0
   * @param nearestGenerated for each real vector, the squared distance to its nearest generated one
   */
  record Matches(double[] realBallsHolding, double[] realInSomeGeneratedBall, double[] nearestGenerated) {}

  private double[] radii(Operand<TFloat64> kth, int count) {
    double[] radii = new double[count];
    int chunk = chunkRows(count);
    for (int first = 0; first < count; first += chunk) {
      int rows = Math.min(chunk, count - first);
      try (TInt32 s = FeatureGraph.scalar(first); TInt32 n = FeatureGraph.scalar(rows)) {
        System.arraycopy(graph.run(Map.of(start, s, size, n), List.of(kth))[0], 0, radii, first, rows);
      }
    }
    return radii;
  }

  private static int chunkRows(int against) {
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, CHUNK_ELEMENTS / against));
  }

  /** Rows [start, start + size) of {@code x}. */
  private Operand<TFloat64> rows(Ops tf, Operand<TFloat64> x) {
    return tf.slice(x, tf.stack(List.of(start, tf.constant(0))), tf.stack(List.of(size, tf.constant(-1))));
  }

  /**
   * Minus the squared Euclidean distance from every row of a to every row of b, [rows of a, rows of b]:
   * 2 a.b - |a|^2 - |b|^2, the largest first for TopK and with no negation of the whole matrix.
   */
  private static Operand<TFloat64> closeness(Ops tf, Operand<TFloat64> a, Operand<TFloat64> b) {
    Operand<TInt32> valueAxis = tf.constant(1);
    Operand<TFloat64> aNorms = tf.sum(tf.math.square(a), valueAxis, Sum.keepDims(true));
    Operand<TFloat64> bNorms = tf.expandDims(tf.sum(tf.math.square(b), valueAxis), tf.constant(0));
    // The factor 2 goes on the chunk, not on the product.
    Operand<TFloat64> dots = tf.linalg.matMul(tf.math.mul(tf.constant(2.0), a), b, MatMul.transposeB(true));
    Operand<TFloat64> closeness = tf.math.sub(tf.math.sub(dots, aNorms), bNorms);
    // Rounding leaves tiny positives where vectors (a vector and itself) coincide.
    return tf.math.minimum(closeness, tf.constant(0.0));
  }

  /**
   * The (k + 1)-th smallest squared distance of each row, the row's own 0 counted, as the reference's
   * {@code get_kth_value(distances, k + 1)}: the squared distance to the k-th nearest other vector.
   */
  private static Operand<TFloat64> kthNearest(Ops tf, Operand<TFloat64> closeness, int k) {
    Operand<TFloat64> nearestFirst = tf.nn.topK(closeness, tf.constant(k + 1), TInt32.class).values();
    return tf.math.neg(tf.gather(nearestFirst, tf.constant(k), tf.constant(1)));
  }
}
