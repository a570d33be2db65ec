package org.ganymede.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ganymede.api.DataSpec;
import org.ganymede.api.Metric.MetricSamples;
import org.ganymede.api.ParameterException;
import org.ganymede.api.Parameters;
import org.junit.jupiter.api.Test;

class ModeCoverageTest {
  private static final String OWNER = "metric 'mode-coverage'";
  private static final int SIZE = 10_000;
  /** The mass of a 2-D standard normal within 3 standard deviations of its mean: 1 - exp(-9 / 2). */
  private static final double WITHIN_THREE_STDDEVS = 1 - Math.exp(-4.5);

  private final ModeCoverage metric = new ModeCoverage();

  @Test
  void ringSamplesCoverEveryModeEvenly() {
    Map<String, Double> values = compute(MixtureSamples.draw(MixtureSamples.RING_MEANS, 0.02, SIZE, 1), Map.of());
    assertEquals(List.of("modes_covered", "high_quality", "reverse_kl"), List.copyOf(values.keySet()));
    assertEquals(8, values.get("modes_covered"));
    assertTrue(values.get("high_quality") >= 0.98, values.toString());
    assertEquals(WITHIN_THREE_STDDEVS, values.get("high_quality"), 0.005);
    assertTrue(values.get("reverse_kl") < 0.01, values.toString());
  }

  @Test
  void gridSamplesCoverEveryModeEvenly() {
    Map<String, Double> values =
        compute(MixtureSamples.draw(MixtureSamples.GRID_MEANS, 0.05, SIZE, 2), Map.of("layout", "grid"));
    assertEquals(25, values.get("modes_covered"));
    assertTrue(values.get("high_quality") >= 0.98, values.toString());
    assertTrue(values.get("reverse_kl") < 0.01, values.toString());
  }

  @Test
  void samplesOnOneModeCoverOnlyThatMode() {
    Map<String, Double> values = compute(MixtureSamples.drawAround(MixtureSamples.RING_MEANS[3], 0.02, 1000, 3), Map.of());
    assertEquals(1, values.get("modes_covered"));
    assertTrue(values.get("high_quality") >= 0.98, values.toString());
    assertEquals(Math.log(8), values.get("reverse_kl"), 1e-12);
  }

  @Test
  void pointsFarFromEveryModeAreNotHighQuality() {
    float[][] ringGaps = {{0, 0}, {4, 0}, {(float) (2 * Math.cos(Math.PI / 8)), (float) (2 * Math.sin(Math.PI / 8))}};
    assertNothingHighQuality(compute(ringGaps, Map.of()));
    float[][] gridGaps = {{1, 1}, {-3, 1}, {3, -3}, {6, 6}};
    assertNothingHighQuality(compute(gridGaps, Map.of("layout", "grid")));
  }

  @Test
  void pointsWithNaNAreNotHighQuality() {
    Map<String, Double> values = compute(new float[][] {{2, 0}, {Float.NaN, 0}}, Map.of());
    assertEquals(0.5, values.get("high_quality"));
    assertEquals(1, values.get("modes_covered"));
  }

  @Test
  void ringModesStartOnThePositiveXAxis() {
    float[][] means = new float[8][];
    for (int k = 0; k < 8; k++) {
      means[k] = new float[] {(float) MixtureSamples.RING_MEANS[k][0], (float) MixtureSamples.RING_MEANS[k][1]};
    }
    Map<String, Double> values = compute(means, Map.of());
    assertEquals(Map.of("modes_covered", 8.0, "high_quality", 1.0, "reverse_kl", 0.0), values);
  }

  @Test
  void oneSampleCoversAModeWhenSamplesAreFew() {
    assertEquals(2, compute(onModes(19, 1), Map.of()).get("modes_covered"));
  }

  /** 1000 samples over 8 modes: an even share is 125, so a covered mode needs 25. */
  @Test
  void aModeNeedsAFifthOfAnEvenShareWhenSamplesAreMany() {
    assertEquals(2, compute(onModes(975, 25), Map.of()).get("modes_covered"));
    assertEquals(1, compute(onModes(976, 24), Map.of()).get("modes_covered"));
  }

  @Test
  void theThresholdCountsStandardDeviationsOfTheGivenRing() {
    double[] mode = MixtureSamples.ringMeans(3)[1];
    float[][] twoStddevsOff = {{(float) (mode[0] + 0.2), (float) mode[1]}};
    Map<String, Object> ring = Map.of("radius", 3, "stddev", 0.1);
    assertEquals(1.0, compute(twoStddevsOff, ring).get("high_quality"));
    assertEquals(1.0, compute(twoStddevsOff, with(ring, "threshold", 2.5)).get("high_quality"));
    assertEquals(0.0, compute(twoStddevsOff, with(ring, "threshold", 1.5)).get("high_quality"));
  }

