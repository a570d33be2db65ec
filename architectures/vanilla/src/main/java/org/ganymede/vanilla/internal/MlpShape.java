package org.ganymede.vanilla.internal;

import org.ganymede.api.DataSpec;
import org.ganymede.api.Parameters;

/**
 * The sizes of the two perceptrons, read from the experiment.
 *
 * @param depth hidden layers in each network
 * @param width units in each hidden layer
 * @param latentSize size of the generator's input
 */
record MlpShape(int depth, int width, int latentSize) {
  private static final int DEFAULT_DEPTH = 3;
  private static final int DEFAULT_WIDTH = 128;
  /** As in the original paper's image experiments; also the most a vector's default grows to. */
  private static final int DEFAULT_IMAGE_LATENT_SIZE = 100;

  static MlpShape read(Parameters parameters, DataSpec data) {
    return new MlpShape(
        parameters.intInRange("depth", DEFAULT_DEPTH, 1, 64),
        parameters.intInRange("width", DEFAULT_WIDTH, 1, 65536),
        parameters.intInRange("latent_size", defaultLatentSize(data), 1, 4096));
  }

  /**
   * Images: 100. Vectors: twice their size, at most 100; 4 for 2-D points. A latent much larger
   * than the data made the MLP drop modes: on the 8-Gaussian ring a latent of 16 kept 3 to 6 of
   * the 8 modes after 3000 steps, one of 2 or 4 kept 7 or 8 after 1500.
   */
  static int defaultLatentSize(DataSpec data) {
    return data.isImage() ? DEFAULT_IMAGE_LATENT_SIZE : Math.min(2 * data.sampleSize(), DEFAULT_IMAGE_LATENT_SIZE);
  }
}
