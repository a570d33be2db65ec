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
import org.ganymede.api.ParameterException;
import org.ganymede.api.Parameters;
import org.junit.jupiter.api.Test;

/**
 * PSNR on targets whose values are multiples of 1/16 and errors of 1/8 or 1/4: every difference and
 * every mean squared error is exact in binary, so the values are the formula's to the last bit.
 */
class PeakSignalToNoiseRatioTest {
  private static final String OWNER = "metric 'psnr'";
  private static final DataSpec SPEC = DataSpec.image(8, 8, 3, 0);

  private final PeakSignalToNoiseRatio metric = new PeakSignalToNoiseRatio();

  @Test
  void readsPairedSamples() {
    assertEquals(Metric.Input.PAIRED_SAMPLES, metric.input());
  }

  @Test
  void identicalImagesGiveInfinity() {
    float[] target = target(SPEC);
    Map<String, Double> values = compute(new float[][] {target, target}, new float[][] {target, target}, Map.of());
    assertEquals(List.of("psnr", "psnr_of_mean_mse"), List.copyOf(values.keySet()));
    assertEquals(Double.POSITIVE_INFINITY, values.get("psnr"));
    assertEquals(Double.POSITIVE_INFINITY, values.get("psnr_of_mean_mse"));
  }

  /** An error of +d or -d at every value is an MSE of d^2; the peak-to-peak range of [-1, 1] is 2. */
  @Test
  void anErrorOfDEverywhereGivesTenLog10OfFourOverDSquared() {
    float[] target = target(SPEC);
    double d = 0.125;
    Map<String, Double> values = compute(new float[][] {alternating(target, d, -d, SPEC)}, new float[][] {target},
        Map.of());
    double expected = 10 * Math.log10(4 / (d * d));
    assertEquals(expected, values.get("psnr"));
    assertEquals(expected, values.get("psnr_of_mean_mse"));
    // The same as on [0, 1] with peak 1, where the error is d / 2.
    assertEquals(10 * Math.log10(1 / (d / 2 * d / 2)), values.get("psnr"), 1e-12);
    assertEquals(24.0824, values.get("psnr"), 1e-4);
  }

  /**
   * Pair 1 is off by 1/8 everywhere (MSE 1/64), pair 2 by 1/4 at half its values and not at all at
   * the rest (MSE 1/32): 24.08 and 21.07 dB, 22.58 dB on average; the mean MSE, 3/128, is 22.32 dB,
   * lower, as it is unless every pair has the same error.
   */
  @Test
  void psnrIsTheMeanOfThePairsPsnr() {
    float[] target = target(SPEC);
    float[][] outputs = {alternating(target, 0.125, -0.125, SPEC), alternating(target, 0.25, 0, SPEC)};
    Map<String, Double> values = compute(outputs, new float[][] {target, target}, Map.of());
    assertEquals((10 * Math.log10(4 * 64) + 10 * Math.log10(4 * 32)) / 2, values.get("psnr"), 1e-12);
    assertEquals(10 * Math.log10(4 / (3 / 128.0)), values.get("psnr_of_mean_mse"), 1e-12);
    assertEquals(22.5772, values.get("psnr"), 1e-4);
    assertEquals(22.3215, values.get("psnr_of_mean_mse"), 1e-4);
  }

  @Test
  void oneIdenticalPairMakesTheMeanInfinite() {
    float[] target = target(SPEC);
    Map<String, Double> values = compute(new float[][] {target, alternating(target, 0.125, 0.125, SPEC)},
        new float[][] {target, target}, Map.of());
    assertEquals(Double.POSITIVE_INFINITY, values.get("psnr"));
    assertEquals(10 * Math.log10(4 / (1 / 128.0)), values.get("psnr_of_mean_mse"), 1e-12);
  }

