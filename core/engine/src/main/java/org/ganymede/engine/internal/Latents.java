package org.ganymede.engine.internal;

import java.util.SplittableRandom;

/** Fixed latent vectors: the same seed shows the same points of the latent space every time. */
final class Latents {
  private Latents() {}

  static float[][] normal(int count, int size, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[][] z = new float[count][size];
    for (int i = 0; i < count; i++) {
      for (int j = 0; j < size; j++) {
        z[i][j] = (float) random.nextGaussian();
      }
    }
    return z;
  }
}
