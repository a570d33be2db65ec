package org.ganymede.metrics.internal;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ganymede.api.DataSpec;
import org.ganymede.api.Metric;
import org.ganymede.api.Parameters;
import org.ganymede.api.Plugins;
import org.osgi.service.component.annotations.Component;

/**
 * Mode collapse on the 2-D Gaussian mixtures, measured as VEEGAN and PacGAN do. Reports
 * {@code modes_covered}, {@code high_quality} (the fraction of generated samples within
 * {@code threshold} standard deviations of their nearest mode) and {@code reverse_kl} (the KL
 * divergence from the high-quality samples' histogram over the modes to the uniform one). The modes
 * come from the parameters {@code layout}, {@code radius} and {@code stddev}, not from the real samples.
 * A mode is covered when it holds at least one high-quality sample and, once an even share is more
 * than 5 samples, at least a fifth of that share (PacGAN). {@code reverse_kl} is NaN when no sample is
 * high quality.
 */
@Component(
    service = Metric.class,
    property = {
      Plugins.NAME + "=mode-coverage",
      Plugins.DESCRIPTION + "=Modes covered, high-quality fraction and reverse KL to uniform over the modes,"
          + " for 2-D samples of the ring or grid mixture"
    })
public final class ModeCoverage implements Metric {
  private static final double DEFAULT_THRESHOLD = 3;

  @Override
  public Map<String, Double> compute(MetricSamples samples, Parameters parameters) {
    requirePoints(samples.spec());
    ModeLayout layout = ModeLayout.read(parameters);
    double threshold = parameters.positive("threshold", DEFAULT_THRESHOLD);
    if (samples.generated().length == 0) {
      throw new IllegalArgumentException("mode coverage needs at least one generated sample");
    }
    ModeHistogram histogram = ModeHistogram.count(samples.generated(), layout, threshold);
    Map<String, Double> values = new LinkedHashMap<>();
    values.put("modes_covered", (double) histogram.modesCovered());
    values.put("high_quality", histogram.highQualityFraction());
    values.put("reverse_kl", histogram.reverseKlToUniform());
    return values;
  }

  private static void requirePoints(DataSpec spec) {
    if (!Arrays.equals(spec.shape(), new int[] {2})) {
      throw new IllegalArgumentException("mode coverage needs 2-D points (sample shape [2]); got samples of shape "
          + Arrays.toString(spec.shape()));
    }
  }
}
