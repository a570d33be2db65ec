package org.ganymede.metrics.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ganymede.api.Metric;
import org.ganymede.api.Parameters;
import org.ganymede.api.Plugins;
import org.osgi.service.component.annotations.Component;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TType;

/**
 * The Fréchet distance between Gaussians fitted to the generated and the real feature vectors (FID,
 * Heusel et al. 2017), computed as pytorch-fid's {@code calculate_frechet_distance}: means and
 * covariances (N - 1) in float64, {@code fid = |mu1 - mu2|^2 + tr(S1) + tr(S2) - 2 tr(sqrtm(S1 S2))}.
 *
 * <p>The square root of the product is taken in complex128, as scipy's {@code sqrtm} goes complex when
 * it must; its imaginary part is dropped when the diagonal's is within 1e-3 of 0, and the metric fails
 * otherwise. When the square root is not finite (the covariances are singular), 1e-6 is added to both
 * covariances' diagonals and it is taken again, which {@code eps_added} reports as 1 (else 0).
 *
 * <p>Each side needs more feature vectors than the features have values, for full-rank covariances.
 */
@Component(
    service = Metric.class,
    property = {
      Plugins.NAME + "=fid",
      Plugins.DESCRIPTION + "=Fréchet distance between Gaussians fitted to generated and real features (FID),"
          + " as pytorch-fid"
    })
public final class FrechetDistance implements Metric {
  private static final String METRIC = "FID";
  /** pytorch-fid's offset for singular covariances. */
  static final double EPS = 1e-6;
  /** pytorch-fid's tolerance for the imaginary part of the square root's diagonal. */
  static final double IMAGINARY_TOLERANCE = 1e-3;

  @Override
  public Input input() {
    return Input.FEATURES;
  }

  @Override
  public Map<String, Double> compute(MetricSamples samples, Parameters parameters) {
    int width = FeatureRows.width(METRIC, samples);
    int generated = samples.generated().length;
    int real = samples.real().length;
    if (generated <= width || real <= width) {
      throw new IllegalArgumentException(METRIC + " with " + width + "-value features needs at least " + (width + 1)
          + " generated and " + (width + 1) + " real feature vectors, for full-rank covariances; got " + generated
          + " generated and " + real + " real");
    }
    try (FeatureGraph graph = new FeatureGraph(samples.generated(), samples.real(), width)) {
      Terms terms = new Terms(graph, width);
      Terms.Values values = terms.evaluate(0);
      boolean epsAdded = !values.squareRootIsFinite();
      if (epsAdded) {
        values = terms.evaluate(EPS);
        if (!values.squareRootIsFinite()) {
          throw new IllegalArgumentException(METRIC + ": the square root of the covariances' product is not finite,"
              + " even with " + EPS + " added to their diagonals");
        }
      }
      requireNearlyReal(values.imaginary(), width);
      Map<String, Double> result = new LinkedHashMap<>();
      result.put("fid", values.meanDistanceSquared() + values.trace1() + values.trace2()
          - 2 * values.squareRootTrace());
      result.put("eps_added", epsAdded ? 1.0 : 0.0);
      return result;
    }
  }

  /**
   * Fails as pytorch-fid does when the square root's diagonal has an imaginary part beyond
   * {@link #IMAGINARY_TOLERANCE}, naming the largest imaginary part anywhere in it.
   *
   * @param imaginary the imaginary parts, width x width in row-major order
   */
  static void requireNearlyReal(double[] imaginary, int width) {
    double onDiagonal = 0;
    for (int i = 0; i < width; i++) {
      onDiagonal = Math.max(onDiagonal, Math.abs(imaginary[i * width + i]));
    }
    if (onDiagonal > IMAGINARY_TOLERANCE) {
      double anywhere = 0;
      for (double v : imaginary) {
        anywhere = Math.max(anywhere, Math.abs(v));
      }
      throw new IllegalArgumentException("Imaginary component " + anywhere
          + " in the square root of the covariances' product; " + METRIC + " allows at most " + IMAGINARY_TOLERANCE
          + " on its diagonal, which has " + onDiagonal);
    }
  }

