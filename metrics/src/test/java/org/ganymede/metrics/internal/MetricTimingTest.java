package org.ganymede.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.Map;
import org.ganymede.api.DataSpec;
import org.ganymede.api.Metric;
import org.ganymede.api.Metric.MetricSamples;
import org.ganymede.api.Parameters;
import org.junit.jupiter.api.Test;

/**
 * The feature metrics at the size an evaluation gives them: 10,000 generated and 10,000 real feature
 * vectors of 128 values, as a small CNN classifier's penultimate layer has. Prints how long each
 * takes; the values must be those of two samples of one distribution.
 */
class MetricTimingTest {
  private static final int SAMPLES = 10_000;
  private static final int WIDTH = 128;

  @Test
  void featureMetricsOnTenThousandVectorsOf128Values() throws Exception {
    float[][] generated = Gaussians.standard(SAMPLES, WIDTH, 11);
    float[][] real = Gaussians.standard(SAMPLES, WIDTH, 12);
    MetricSamples samples = new MetricSamples(generated, real, DataSpec.vector(WIDTH));
    // Loading TensorFlow's native library is no metric's cost.
    float[][] few = Gaussians.standard(10, 2, 13);
    new FrechetDistance().compute(new MetricSamples(few, few, DataSpec.vector(2)), Parameters.empty("metric 'fid'"));

    Map<String, Double> fid = timed("fid", new FrechetDistance(), samples);
    // Two samples of N(0, I) are apart by the estimates' noise: |mu1 - mu2|^2 alone is about 2 d / N.
    assertEquals(0, fid.get("eps_added"));
    assertTrue(fid.get("fid") > 2.0 * WIDTH / SAMPLES && fid.get("fid") < 2, fid.toString());

    Map<String, Double> kid = timed("kid", new KernelDistance(), samples);
    assertTrue(Math.abs(kid.get("kid_mean")) < kid.get("kid_std"), kid.toString());

    // About 0.5 each for N(0, I) in 128 dimensions; the two sides are alike, so the two agree.
    Map<String, Double> pr = timed("precision-recall", new PrecisionRecall(), samples);
    assertTrue(pr.get("precision") > 0.4 && pr.get("recall") > 0.4, pr.toString());
    assertEquals(pr.get("precision"), pr.get("recall"), 0.03);

    Map<String, Double> dc = timed("density-coverage", new DensityCoverage(), samples);
    assertEquals(1, dc.get("density"), 0.1);
    assertEquals(1 - Math.pow(2, -5), dc.get("coverage"), 0.02);
  }

  private static Map<String, Double> timed(String name, Metric metric, MetricSamples samples) throws Exception {
    long start = System.nanoTime();
    long cpuStart = processCpuNanos();
    Map<String, Double> values = metric.compute(samples, Parameters.empty("metric '" + name + "'"));
    System.out.printf("%s on %,d vs %,d feature vectors of %d values: %.2f s (%.2f s of CPU) %s%n", name, SAMPLES,
        SAMPLES, WIDTH, (System.nanoTime() - start) / 1e9, (processCpuNanos() - cpuStart) / 1e9, values);
    return values;
  }

  /** CPU time of all the process's threads, TensorFlow's included: wall time says little on a busy machine. */
  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
