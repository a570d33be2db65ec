package org.ganymede.api;

/**
 * Maps samples to feature vectors and, for a classifier, class probabilities: what FID, KID,
 * precision/recall and the Inception Score read. A service with a {@code name}.
 */
public interface FeatureExtractor {
  /**
   * Loads what the extractor needs for samples of this shape.
   *
   * @param spec the shape of the samples it will see
   * @param parameters the experiment's parameters for the extractor (a model path, say)
   * @throws IllegalArgumentException when the samples or parameters do not fit; the message says
   *     what would
   */
  Extraction open(DataSpec spec, Parameters parameters) throws Exception;

  /** An opened extractor. Not thread-safe; close it to free native memory. */
  interface Extraction extends AutoCloseable {
    /** The length of one feature vector. */
    int featureSize();

    /** The number of classes of {@link Features#classProbabilities()}; 0 when it is no classifier. */
    int classes();

    /** Features of each sample row, in the rows' order. */
    Features extract(float[][] samples) throws Exception;

    @Override
    void close();
  }

  /**
   * @param features one feature vector a sample
   * @param classProbabilities one probability vector a sample, or null when the extractor is no
   *     classifier
   */
  record Features(float[][] features, float[][] classProbabilities) {}
}
