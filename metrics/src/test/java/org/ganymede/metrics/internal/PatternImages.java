package org.ganymede.metrics.internal;

/**
 * Images for the pair metrics' tests, made by a formula simple enough to write again in any language,
 * so that values computed elsewhere from the same images can be checked here without data files.
 * Images are flattened HWC rows; every value is computed in double, clipped to [-1, 1] and rounded to
 * float, as an image row holds it.
 */
final class PatternImages {
  private PatternImages() {}

  /**
   * Waves with noise: {@code 0.6 sin(0.37 x + 1.1 c) cos(0.23 y - 0.5 c) + noise (2 u - 1)} at
   * column x, row y and channel c, with u drawn from {@link Lcg} in row-major HWC order.
   */
  static float[] waves(int height, int width, int channels, long seed, double noise) {
    Lcg lcg = new Lcg(seed);
    float[] image = new float[height * width * channels];
    int i = 0;
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        for (int c = 0; c < channels; c++) {
          image[i++] = clip(0.6 * Math.sin(0.37 * x + 1.1 * c) * Math.cos(0.23 * y - 0.5 * c)
              + noise * (2 * lcg.uniform() - 1));
        }
      }
    }
    return image;
  }

  /** {@code gain v + offset + noise (2 u - 1)} for each value v of {@code image}, in order. */
  static float[] distorted(float[] image, double gain, double offset, double noise, long seed) {
    Lcg lcg = new Lcg(seed);
    float[] distorted = new float[image.length];
    for (int i = 0; i < image.length; i++) {
      distorted[i] = clip(gain * image[i] + offset + noise * (2 * lcg.uniform() - 1));
    }
    return distorted;
  }

  private static float clip(double v) {
    return (float) Math.max(-1, Math.min(1, v));
  }

  /**
   * The 32-bit linear congruential generator of Numerical Recipes: state = 1664525 state +
   * 1013904223 mod 2^32, u = state / 2^32, the state advanced before each draw.
   */
  static final class Lcg {
    private long state;

    Lcg(long seed) {
      state = seed & 0xFFFFFFFFL;
    }

    double uniform() {
      state = (1664525 * state + 1013904223) & 0xFFFFFFFFL;
      return state / 4294967296.0;
    }
  }
}