  /** 0.1 off a mode is 2 standard deviations of the grid's 0.05 but 5 of the ring's 0.02. */
  @Test
  void eachLayoutDefaultsToTheStddevOfItsDataset() {
    float[][] offGrid = {{2.1f, -4}};
    assertEquals(1.0, compute(offGrid, Map.of("layout", "grid")).get("high_quality"));
    float[][] offRing = {{2.1f, 0}};
    assertEquals(0.0, compute(offRing, Map.of()).get("high_quality"));
    float[][] nearRing = {{2.05f, 0}};
    assertEquals(1.0, compute(nearRing, Map.of()).get("high_quality"));
  }

  @Test
  void readsEveryParameterItsLayoutTakesAndNoOther() {
    float[][] points = {{2, 0}};
    Parameters ring = new Parameters(OWNER, Map.of("layout", "ring", "radius", 2, "stddev", 0.02, "threshold", 3));
    metric.compute(new MetricSamples(points, points, DataSpec.vector(2)), ring);
    ring.rejectUnknownKeys();

    Parameters grid = new Parameters(OWNER, Map.of("layout", "grid", "radius", 2));
    metric.compute(new MetricSamples(points, points, DataSpec.vector(2)), grid);
    assertEquals(Set.of("radius"), grid.unknownKeys());
    assertEquals(Set.of("layout", "stddev", "threshold"), grid.knownKeys());
  }

  @Test
  void badParametersNameWhatIsAllowed() {
    assertRejected(Map.of("layout", "spiral"), OWNER + ": 'layout' is 'spiral'; allowed: ring, grid");
    assertRejected(Map.of("stddev", -0.1), OWNER + ": 'stddev' is -0.1; it must be a positive number");
    assertRejected(Map.of("layout", "grid", "stddev", 0), OWNER + ": 'stddev' is 0.0; it must be a positive number");
    assertRejected(Map.of("radius", "two"), OWNER + ": 'radius' is 'two'; it must be a number");
    assertRejected(Map.of("threshold", 0), OWNER + ": 'threshold' is 0.0; it must be a positive number");
  }

  @Test
  void onlyTwoDimensionalPointsAreMeasured() {
    for (DataSpec spec : List.of(DataSpec.image(28, 28, 1, 10), DataSpec.vector(3))) {
      float[][] rows = new float[1][spec.sampleSize()];
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> metric.compute(new MetricSamples(rows, rows, spec), Parameters.empty(OWNER)));
      assertEquals("mode coverage needs 2-D points (sample shape [2]); got samples of shape "
          + Arrays.toString(spec.shape()), e.getMessage());
    }
  }

  @Test
  void noGeneratedSamplesIsAnError() {
    float[][] none = new float[0][];
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> metric.compute(new MetricSamples(none, none, DataSpec.vector(2)), Parameters.empty(OWNER)));
    assertEquals("mode coverage needs at least one generated sample", e.getMessage());
  }

  private Map<String, Double> compute(float[][] generated, Map<String, ?> parameters) {
    return metric.compute(new MetricSamples(generated, generated, DataSpec.vector(2)), new Parameters(OWNER, parameters));
  }

  private void assertRejected(Map<String, ?> parameters, String message) {
    ParameterException e = assertThrows(ParameterException.class,
        () -> compute(MixtureSamples.draw(MixtureSamples.RING_MEANS, 0.02, 10, 4), parameters));
    assertEquals(message, e.getMessage());
  }

  private static void assertNothingHighQuality(Map<String, Double> values) {
    assertEquals(0, values.get("modes_covered"));
    assertEquals(0, values.get("high_quality"));
    assertTrue(values.get("reverse_kl").isNaN(), values.toString());
  }

  /** Points exactly on the first two ring modes, {@code first} on one and {@code second} on the other. */
  private static float[][] onModes(int first, int second) {
    float[][] points = new float[first + second][];
    for (int i = 0; i < points.length; i++) {
      double[] mean = MixtureSamples.RING_MEANS[i < first ? 0 : 1];
      points[i] = new float[] {(float) mean[0], (float) mean[1]};
    }
    return points;
  }

  private static Map<String, Object> with(Map<String, Object> parameters, String key, Object value) {
    Map<String, Object> more = new HashMap<>(parameters);
    more.put(key, value);
    return more;
  }
}
