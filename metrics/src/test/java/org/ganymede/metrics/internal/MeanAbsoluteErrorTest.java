package org.ganymede.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.ganymede.api.DataSpec;
import org.ganymede.api.Metric;
import org.ganymede.api.Metric.MetricSamples;
import org.ganymede.api.Parameters;
import org.junit.jupiter.api.Test;

class MeanAbsoluteErrorTest {
  private static final String OWNER = "metric 'l1'";
  private static final DataSpec SPEC = DataSpec.image(8, 8, 3, 0);

  private final MeanAbsoluteError metric = new MeanAbsoluteError();

  @Test
  void readsPairedSamples() {
    assertEquals(Metric.Input.PAIRED_SAMPLES, metric.input());
  }

  @Test
  void identicalImagesAreZeroApart() {
    float[] target = PeakSignalToNoiseRatioTest.target(SPEC);
    assertEquals(Map.of("l1", 0.0), compute(new float[][] {target}, new float[][] {target}));
  }

  /** Pair 1 is off by 1/4 everywhere, pair 2 by +1/2 and -1/2 in turn, which must not cancel: 3/8. */
  @Test
  void theMeanAbsoluteDifferenceOverEveryValueOfEveryPair() {
    float[] target = PeakSignalToNoiseRatioTest.target(SPEC);
    float[][] outputs = {
      PeakSignalToNoiseRatioTest.alternating(target, 0.25, 0.25, SPEC),
      PeakSignalToNoiseRatioTest.alternating(target, 0.5, -0.5, SPEC)
    };
    Map<String, Double> values = compute(outputs, new float[][] {target, target});
    assertEquals(List.of("l1"), List.copyOf(values.keySet()));
    assertEquals(0.375, values.get("l1"));
  }

  @Test
  void pairsOfUnequalCountsAreRejected() {
    float[] target = PeakSignalToNoiseRatioTest.target(SPEC);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> compute(new float[][] {target, target}, new float[][] {target}));
    assertEquals("L1 compares generated row i, an output, with real row i, its target: got 2 generated rows and"
        + " 1 real ones; both sides must hold the same number of images", e.getMessage());
  }

  private Map<String, Double> compute(float[][] outputs, float[][] targets) {
    return metric.compute(new MetricSamples(outputs, targets, SPEC), Parameters.empty(OWNER));
  }
}
