package org.ganymede.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ganymede.api.DataSpec;
import org.ganymede.api.Metric;
import org.ganymede.api.Metric.MetricSamples;
import org.ganymede.api.Parameters;
import org.junit.jupiter.api.Test;

/**
 * SSIM against scikit-image's {@code structural_similarity} on {@link PatternImages}. The reference
 * values are scikit-image 0.19's for exactly the arrays these tests make, the output as the first
 * image and the target as the second, in float64, called as
 * {@code structural_similarity(output, target, gaussian_weights=True, sigma=1.5,
 * use_sample_covariance=False, data_range=2.0, channel_axis=2)} on HWC arrays.
 */
class StructuralSimilarityTest {
  private static final String OWNER = "metric 'ssim'";
  /** Both sum the same products in another order. */
  private static final double TOLERANCE = 1e-12;

  private final StructuralSimilarity metric = new StructuralSimilarity();

  @Test
  void readsPairedSamples() {
    assertEquals(Metric.Input.PAIRED_SAMPLES, metric.input());
  }

  @Test
  void identicalImagesGiveExactlyOne() {
    float[] grey = PatternImages.waves(32, 32, 1, 1, 0.2);
    float[] colour = PatternImages.waves(24, 24, 3, 3, 0.1);
    assertEquals(1.0, ssim(grey, grey, DataSpec.image(32, 32, 1, 0), Map.of()));
    assertEquals(1.0, ssim(colour, colour, DataSpec.image(24, 24, 3, 0), Map.of()));
    // The smallest image the window fits gives a map of one position.
    float[] smallest = PatternImages.waves(11, 11, 2, 7, 0.5);
    assertEquals(1.0, ssim(smallest, smallest, DataSpec.image(11, 11, 2, 0), Map.of()));
  }

  /** scikit-image: 0.6356331678792504. */
  @Test
  void aGreyPairMatchesScikitImage() {
    float[] target = PatternImages.waves(32, 32, 1, 1, 0.2);
    float[] output = PatternImages.distorted(target, 0.9, 0.05, 0.15, 2);
    assertEquals(0.6356331678792504, ssim(output, target, DataSpec.image(32, 32, 1, 0), Map.of()), TOLERANCE);
  }

  /** scikit-image: 0.4221449778293121, the mean of the three channels' SSIM. */
  @Test
  void aColourPairMatchesScikitImage() {
    float[] target = PatternImages.waves(24, 24, 3, 3, 0.1);
    float[] output = PatternImages.distorted(target, 0.8, -0.1, 0.2, 4);
    assertEquals(0.4221449778293121, ssim(output, target, DataSpec.image(24, 24, 3, 0), Map.of()), TOLERANCE);
  }

  /** scikit-image: 0.9169894480770591. Rows and columns differ in number, so a transposed image would not match. */
  @Test
  void aPairTallerThanWideMatchesScikitImage() {
    float[] target = PatternImages.waves(13, 20, 2, 5, 0.3);
    float[] output = PatternImages.distorted(target, 1.1, 0.0, 0.1, 6);
    assertEquals(0.9169894480770591, ssim(output, target, DataSpec.image(13, 20, 2, 0), Map.of()), TOLERANCE);
  }

  /** scikit-image on {@code output[4:-4, 4:-4]} and {@code target[4:-4, 4:-4]} of the grey pair: 0.7077576306927171. */
  @Test
  void theBorderIsCroppedFromEverySide() {
    float[] target = PatternImages.waves(32, 32, 1, 1, 0.2);
    float[] output = PatternImages.distorted(target, 0.9, 0.05, 0.15, 2);
    Parameters parameters = new Parameters(OWNER, Map.of("border", 4));
    double value = metric.compute(new MetricSamples(new float[][] {output}, new float[][] {target},
        DataSpec.image(32, 32, 1, 0)), parameters).get("ssim");
    assertEquals(0.7077576306927171, value, TOLERANCE);
    assertEquals(Set.of("border"), parameters.knownKeys());
  }

  @Test
  void theValueIsTheMeanOverThePairs() {
    DataSpec spec = DataSpec.image(32, 32, 1, 0);
    float[] target = PatternImages.waves(32, 32, 1, 1, 0.2);
    float[] output = PatternImages.distorted(target, 0.9, 0.05, 0.15, 2);
    Map<String, Double> values = metric.compute(
        new MetricSamples(new float[][] {output, target}, new float[][] {target, target}, spec),
        Parameters.empty(OWNER));
    assertEquals(List.of("ssim"), List.copyOf(values.keySet()));
    assertEquals((0.6356331678792504 + 1) / 2, values.get("ssim"), TOLERANCE);
  }

  @Test
  void imagesSmallerThanTheWindowAreRejected() {
    float[] small = new float[10 * 12];
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ssim(small, small, DataSpec.image(10, 12, 1, 0), Map.of()));
    assertEquals("SSIM with its 11x11 Gaussian window needs images of at least 11x11 pixels; got 10x12",
        e.getMessage());

    float[] cropped = new float[16 * 16 * 3];
    e = assertThrows(IllegalArgumentException.class,
        () -> ssim(cropped, cropped, DataSpec.image(16, 16, 3, 0), Map.of("border", 3)));
    assertEquals("SSIM with its 11x11 Gaussian window needs images of at least 11x11 pixels; got 10x10"
        + " (16x16 less a border of 3)", e.getMessage());
  }

  @Test
  void pairsOfUnequalCountsAreRejected() {
    float[] image = new float[12 * 12];
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> metric.compute(new MetricSamples(new float[][] {image, image}, new float[][] {image},
            DataSpec.image(12, 12, 1, 0)), Parameters.empty(OWNER)));
    assertEquals("SSIM compares generated row i, an output, with real row i, its target: got 2 generated rows and"
        + " 1 real ones; both sides must hold the same number of images", e.getMessage());
  }

  private double ssim(float[] output, float[] target, DataSpec spec, Map<String, ?> parameters) {
    return metric.compute(new MetricSamples(new float[][] {output}, new float[][] {target}, spec),
        new Parameters(OWNER, parameters)).get("ssim");
  }
}