  /** The ops that give FID's terms, with the offset added to the covariances' diagonals fed in. */
  private static final class Terms {
    private final FeatureGraph graph;
    private final int width;
    private final Placeholder<TFloat64> eps;
    private final List<Operand<TFloat64>> fetches;

    Terms(FeatureGraph graph, int width) {
      this.graph = graph;
      this.width = width;
      Ops tf = graph.tf();
      eps = tf.placeholder(TFloat64.class, Placeholder.shape(Shape.scalar()));
      Operand<TInt32> rows = tf.constant(0);
      Operand<TFloat64> mean1 = tf.math.mean(graph.generated(), rows);
      Operand<TFloat64> mean2 = tf.math.mean(graph.real(), rows);
      Operand<TFloat64> sigma1 = covariance(tf, graph.generated(), mean1);
      Operand<TFloat64> sigma2 = covariance(tf, graph.real(), mean2);
      Operand<TFloat64> diff = tf.math.sub(mean1, mean2);
      Operand<TFloat64> offset = tf.math.mul(eps, tf.constant(identity(width)));
      Operand<TFloat64> product = tf.linalg.matMul(tf.math.add(sigma1, offset), tf.math.add(sigma2, offset));
      Output<TType> squareRoot = complexSquareRoot(tf, product);
      fetches = List.of(
          tf.sum(tf.math.square(diff), rows),
          trace(tf, sigma1),
          trace(tf, sigma2),
          tf.math.real(squareRoot, TFloat64.class),
          tf.math.imag(squareRoot, TFloat64.class));
    }

    Values evaluate(double offset) {
      try (TFloat64 e = FeatureGraph.scalar(offset)) {
        double[][] v = graph.run(Map.of(eps, e), fetches);
        return new Values(v[0][0], v[1][0], v[2][0], v[3], v[4], width);
      }
    }

    /** (x - mean)^T (x - mean) / (n - 1), as numpy's {@code cov(x, rowvar=False)}. */
    private static Operand<TFloat64> covariance(Ops tf, Operand<TFloat64> x, Operand<TFloat64> mean) {
      Operand<TFloat64> centred = tf.math.sub(x, mean);
      Operand<TFloat64> n = tf.dtypes.cast(tf.shape.size(centred, tf.constant(0)), TFloat64.class);
      return tf.math.div(tf.linalg.matMul(centred, centred, MatMul.transposeA(true)),
          tf.math.sub(n, tf.constant(1.0)));
    }

    private static Operand<TFloat64> trace(Ops tf, Operand<TFloat64> matrix) {
      return tf.sum(tf.linalg.tensorDiagPart(matrix), tf.constant(0));
    }

    /**
     * sqrtm in complex128. TF Java has no class for complex tensors, but the raw ops take and give
     * complex outputs inside the graph; only the float64 real and imaginary parts are fetched.
     */
    private static Output<TType> complexSquareRoot(Ops tf, Operand<TFloat64> matrix) {
      Output<TType> complex = tf.scope().opBuilder("Cast", "ToComplex")
          .addInput(matrix.asOutput())
          .setAttr("DstT", DataType.DT_COMPLEX128)
          .build()
          .output(0);
      return tf.scope().opBuilder("MatrixSquareRoot", "ComplexSqrtm").addInput(complex).build().output(0);
    }

    private static double[][] identity(int width) {
      double[][] identity = new double[width][width];
      for (int i = 0; i < width; i++) {
        identity[i][i] = 1;
      }
      return identity;
    }

    /** The terms, and the square root's real and imaginary parts, width x width in row-major order. */
    private record Values(double meanDistanceSquared, double trace1, double trace2, double[] real, double[] imaginary,
        int width) {
      boolean squareRootIsFinite() {
        for (int i = 0; i < real.length; i++) {
          if (!Double.isFinite(real[i]) || !Double.isFinite(imaginary[i])) {
            return false;
          }
        }
        return true;
      }

      double squareRootTrace() {
        double trace = 0;
        for (int i = 0; i < width; i++) {
          trace += real[i * width + i];
        }
        return trace;
      }
    }
  }
}
