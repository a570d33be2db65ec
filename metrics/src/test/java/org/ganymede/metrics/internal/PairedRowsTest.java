package org.ganymede.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.Stream;
import org.ganymede.api.DataSpec;
import org.ganymede.api.Metric;
import org.ganymede.api.Metric.MetricSamples;
import org.ganymede.api.Parameters;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The checks every pair metric makes on its rows before comparing them. */
class PairedRowsTest {
  private static final DataSpec SPEC = DataSpec.image(12, 12, 3, 0);

  static Stream<Arguments> metrics() {
    return Stream.of(
        Arguments.of(new PeakSignalToNoiseRatio(), "PSNR"),
        Arguments.of(new StructuralSimilarity(), "SSIM"),
        Arguments.of(new MeanAbsoluteError(), "L1"));
  }

  @ParameterizedTest
  @MethodSource("metrics")
  void rowsOfAnotherLengthThanTheImagesAreRejected(Metric metric, String name) {
    float[] image = new float[SPEC.sampleSize()];
    float[] short_ = new float[12 * 12];
    assertRejected(metric, new MetricSamples(new float[][] {image, image}, new float[][] {image, short_}, SPEC),
        name + ": real row 1 has 144 values; images of shape 12x12x3 have 432, and an output must be of its"
            + " target's size");
    assertRejected(metric, new MetricSamples(new float[][] {short_}, new float[][] {image}, SPEC),
        name + ": generated row 0 has 144 values; images of shape 12x12x3 have 432, and an output must be of its"
            + " target's size");
  }

  @ParameterizedTest
  @MethodSource("metrics")
  void samplesThatAreNotImagesAreRejected(Metric metric, String name) {
    float[][] rows = {new float[4]};
    assertRejected(metric, new MetricSamples(rows, rows, DataSpec.vector(4)),
        name + " compares images (sample shape [height, width, channels]); got samples of shape [4]");
  }

  @ParameterizedTest
  @MethodSource("metrics")
  void noPairsAreRejected(Metric metric, String name) {
    float[][] none = new float[0][];
    assertRejected(metric, new MetricSamples(none, none, SPEC), name + " needs pairs of an output and its target;"
        + " got none");
  }

  @ParameterizedTest
  @MethodSource("metrics")
  void valuesThatAreNotFiniteAreRejected(Metric metric, String name) {
    float[] image = new float[SPEC.sampleSize()];
    float[] broken = image.clone();
    broken[17] = Float.NaN;
    assertRejected(metric, new MetricSamples(new float[][] {broken}, new float[][] {image}, SPEC),
        name + ": generated row 0 has NaN at index 17; only finite values can be measured");
  }

  private static void assertRejected(Metric metric, MetricSamples samples, String message) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> metric.compute(samples, Parameters.empty("metric")));
    assertEquals(message, e.getMessage());
  }
}