  /** Errors on a frame of 2 pixels around a 10x14 image: a border of 2 leaves none, a border of 1 some. */
  @Test
  void theBorderIsCroppedFromEverySide() {
    int height = 10;
    int width = 14;
    int channels = 2;
    DataSpec spec = DataSpec.image(height, width, channels, 0);
    float[] target = target(spec);
    float[] output = target.clone();
    int framed = 0;
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        if (y < 2 || x < 2 || y >= height - 2 || x >= width - 2) {
          framed++;
          for (int c = 0; c < channels; c++) {
            output[(y * width + x) * channels + c] += 0.5f;
          }
        }
      }
    }
    float[][] outputs = {output};
    float[][] targets = {target};
    Parameters two = new Parameters(OWNER, Map.of("border", 2));
    assertEquals(Double.POSITIVE_INFINITY, metric.compute(new MetricSamples(outputs, targets, spec), two).get("psnr"));
    assertEquals(Set.of("border"), two.knownKeys());
    // A border of 1 leaves the inner ring of the frame: 2 (8 + 12) - 4 of its 8 x 12 pixels.
    double ring = 2 * (8 + 12) - 4;
    assertEquals(10 * Math.log10(4 / (0.25 * ring / (8 * 12))),
        metric.compute(new MetricSamples(outputs, targets, spec), new Parameters(OWNER, Map.of("border", 1)))
            .get("psnr"), 1e-12);
    assertEquals(10 * Math.log10(4 / (0.25 * framed / (height * width))),
        metric.compute(new MetricSamples(outputs, targets, spec), Parameters.empty(OWNER)).get("psnr"), 1e-12);
  }

  @Test
  void aBorderThatLeavesNoPixelOrIsNegativeIsRejected() {
    float[] target = target(SPEC);
    ParameterException e = assertThrows(ParameterException.class,
        () -> compute(new float[][] {target}, new float[][] {target}, Map.of("border", 4)));
    assertEquals(OWNER + ": 'border' is 4; 8x8 images allow 0 to 3, which leaves at least one pixel", e.getMessage());
    e = assertThrows(ParameterException.class,
        () -> compute(new float[][] {target}, new float[][] {target}, Map.of("border", -1)));
    assertEquals(OWNER + ": 'border' is -1; it must be zero or a positive number of pixels to crop from each side",
        e.getMessage());
    e = assertThrows(ParameterException.class,
        () -> compute(new float[][] {target}, new float[][] {target}, Map.of("border", 1.5)));
    assertTrue(e.getMessage().contains("'border' is '1.5'; it must be an integer"), e.getMessage());
  }

  @Test
  void pairsOfUnequalCountsAreRejected() {
    float[] target = target(SPEC);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> compute(new float[][] {target}, new float[][] {target, target, target}, Map.of()));
    assertEquals("PSNR compares generated row i, an output, with real row i, its target: got 1 generated rows and"
        + " 3 real ones; both sides must hold the same number of images", e.getMessage());
  }

  private Map<String, Double> compute(float[][] outputs, float[][] targets, Map<String, ?> parameters) {
    return metric.compute(new MetricSamples(outputs, targets, SPEC), new Parameters(OWNER, parameters));
  }

  /** Values in [-1/2, 7/16], multiples of 1/16. */
  static float[] target(DataSpec spec) {
    float[] image = new float[spec.sampleSize()];
    for (int i = 0; i < image.length; i++) {
      image[i] = ((i * 7) % 16 - 8) / 16f;
    }
    return image;
  }

  /** {@code image} plus {@code even} where x + y + c is even and plus {@code odd} where it is odd. */
  static float[] alternating(float[] image, double even, double odd, DataSpec spec) {
    float[] changed = image.clone();
    for (int y = 0; y < spec.height(); y++) {
      for (int x = 0; x < spec.width(); x++) {
        for (int c = 0; c < spec.channels(); c++) {
          int i = (y * spec.width() + x) * spec.channels() + c;
          changed[i] = (float) (image[i] + ((x + y + c) % 2 == 0 ? even : odd));
        }
      }
    }
    return changed;
  }
}
