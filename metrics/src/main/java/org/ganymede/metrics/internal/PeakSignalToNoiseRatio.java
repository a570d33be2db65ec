package org.ganymede.metrics.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import org.ganymede.api.Metric;
import org.ganymede.api.Parameters;
import org.ganymede.api.Plugins;
import org.osgi.service.component.annotations.Component;

/**
 * The peak signal-to-noise ratio of each output of an image-conditioned run against its target, in
 * dB: {@code 10 log10(R^2 / MSE)} with the mean squared error over the pixels and channels of the
 * pair and R = 2, the peak-to-peak range of images on the [-1, 1] scale (the same value as on the
 * [0, 1] scale with peak 1).
 *
 * <ul>
 *   <li>{@code psnr}: the mean of the pairs' PSNR, as super-resolution benchmarks report it;
 *   <li>{@code psnr_of_mean_mse}: the PSNR of the mean MSE over all pairs, which is lower unless
 *       every pair has the same error.
 * </ul>
 *
 * <p>Identical images give positive infinity, and one identical pair makes {@code psnr} infinite.
 * Parameter {@code border} (0) crops that many pixels from each side of both images first, as
 * super-resolution papers crop the scale factor (4 for x4). The channels are compared as they are:
 * papers that quantise to 8 bits or measure the luma channel alone report somewhat different values.
 */
@Component(
    service = Metric.class,
    property = {
      Plugins.NAME + "=psnr",
      Plugins.DESCRIPTION + "=Peak signal-to-noise ratio (dB) of each output against its target, peak-to-peak 2"
          + " on the [-1, 1] scale, averaged over the pairs of an image-conditioned run"
    })
public final class PeakSignalToNoiseRatio implements Metric {
  private static final String METRIC = "PSNR";
  /** The peak-to-peak range of images on the [-1, 1] scale, squared. */
  static final double RANGE_SQUARED = 4;

  @Override
  public Input input() {
    return Input.PAIRED_SAMPLES;
  }

  @Override
  public Map<String, Double> compute(MetricSamples samples, Parameters parameters) {
    PairedRows.Region region = PairedRows.region(METRIC, samples, parameters);
    float[][] outputs = samples.generated();
    float[][] targets = samples.real();
    double psnrSum = 0;
    double mseSum = 0;
    for (int i = 0; i < outputs.length; i++) {
      double mse = meanSquaredError(outputs[i], targets[i], region);
      psnrSum += psnr(mse);
      mseSum += mse;
    }
    Map<String, Double> values = new LinkedHashMap<>();
    values.put("psnr", psnrSum / outputs.length);
    values.put("psnr_of_mean_mse", psnr(mseSum / outputs.length));
    return values;
  }

  /** Positive infinity for an error of 0. */
  static double psnr(double mse) {
    return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(RANGE_SQUARED / mse);
  }

  static double meanSquaredError(float[] output, float[] target, PairedRows.Region region) {
    double sum = 0;
    for (int y = 0; y < region.croppedHeight(); y++) {
      for (int x = 0; x < region.croppedWidth(); x++) {
        for (int c = 0; c < region.channels(); c++) {
          int i = region.index(y, x, c);
          double difference = (double) output[i] - target[i];
          sum += difference * difference;
        }
      }
    }
    return sum / ((long) region.croppedHeight() * region.croppedWidth() * region.channels());
  }
}
