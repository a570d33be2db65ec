package org.ganymede.metrics.internal;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.ganymede.api.Metric;
import org.ganymede.api.Parameters;
import org.ganymede.api.Plugins;
import org.osgi.service.component.annotations.Component;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.train.BatchMatMul;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;

/**
 * The Kernel Inception Distance (Bińkowski et al. 2018) as torch-fidelity computes it: the unbiased
 * estimate of MMD^2 with the kernel k(x, y) = (x.y / d + 1)^3 on {@code subsets} pairs of random
 * subsets of {@code subset_size} feature vectors, each drawn without replacement from its side.
 * Reports {@code kid_mean} and {@code kid_std}, the mean and the population standard deviation
 * of the estimates. The draws follow {@code seed}, so a run measures the same way each time.
 */
@Component(
    service = Metric.class,
    property = {
      Plugins.NAME + "=kid",
      Plugins.DESCRIPTION + "=Kernel distance between generated and real features (KID): unbiased MMD^2 with"
          + " a cubic polynomial kernel over random subsets, as torch-fidelity"
    })
public final class KernelDistance implements Metric {
  private static final String METRIC = "KID";
  /** torch-fidelity's defaults. */
  static final int DEFAULT_SUBSETS = 100;
  static final int DEFAULT_SUBSET_SIZE = 1000;
  static final long DEFAULT_SEED = 2020;
  /** Kernel entries one run may hold per kernel matrix: 4 subsets of 1000 in float64 take 32 MB. */
  private static final long BATCH_ELEMENTS = 1 << 22;

  @Override
  public Input input() {
    return Input.FEATURES;
  }

  @Override
  public Map<String, Double> compute(MetricSamples samples, Parameters parameters) {
    int subsets = parameters.intInRange("subsets", DEFAULT_SUBSETS, 1, 1_000_000);
    int subsetSize = parameters.intInRange("subset_size", DEFAULT_SUBSET_SIZE, 2, Integer.MAX_VALUE);
    long seed = parameters.longValue("seed", DEFAULT_SEED);
    int width = FeatureRows.width(METRIC, samples);
    int generated = samples.generated().length;
    int real = samples.real().length;
    if (subsetSize > generated || subsetSize > real) {
      throw new IllegalArgumentException(METRIC + " subsets of " + subsetSize + " (subset_size) need at least "
          + subsetSize + " generated and " + subsetSize + " real feature vectors; got " + generated
          + " generated and " + real + " real: give more samples or lower subset_size");
    }
    double[] estimates = new double[subsets];
    SplittableRandom random = new SplittableRandom(seed);
    int[] generatedOrder = identity(generated);
    int[] realOrder = identity(real);
    int batch = (int) Math.max(1, Math.min(subsets, BATCH_ELEMENTS / ((long) subsetSize * subsetSize)));
    try (FeatureGraph graph = new FeatureGraph(samples.generated(), samples.real(), width)) {
      Ops tf = graph.tf();
      Placeholder<TInt32> generatedSubsets = indexInput(tf);
      Placeholder<TInt32> realSubsets = indexInput(tf);
      List<Operand<TFloat64>> mmd = List.of(unbiasedMmd2(tf,
          tf.gather(graph.generated(), generatedSubsets, tf.constant(0)),
          tf.gather(graph.real(), realSubsets, tf.constant(0)), width, subsetSize));
      for (int first = 0; first < subsets; first += batch) {
        int count = Math.min(batch, subsets - first);
        int[][] generatedIndices = new int[count][];
        int[][] realIndices = new int[count][];
        // Subset by subset, generated then real, whatever the batch size.
        for (int s = 0; s < count; s++) {
          generatedIndices[s] = draw(generatedOrder, subsetSize, random);
          realIndices[s] = draw(realOrder, subsetSize, random);
        }
        try (TInt32 g = FeatureGraph.indices(generatedIndices); TInt32 r = FeatureGraph.indices(realIndices)) {
          System.arraycopy(graph.run(Map.of(generatedSubsets, g, realSubsets, r), mmd)[0], 0, estimates, first, count);
        }
      }
    }
    double mean = 0;
    for (double e : estimates) {
      mean += e / subsets;
    }
    double variance = 0;
    for (double e : estimates) {
      variance += (e - mean) * (e - mean) / subsets;
    }
    Map<String, Double> values = new LinkedHashMap<>();
    values.put("kid_mean", mean);
    values.put("kid_std", Math.sqrt(variance));
    return values;
  }

  private static Placeholder<TInt32> indexInput(Ops tf) {
    return tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(Shape.UNKNOWN_SIZE, Shape.UNKNOWN_SIZE)));
  }

  /**
   * torch-fidelity's {@code mmd2} with {@code mmd_est="unbiased"}, for each subset of a batch:
   * (sum K_xx - tr K_xx + sum K_yy - tr K_yy) / (m (m - 1)) - 2 sum K_xy / m^2.
   *
   * @param x generated subsets, [subsets, m, d]
   * @param y real subsets, [subsets, m, d]
   */
  private static Operand<TFloat64> unbiasedMmd2(Ops tf, Operand<TFloat64> x, Operand<TFloat64> y, int width, int m) {
    Operand<TFloat64> kxx = kernel(tf, x, x, width);
    Operand<TFloat64> kyy = kernel(tf, y, y, width);
    Operand<TFloat64> kxy = kernel(tf, x, y, width);
    Operand<TInt32> matrixAxes = tf.constant(new int[] {1, 2});
    Operand<TFloat64> withinSums = tf.math.add(offDiagonalSum(tf, kxx, matrixAxes), offDiagonalSum(tf, kyy, matrixAxes));
    return tf.math.sub(tf.math.div(withinSums, tf.constant((double) m * (m - 1))),
        tf.math.div(tf.math.mul(tf.constant(2.0), tf.sum(kxy, matrixAxes)), tf.constant((double) m * m)));
  }

  /** (a.b / d + 1)^3 for every pair of rows, subset by subset. */
  private static Operand<TFloat64> kernel(Ops tf, Operand<TFloat64> a, Operand<TFloat64> b, int width) {
    Operand<TFloat64> dot = tf.train.batchMatMul(a, b, TFloat64.class, BatchMatMul.adjY(true));
    Operand<TFloat64> base = tf.math.add(tf.math.div(dot, tf.constant((double) width)), tf.constant(1.0));
    return tf.math.mul(tf.math.square(base), base);
  }

  private static Operand<TFloat64> offDiagonalSum(Ops tf, Operand<TFloat64> k, Operand<TInt32> matrixAxes) {
    Operand<TFloat64> diagonal = tf.linalg.matrixDiagPart(k, tf.constant(0), tf.constant(0.0));
    return tf.math.sub(tf.sum(k, matrixAxes), tf.sum(diagonal, tf.constant(1)));
  }

  private static int[] identity(int n) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    return order;
  }

  /**
   * {@code size} distinct indices chosen uniformly: the first {@code size} places of a partial
   * Fisher-Yates shuffle of {@code order}, which may hold any permutation.
   */
  private static int[] draw(int[] order, int size, SplittableRandom random) {
    for (int i = 0; i < size; i++) {
      int j = i + random.nextInt(order.length - i);
      int swap = order[i];
      order[i] = order[j];
      order[j] = swap;
    }
    return Arrays.copyOf(order, size);
  }
}
