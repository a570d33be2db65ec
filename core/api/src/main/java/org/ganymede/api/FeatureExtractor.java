package org.ganymede.api;

import java.util.Optional;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

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

  /**
   * The extractor as ops in another graph, for a loss that compares features (a perceptual loss,
   * say): the feature vectors of images of this shape, differentiable with respect to the images,
   * from weights held as constants that no optimizer sees. Empty when the extractor cannot build
   * into another graph (a SavedModel runs in a session of its own).
   *
   * @throws IllegalArgumentException when the samples or parameters do not fit; the message says
   *     what would
   */
  default Optional<InGraph> inGraph(DataSpec spec, Parameters parameters) throws Exception {
    return Optional.empty();
  }

  /** Features as ops of the caller's graph; see {@link FeatureExtractor#inGraph}. */
  @FunctionalInterface
  interface InGraph {
    /**
     * @param tf the graph's ops, scoped so that every application names its ops apart
     * @param images a batch {@code [n, ...sample]} of the shape the extractor was asked for
     * @return the feature vectors, {@code [n, featureSize]}
     */
    Operand<TFloat32> features(Ops tf, Operand<TFloat32> images);
  }

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
