package org.ganymede.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ganymede.api.DataSpec;
import org.ganymede.api.Metric;
import org.ganymede.api.Metric.MetricSamples;
import org.ganymede.api.Parameters;
import org.junit.jupiter.api.Test;

class FrechetDistanceTest {
  private static final String OWNER = "metric 'fid'";
  private final FrechetDistance metric = new FrechetDistance();

  @Test
  void readsFeatures() {
    assertEquals(Metric.Input.FEATURES, metric.input());
  }

  @Test
  void identicalFeatureSetsAreAtDistanceZero() {
    double[][] covariance = {{2, 0.5, 0.1, 0}, {0.5, 1, 0.2, 0.3}, {0.1, 0.2, 3, -0.4}, {0, 0.3, -0.4, 1.5}};
    float[][] features = Gaussians.withMoments(new double[] {1, -2, 0.5, 3}, covariance, 300, 1);
    Map<String, Double> values = compute(features, features);
    assertEquals(List.of("fid", "eps_added"), List.copyOf(values.keySet()));
    double trace = 2 * (2 + 1 + 3 + 1.5);
    assertEquals(0, values.get("fid"), 1e-6 * trace);
    assertEquals(0, values.get("eps_added"));
  }

  /** For diagonal covariances the square root is elementwise: sum (sqrt(a_i) - sqrt(b_i))^2. */
  @Test
  void diagonalCovariancesGiveTheClosedForm() {
    double[] mean1 = {1, 2, 3};
    double[] mean2 = {0, 0, 1};
    double[] variances1 = {1, 4, 9};
    double[] variances2 = {4, 1, 0.25};
    double expected = 0;
    for (int i = 0; i < 3; i++) {
      expected += square(mean1[i] - mean2[i]) + square(Math.sqrt(variances1[i]) - Math.sqrt(variances2[i]));
    }
    assertEquals(9 + 1 + 1 + 6.25, expected, 1e-12);
    Map<String, Double> values = compute(
        Gaussians.withMoments(mean1, diagonal(variances1), 200, 2),
        Gaussians.withMoments(mean2, diagonal(variances2), 300, 3));
    assertEquals(expected, values.get("fid"), 1e-5 * expected);
    assertEquals(0, values.get("eps_added"));
  }

  /**
   * S1 = [[2, 1], [1, 2]] and S2 = diag(1, 4) do not commute. sqrtm(S1 S2) has the square roots of
   * S1 S2's eigenvalues l1, l2 as its own, so its trace is sqrt(l1) + sqrt(l2)
   * = sqrt(l1 + l2 + 2 sqrt(l1 l2)) = sqrt(tr(S1 S2) + 2 sqrt(det S1 det S2)) = sqrt(10 + 2 sqrt(12)).
   */
  @Test
  void nonCommutingCovariancesGiveTheClosedForm() {
    double[][] sigma1 = {{2, 1}, {1, 2}};
    double[][] sigma2 = {{1, 0}, {0, 4}};
    double expected = (1 + 1) + 4 + 5 - 2 * Math.sqrt(10 + 2 * Math.sqrt(12));
    Map<String, Double> values = compute(
        Gaussians.withMoments(new double[] {0, 0}, sigma1, 50, 4),
        Gaussians.withMoments(new double[] {1, -1}, sigma2, 80, 5));
    assertEquals(expected, values.get("fid"), 1e-5 * expected);
    assertEquals(0, values.get("eps_added"));
  }

  /**
   * Two values that are 0 in every feature vector make both covariances singular: the square root
   * of their product is NaN until 1e-6 is added to the diagonals. The distance is then that of the
   * other values, up to the offset's few 1e-6.
   */
  @Test
  void singularCovariancesAreOffsetAndStayFinite() {
    double[][] sigma1 = {{2, 1}, {1, 2}};
    double[][] sigma2 = {{1, 0}, {0, 4}};
    double expected = (1 + 1) + 4 + 5 - 2 * Math.sqrt(10 + 2 * Math.sqrt(12));
    Map<String, Double> values = compute(
        Gaussians.padded(Gaussians.withMoments(new double[] {0, 0}, sigma1, 50, 4), 2),
        Gaussians.padded(Gaussians.withMoments(new double[] {1, -1}, sigma2, 80, 5), 2));
    assertEquals(1, values.get("eps_added"));
    assertEquals(expected, values.get("fid"), 1e-4);
  }

