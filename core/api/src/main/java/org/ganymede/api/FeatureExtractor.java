package org.ganymede.api;

/** Maps samples to feature vectors for metrics (a classifier's penultimate layer, say). A service with a {@code name}. */
public interface FeatureExtractor {
  /** One feature row per sample row. */
  float[][] features(float[][] samples, DataSpec spec) throws Exception;
}
