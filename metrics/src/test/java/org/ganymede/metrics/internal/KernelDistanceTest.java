package org.ganymede.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ganymede.api.DataSpec;
import org.ganymede.api.Metric;
import org.ganymede.api.Metric.MetricSamples;
import org.ganymede.api.ParameterException;
import org.ganymede.api.Parameters;
import org.junit.jupiter.api.Test;

class KernelDistanceTest {
  private static final String OWNER = "metric 'kid'";
  private final KernelDistance metric = new KernelDistance();

  @Test
  void readsFeatures() {
    assertEquals(Metric.Input.FEATURES, metric.input());
  }

  /** Subsets as large as the sets are the sets themselves, in some order: every estimate is the same. */
  @Test
  void wholeSetsGiveThePlainUnbiasedEstimate() {
    float[][] generated = Gaussians.standard(5, 3, 1);
    float[][] real = Gaussians.shifted(Gaussians.standard(5, 3, 2), 0.7);
    Map<String, Double> values = compute(generated, real, Map.of("subsets", 3, "subset_size", 5));
    assertEquals(List.of("kid_mean", "kid_std"), List.copyOf(values.keySet()));
    double expected = unbiasedMmd2(generated, real);
    assertEquals(expected, values.get("kid_mean"), 1e-12 * Math.abs(expected));
    assertEquals(0, values.get("kid_std"), 1e-12 * Math.abs(expected));
  }

  /** 1100 a subset makes three subsets a TensorFlow run: runs of 3, 3 and 1 must all agree. */
  @Test
  void everyBatchOfSubsetsGivesTheSameEstimate() {
    float[][] generated = Gaussians.standard(1100, 3, 3);
    float[][] real = Gaussians.shifted(Gaussians.standard(1100, 3, 4), 0.1);
    Map<String, Double> values = compute(generated, real, Map.of("subsets", 7, "subset_size", 1100));
    double expected = unbiasedMmd2(generated, real);
    assertEquals(expected, values.get("kid_mean"), 1e-9 * Math.abs(expected));
    assertEquals(0, values.get("kid_std"), 1e-9 * Math.abs(expected));
  }

  /**
   * Two subsets drawn from the same rows estimate 0 up to the rows they share, which the unbiased
   * estimate pulls below 0 by about 2 (k(x, x) - k(x, y)) / N, here some 0.005: small against the
   * spread of the estimates and far below a shift's.
   */
  @Test
  void identicalSetsAreAboutZeroApart() {
    float[][] features = Gaussians.standard(4000, 8, 5);
    Map<String, Double> same = compute(features, features, Map.of("subsets", 50, "subset_size", 200));
    assertTrue(Math.abs(same.get("kid_mean")) < same.get("kid_std"), same.toString());
    Map<String, Double> shifted = compute(features, Gaussians.shifted(features, 0.5),
        Map.of("subsets", 50, "subset_size", 200));
    assertTrue(shifted.get("kid_mean") > 5 * shifted.get("kid_std"), shifted.toString());
    assertTrue(shifted.get("kid_mean") > 100 * Math.abs(same.get("kid_mean")), shifted + " " + same);
  }

  @Test
  void independentSamplesOfOneDistributionAreAboutZeroApart() {
    Map<String, Double> values = compute(Gaussians.standard(2000, 8, 6), Gaussians.standard(2000, 8, 7),
        Map.of("subsets", 50, "subset_size", 200));
    assertTrue(Math.abs(values.get("kid_mean")) < values.get("kid_std"), values.toString());
  }

  @Test
  void theSeedChoosesTheSubsets() {
    float[][] generated = Gaussians.standard(300, 4, 8);
    float[][] real = Gaussians.standard(300, 4, 9);
    Map<String, Object> parameters = Map.of("subsets", 5, "subset_size", 100, "seed", 1);
    assertEquals(compute(generated, real, parameters), compute(generated, real, parameters));
    assertNotEquals(compute(generated, real, parameters),
        compute(generated, real, Map.of("subsets", 5, "subset_size", 100, "seed", 2)));
  }

  @Test
  void subsetsLargerThanASideAreRejected() {
    String message = "KID subsets of 1000 (subset_size) need at least 1000 generated and 1000 real feature vectors;"
        + " got ";
    assertEquals(message + "999 generated and 1000 real: give more samples or lower subset_size",
        failure(Gaussians.standard(999, 2, 1), Gaussians.standard(1000, 2, 2), Map.of()));
    assertEquals(message + "1000 generated and 10 real: give more samples or lower subset_size",
        failure(Gaussians.standard(1000, 2, 1), Gaussians.standard(10, 2, 2), Map.of()));
  }

  @Test
  void badParametersNameWhatIsAllowed() {
    float[][] features = Gaussians.standard(10, 2, 1);
    assertEquals(OWNER + ": 'subset_size' is 1; allowed: 2 to " + Integer.MAX_VALUE,
        assertThrows(ParameterException.class, () -> compute(features, features, Map.of("subset_size", 1)))
            .getMessage());
    assertEquals(OWNER + ": 'subsets' is 0; allowed: 1 to 1000000",
        assertThrows(ParameterException.class, () -> compute(features, features, Map.of("subsets", 0)))
            .getMessage());
  }

  @Test
  void readsItsThreeParametersAndNoOther() {
    float[][] features = Gaussians.standard(10, 2, 1);
    Parameters parameters = new Parameters(OWNER, Map.of("subsets", 2, "subset_size", 4, "seed", 3, "samples", 10));
    metric.compute(new MetricSamples(features, features, DataSpec.vector(2)), parameters);
    assertEquals(Set.of("subsets", "subset_size", "seed"), parameters.knownKeys());
  }

  @Test
  void featureSetsOfDifferentWidthsAreRejected() {
    assertEquals("KID: generated features have 2 values, real ones 3; both sides must come from the same"
        + " feature extractor", failure(Gaussians.standard(10, 2, 1), Gaussians.standard(10, 3, 2), Map.of()));
  }

  /** The unbiased MMD^2 with (x.y / d + 1)^3, summed pair by pair. */
  private static double unbiasedMmd2(float[][] x, float[][] y) {
    int m = x.length;
    double xx = 0;
    double yy = 0;
    double xy = 0;
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < m; j++) {
        if (i != j) {
          xx += kernel(x[i], x[j]);
          yy += kernel(y[i], y[j]);
        }
        xy += kernel(x[i], y[j]);
      }
    }
    return (xx + yy) / (m * (m - 1.0)) - 2 * xy / ((double) m * m);
  }

  private static double kernel(float[] a, float[] b) {
    double dot = 0;
    for (int k = 0; k < a.length; k++) {
      dot += (double) a[k] * b[k];
    }
    return Math.pow(dot / a.length + 1, 3);
  }

  private Map<String, Double> compute(float[][] generated, float[][] real, Map<String, ?> parameters) {
    return metric.compute(new MetricSamples(generated, real, DataSpec.vector(generated[0].length)),
        new Parameters(OWNER, parameters));
  }

  private String failure(float[][] generated, float[][] real, Map<String, ?> parameters) {
    return assertThrows(IllegalArgumentException.class, () -> compute(generated, real, parameters)).getMessage();
  }
}
