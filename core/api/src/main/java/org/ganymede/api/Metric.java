package org.ganymede.api;

import java.util.Map;

/**
 * A measure of generated samples against real ones. A service with a {@code name}. A metric that
 * throws is logged by the engine and the run goes on.
 *
 * <p>A metric says what it reads with {@link #input()}: the samples themselves, or what a
 * {@link FeatureExtractor} makes of them. The engine runs the extractor the experiment names
 * (parameter {@code features}) once per evaluation and hands every metric that reads it the same
 * rows.
 */
public interface Metric {
  /** What the rows of {@link MetricSamples} are. */
  enum Input {
    /** The samples, flattened. */
    SAMPLES,
    /** A feature extractor's feature vectors (a classifier's penultimate layer, say). */
    FEATURES,
    /** A classifier's class probabilities, each row summing to 1. */
    CLASS_PROBABILITIES,
    /**
     * The samples, flattened, with the class of every row and a labelled test set
     * ({@link MetricSamples#labels()}): for metrics that train on generated data, such as the
     * Classification Accuracy Score. Only a conditional run has them.
     */
    LABELLED_SAMPLES,
    /**
     * The samples, flattened, generated row i the model's output for the condition image of real
     * row i, its target: for metrics of image-conditioned runs that compare an output with its
     * target (PSNR, SSIM). Only an image-conditioned run has them.
     */
    PAIRED_SAMPLES
  }

  /** What this metric reads; samples unless it says otherwise. */
  default Input input() {
    return Input.SAMPLES;
  }

  /**
   * @param samples generated and real rows, of the kind {@link #input()} asks for
   * @param parameters the experiment's parameters for this metric
   * @return named values, e.g. {@code {"fid": 12.3}}
   */
  Map<String, Double> compute(MetricSamples samples, Parameters parameters) throws Exception;

  /**
   * @param generated rows made from generated samples, one a sample
   * @param real rows made from real samples, one a sample
   * @param spec the shape of one row: the data's sample shape for {@link Input#SAMPLES},
   *     {@link Input#LABELLED_SAMPLES} and {@link Input#PAIRED_SAMPLES}, a vector otherwise
   * @param labels the classes of the rows and a labelled test set, for {@link Input#LABELLED_SAMPLES};
   *     null otherwise
   */
  record MetricSamples(float[][] generated, float[][] real, DataSpec spec, Labels labels) {
    /** Rows without labels (API 2.1). */
    public MetricSamples(float[][] generated, float[][] real, DataSpec spec) {
      this(generated, real, spec, null);
    }
  }

  /**
   * The classes of labelled samples, and held-out real samples to test on.
   *
   * @param generated the class each generated row was made of
   * @param real the class of each real row (samples of the run's own data)
   * @param test held-out real samples, flattened: the metric's {@code test} dataset, or the run's
   *     own data when it names none
   * @param testLabels the class of each test row
   * @param names a name for each class id
   */
  record Labels(int[] generated, int[] real, float[][] test, int[] testLabels, java.util.List<String> names) {}
}
