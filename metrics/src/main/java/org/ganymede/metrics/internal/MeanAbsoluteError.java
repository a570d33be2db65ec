package org.ganymede.metrics.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import org.ganymede.api.Metric;
import org.ganymede.api.Parameters;
import org.ganymede.api.Plugins;
import org.osgi.service.component.annotations.Component;

/**
 * The mean absolute difference between each output of an image-conditioned run and its target,
 * over every pixel and channel of every pair, in the units of the [-1, 1] scale (half what it would
 * be on [0, 1]): {@code l1}, the reconstruction term of pix2pix's generator loss. Every pair has as
 * many values, so this is also the mean of the pairs' means.
 */
@Component(
    service = Metric.class,
    property = {
      Plugins.NAME + "=l1",
      Plugins.DESCRIPTION + "=Mean absolute difference between each output and its target, in [-1, 1] units,"
          + " over the pairs of an image-conditioned run"
    })
public final class MeanAbsoluteError implements Metric {
  private static final String METRIC = "L1";

  @Override
  public Input input() {
    return Input.PAIRED_SAMPLES;
  }

  @Override
  public Map<String, Double> compute(MetricSamples samples, Parameters parameters) {
    PairedRows.check(METRIC, samples);
    float[][] outputs = samples.generated();
    float[][] targets = samples.real();
    double sum = 0;
    long count = 0;
    for (int i = 0; i < outputs.length; i++) {
      for (int j = 0; j < outputs[i].length; j++) {
        sum += Math.abs((double) outputs[i][j] - targets[i][j]);
      }
      count += outputs[i].length;
    }
    Map<String, Double> values = new LinkedHashMap<>();
    values.put("l1", sum / count);
    return values;
  }
}
