package org.ganymede.metrics.internal;

import java.util.Arrays;
import org.ganymede.api.DataSpec;
import org.ganymede.api.Metric.MetricSamples;
import org.ganymede.api.ParameterException;
import org.ganymede.api.Parameters;

/**
 * Checks on the rows of {@link org.ganymede.api.Metric.Input#PAIRED_SAMPLES}, and the {@code border}
 * the pair metrics crop. Generated row i is the output for the condition of real row i, so both sides
 * must hold as many images, each of the data's shape; a metric that fails says which side and which
 * row is wrong.
 */
final class PairedRows {
  /** Pixels cropped from each side of both images before they are compared. */
  static final String BORDER = "border";

  private PairedRows() {}

  /**
   * The part of each image a metric compares: the image less {@code border} pixels on each side.
   *
   * @param height the image's height, before cropping
   * @param width the image's width, before cropping
   */
  record Region(int height, int width, int channels, int border) {
    int croppedHeight() {
      return height - 2 * border;
    }

    int croppedWidth() {
      return width - 2 * border;
    }

    /** Where channel {@code c} of pixel (y, x) of the cropped image lies in a flattened HWC row. */
    int index(int y, int x, int c) {
      return ((y + border) * width + x + border) * channels + c;
    }

    /** {@code 24x24}, or {@code 24x24 (32x32 less a border of 4)} when cropped. */
    String describe() {
      String cropped = croppedHeight() + "x" + croppedWidth();
      return border == 0 ? cropped : cropped + " (" + height + "x" + width + " less a border of " + border + ")";
    }
  }

  /**
   * The region of the pairs to compare: {@code border} (0 by default) is read before the rows are
   * checked, so that a metric names it among its parameters even when the rows are wrong.
   *
   * @param metric the metric's name in messages, e.g. {@code PSNR}
   * @throws ParameterException when {@code border} is negative or leaves no pixel
   */
  static Region region(String metric, MetricSamples samples, Parameters parameters) {
    int border = parameters.intValue(BORDER, 0);
    if (border < 0) {
      throw new ParameterException(parameters.owner() + ": '" + BORDER + "' is " + border
          + "; it must be zero or a positive number of pixels to crop from each side");
    }
    DataSpec spec = check(metric, samples);
    int most = (Math.min(spec.height(), spec.width()) - 1) / 2;
    if (border > most) {
      throw new ParameterException(parameters.owner() + ": '" + BORDER + "' is " + border + "; " + spec.height()
          + "x" + spec.width() + " images allow 0 to " + most + ", which leaves at least one pixel");
    }
    return new Region(spec.height(), spec.width(), spec.channels(), border);
  }

  /**
   * The image shape of the pairs, once both sides hold the same number of images of that shape,
   * with finite values.
   *
   * @throws IllegalArgumentException when the samples are not images, a side is empty, the sides
   *     differ in length, a row is not of the images' size or a value is NaN or infinite
   */
  static DataSpec check(String metric, MetricSamples samples) {
    DataSpec spec = samples.spec();
    if (!spec.isImage()) {
      throw new IllegalArgumentException(metric + " compares images (sample shape [height, width, channels]);"
          + " got samples of shape " + Arrays.toString(spec.shape()));
    }
    int generated = samples.generated().length;
    int real = samples.real().length;
    if (generated != real) {
      throw new IllegalArgumentException(metric + " compares generated row i, an output, with real row i, its"
          + " target: got " + generated + " generated rows and " + real + " real ones; both sides must hold the"
          + " same number of images");
    }
    if (generated == 0) {
      throw new IllegalArgumentException(metric + " needs pairs of an output and its target; got none");
    }
    requireImages(metric, "generated", samples.generated(), spec);
    requireImages(metric, "real", samples.real(), spec);
    return spec;
  }

  private static void requireImages(String metric, String side, float[][] rows, DataSpec spec) {
    int size = spec.sampleSize();
    for (int i = 0; i < rows.length; i++) {
      float[] row = rows[i];
      if (row.length != size) {
        throw new IllegalArgumentException(metric + ": " + side + " row " + i + " has " + row.length
            + " values; images of shape " + spec.height() + "x" + spec.width() + "x" + spec.channels() + " have "
            + size + ", and an output must be of its target's size");
      }
      for (int j = 0; j < size; j++) {
        if (!Float.isFinite(row[j])) {
          throw new IllegalArgumentException(metric + ": " + side + " row " + i + " has " + row[j] + " at index "
              + j + "; only finite values can be measured");
        }
      }
    }
  }
}
