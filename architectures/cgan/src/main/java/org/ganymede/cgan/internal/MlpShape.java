package org.ganymede.cgan.internal;

import org.ganymede.api.DataSpec;
import org.ganymede.api.Parameters;

/**
 * The sizes of the two perceptrons of the MLP form, read from the experiment; the defaults are
 * the vanilla GAN's.
 *
 * @param depth hidden layers in each network
 * @param width units in each hidden layer
 * @param latentSize size of the generator's noise, without the label
 */
record MlpShape(int depth, int width, int latentSize) {
  private static final int DEFAULT_DEPTH = 3;
  private static final int DEFAULT_WIDTH = 128;
  private static final int DEFAULT_IMAGE_LATENT_SIZE = 100;

  static MlpShape read(Parameters parameters, DataSpec data) {
    return new MlpShape(
        parameters.intInRange("depth", DEFAULT_DEPTH, 1, 64),
        parameters.intInRange("width", DEFAULT_WIDTH, 1, 65536),
        parameters.intInRange("latent_size", defaultLatentSize(data), 1, 4096));
  }

  /**
   * Images: 100. Vectors: twice their size, at most 100, so 4 for 2-D points: the vanilla MLP
   * dropped modes of the 8-Gaussian ring with a latent much larger than the data.
   */
  static int defaultLatentSize(DataSpec data) {
    return data.isImage() ? DEFAULT_IMAGE_LATENT_SIZE : Math.min(2 * data.sampleSize(), DEFAULT_IMAGE_LATENT_SIZE);
  }
}
