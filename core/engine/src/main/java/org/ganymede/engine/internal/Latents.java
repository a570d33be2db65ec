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

  /** The latent of one seed: the first of {@link #normal} with that seed, so the first sample of its grid. */
  static float[] ofSeed(int size, long seed) {
    return normal(1, size, seed)[0];
  }

  /**
   * {@code frames} points from {@code a} to {@code b}, both included, by spherical interpolation:
   * {@code sin((1 - t) angle) / sin(angle) a + sin(t angle) / sin(angle) b} with t evenly spaced,
   * angle the one between a and b. Gaussian latents of many dimensions lie near a sphere, and the
   * straight line between two passes inside it, where the generator saw few latents. Nearly
   * parallel latents are interpolated linearly.
   */
  static float[][] sphericalPath(float[] a, float[] b, int frames) {
    double dot = 0;
    double normA = 0;
    double normB = 0;
    for (int j = 0; j < a.length; j++) {
      dot += (double) a[j] * b[j];
      normA += (double) a[j] * a[j];
      normB += (double) b[j] * b[j];
    }
    double angle = Math.acos(Math.max(-1, Math.min(1, dot / Math.sqrt(normA * normB))));
    double sin = Math.sin(angle);
    float[][] path = new float[frames][a.length];
    for (int i = 0; i < frames; i++) {
      double t = (double) i / (frames - 1);
      double wa = sin < 1e-6 ? 1 - t : Math.sin((1 - t) * angle) / sin;
      double wb = sin < 1e-6 ? t : Math.sin(t * angle) / sin;
      for (int j = 0; j < a.length; j++) {
        path[i][j] = (float) (wa * a[j] + wb * b[j]);
      }
    }
    return path;
  }
}
