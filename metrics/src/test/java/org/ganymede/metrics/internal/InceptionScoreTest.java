package org.ganymede.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ganymede.api.DataSpec;
import org.ganymede.api.Metric;
import org.ganymede.api.Metric.MetricSamples;
import org.ganymede.api.ParameterException;
import org.ganymede.api.Parameters;
import org.junit.jupiter.api.Test;

class InceptionScoreTest {
  private static final String OWNER = "metric 'inception-score'";
  private final InceptionScore metric = new InceptionScore();

  @Test
  void readsClassProbabilities() {
    assertEquals(Metric.Input.CLASS_PROBABILITIES, metric.input());
  }

  /** Every split holds each of the 10 classes equally often, each sample certain of its class. */
  @Test
  void confidentPredictionsSpreadEvenlyOverTheClassesScoreTheNumberOfClasses() {
    Map<String, Double> values = compute(oneHot(1000, 10, 10), Map.of());
    assertEquals(List.of("is_mean", "is_std"), List.copyOf(values.keySet()));
    assertEquals(10, values.get("is_mean"), 1e-12);
    assertEquals(0, values.get("is_std"), 1e-12);
  }

  @Test
  void identicalPredictionsScoreOne() {
    float[][] rows = new float[100][];
    Arrays.fill(rows, new float[] {0.1f, 0.6f, 0f, 0.3f});
    Map<String, Double> values = compute(rows, Map.of());
    assertEquals(1, values.get("is_mean"), 1e-12);
    assertEquals(0, values.get("is_std"), 1e-12);
  }

  /**
   * Splits are consecutive: the first half spreads over 4 classes (score 4), the second sits on one
   * (score 1); mean 2.5, population standard deviation 1.5. As one split, p(y) = (1/8, 1/8, 5/8, 1/8):
   * 15 rows contribute log 8 each and 25 rows log(8/5).
   */
  @Test
  void splitsAreConsecutiveAndTheirSpreadIsThePopulationDeviation() {
    float[][] rows = new float[40][];
    float[][] spread = oneHot(20, 4, 4);
    for (int i = 0; i < 20; i++) {
      rows[i] = spread[i];
      rows[20 + i] = new float[] {0, 0, 1, 0};
    }
    Map<String, Double> values = compute(rows, Map.of("splits", 2));
    assertEquals(2.5, values.get("is_mean"), 1e-12);
    assertEquals(1.5, values.get("is_std"), 1e-12);
    assertEquals(Math.exp((15 * Math.log(8) + 25 * Math.log(1.6)) / 40), compute(rows, Map.of("splits", 1)).get("is_mean"),
        1e-12);
  }

  /** Two halves of rows (1, 0) and (1/2, 1/2): p(y) = (3/4, 1/4), mean KL = (log(4/3) + log(2/3) / 2 + log 2 / 2) / 2. */
  @Test
  void partlyUncertainPredictionsGiveTheirKlDivergence() {
    float[][] rows = new float[10][];
    for (int i = 0; i < 10; i++) {
      rows[i] = i % 2 == 0 ? new float[] {1, 0} : new float[] {0.5f, 0.5f};
    }
    double kl = (Math.log(4.0 / 3) + 0.5 * Math.log(2.0 / 3) + 0.5 * Math.log(2)) / 2;
    assertEquals(Math.exp(kl), compute(rows, Map.of("splits", 1)).get("is_mean"), 1e-7);
  }

  @Test
  void rowsThatAreNoProbabilitiesAreRejected() {
    assertEquals("Inception Score: generated probability vector 1 has -0.25 at index 0; class probabilities"
        + " must be non-negative and sum to 1", failure(new float[][] {{0.5f, 0.5f}, {-0.25f, 1.25f}}));
    assertEquals("Inception Score: generated probability vector 1 sums to 1.5; class probabilities must be"
        + " non-negative and sum to 1 (within 0.001)", failure(new float[][] {{0.5f, 0.5f}, {0.75f, 0.75f}}));
    assertEquals("Inception Score: generated probability vector 0 has NaN at index 1; only finite values can be"
        + " measured", failure(new float[][] {{0.5f, Float.NaN}, {0.5f, 0.5f}}));
    assertEquals("Inception Score needs generated probability vectors; got none", failure(new float[0][]));
    compute(new float[][] {{0.5f, 0.5005f}, {0.4995f, 0.5f}}, Map.of("splits", 1));
  }

  @Test
  void moreSplitsThanSamplesIsAnError() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> compute(oneHot(9, 3, 3), Map.of()));
    assertEquals("Inception Score with 10 splits needs at least 10 generated samples; got 9: give more samples"
        + " or lower splits", e.getMessage());
    assertEquals(OWNER + ": 'splits' is 0; allowed: 1 to 1000000",
        assertThrows(ParameterException.class, () -> compute(oneHot(9, 3, 3), Map.of("splits", 0))).getMessage());
  }

  @Test
  void readsSplitsAndNoOtherParameter() {
    Parameters parameters = new Parameters(OWNER, Map.of("splits", 3, "features", "classifier"));
    metric.compute(new MetricSamples(oneHot(9, 3, 3), new float[0][], DataSpec.vector(3)), parameters);
    assertEquals(Set.of("splits"), parameters.knownKeys());
  }

  /** {@code n} certain predictions, row i of class i mod {@code cycle}, over {@code classes} classes. */
  private static float[][] oneHot(int n, int classes, int cycle) {
    float[][] rows = new float[n][classes];
    for (int i = 0; i < n; i++) {
      rows[i][i % cycle] = 1;
    }
    return rows;
  }

  private Map<String, Double> compute(float[][] generated, Map<String, ?> parameters) {
    int classes = generated.length == 0 ? 2 : generated[0].length;
    return metric.compute(new MetricSamples(generated, generated, DataSpec.vector(classes)),
        new Parameters(OWNER, parameters));
  }

  private String failure(float[][] generated) {
    return assertThrows(IllegalArgumentException.class, () -> compute(generated, Map.of("splits", 1))).getMessage();
  }
}