  @Test
  void eachSideNeedsMoreFeatureVectorsThanValues() {
    float[][] enough = Gaussians.standard(9, 8, 6);
    float[][] tooFew = Gaussians.standard(8, 8, 7);
    String message = "FID with 8-value features needs at least 9 generated and 9 real feature vectors,"
        + " for full-rank covariances; got ";
    assertEquals(message + "8 generated and 9 real", failure(tooFew, enough));
    assertEquals(message + "9 generated and 8 real", failure(enough, tooFew));
    assertTrue(Double.isFinite(compute(enough, Gaussians.standard(9, 8, 8)).get("fid")));
  }

  @Test
  void featureSetsOfDifferentWidthsAreRejected() {
    assertEquals("FID: generated features have 4 values, real ones 3; both sides must come from the same"
        + " feature extractor", failure(Gaussians.standard(10, 4, 1), Gaussians.standard(10, 3, 2)));
  }

  @Test
  void nonFiniteValuesAreRejectedWithTheirSideAndRow() {
    float[][] generated = Gaussians.standard(10, 3, 1);
    float[][] real = Gaussians.standard(10, 3, 2);
    real[7][2] = Float.NaN;
    assertEquals("FID: real feature vector 7 has NaN at index 2; only finite values can be measured",
        failure(generated, real));
    generated[4][0] = Float.NEGATIVE_INFINITY;
    assertEquals("FID: generated feature vector 4 has -Infinity at index 0; only finite values can be measured",
        failure(generated, real));
  }

  @Test
  void emptyAndRaggedSetsAreRejected() {
    float[][] some = Gaussians.standard(10, 3, 1);
    assertEquals("FID needs generated feature vectors; got none", failure(new float[0][], some));
    assertEquals("FID needs real feature vectors; got none", failure(some, new float[0][]));
    float[][] ragged = Gaussians.standard(10, 3, 2);
    ragged[5] = new float[2];
    assertEquals("FID: real feature vector 5 has 2 values, the first one 3; all must have the same length",
        failure(some, ragged));
  }

  @Test
  void aSquareRootWithAnImaginaryDiagonalIsRejected() {
    FrechetDistance.requireNearlyReal(new double[] {1e-3, 0.5, -0.5, -1e-3}, 2);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> FrechetDistance.requireNearlyReal(new double[] {1e-3, 0.5, -0.5, -2e-3}, 2));
    assertEquals("Imaginary component 0.5 in the square root of the covariances' product; FID allows at most"
        + " 0.001 on its diagonal, which has 0.002", e.getMessage());
  }

  @Test
  void readsNoParameters() {
    float[][] features = Gaussians.standard(10, 3, 1);
    Parameters parameters = new Parameters(OWNER, Map.of("samples", 10));
    metric.compute(new MetricSamples(features, features, DataSpec.vector(3)), parameters);
    assertEquals(Set.of(), parameters.knownKeys());
  }

  private Map<String, Double> compute(float[][] generated, float[][] real) {
    return metric.compute(new MetricSamples(generated, real, DataSpec.vector(generated[0].length)),
        Parameters.empty(OWNER));
  }

  private String failure(float[][] generated, float[][] real) {
    DataSpec spec = DataSpec.vector(3);
    return assertThrows(IllegalArgumentException.class,
        () -> metric.compute(new MetricSamples(generated, real, spec), Parameters.empty(OWNER))).getMessage();
  }

  private static double[][] diagonal(double[] values) {
    double[][] m = new double[values.length][values.length];
    for (int i = 0; i < values.length; i++) {
      m[i][i] = values[i];
    }
    return m;
  }

  private static double square(double x) {
    return x * x;
  }
}
