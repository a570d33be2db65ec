package org.ganymede.metrics.internal;

import org.ganymede.api.Metric.MetricSamples;

/**
 * Checks on the rows a metric is handed, before any of them reaches TensorFlow: a metric that fails
 * says which side and which row is wrong, and what it needs instead.
 */
final class FeatureRows {
  private FeatureRows() {}

  /**
   * The width of the feature vectors on both sides.
   *
   * @param metric the metric's name in messages, e.g. {@code FID}
   * @throws IllegalArgumentException when a side is empty or ragged, the sides differ in width or a
   *     value is NaN or infinite
   */
  static int width(String metric, MetricSamples samples) {
    int generated = width(metric, "generated", "feature vector", samples.generated());
    int real = width(metric, "real", "feature vector", samples.real());
    if (generated != real) {
      throw new IllegalArgumentException(metric + ": generated features have " + generated + " values, real ones "
          + real + "; both sides must come from the same feature extractor");
    }
    return generated;
  }

  /**
   * The common length of {@code rows}, all of whose values must be finite.
   *
   * @param side {@code generated} or {@code real}
   * @param noun what one row is, e.g. {@code feature vector}
   */
  static int width(String metric, String side, String noun, float[][] rows) {
    if (rows.length == 0) {
      throw new IllegalArgumentException(metric + " needs " + side + " " + noun + "s; got none");
    }
    int width = rows[0].length;
    if (width == 0) {
      throw new IllegalArgumentException(metric + ": " + side + " " + noun + "s are empty");
    }
    for (int i = 0; i < rows.length; i++) {
      float[] row = rows[i];
      if (row.length != width) {
        throw new IllegalArgumentException(metric + ": " + side + " " + noun + " " + i + " has " + row.length
            + " values, the first one " + width + "; all must have the same length");
      }
      for (int j = 0; j < width; j++) {
        if (!Float.isFinite(row[j])) {
          throw new IllegalArgumentException(metric + ": " + side + " " + noun + " " + i + " has " + row[j]
              + " at index " + j + "; only finite values can be measured");
        }
      }
    }
    return width;
  }
}
