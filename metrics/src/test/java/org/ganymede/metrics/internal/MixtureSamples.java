package org.ganymede.metrics.internal;

import java.util.SplittableRandom;

/** Points drawn as the ring and grid datasets draw them, with the modes worked out here, not by the metric. */
final class MixtureSamples {
  static final double[][] RING_MEANS = ringMeans(2.0);
  static final double[][] GRID_MEANS = gridMeans();

  private MixtureSamples() {}

  /** 8 centres on a circle of {@code radius}, the first at angle 0. */
  static double[][] ringMeans(double radius) {
    double[][] means = new double[8][];
    for (int k = 0; k < 8; k++) {
      means[k] = new double[] {radius * Math.cos(Math.PI * k / 4), radius * Math.sin(Math.PI * k / 4)};
    }
    return means;
  }

  private static double[][] gridMeans() {
    double[][] means = new double[25][];
    int k = 0;
    for (int x = -4; x <= 4; x += 2) {
      for (int y = -4; y <= 4; y += 2) {
        means[k++] = new double[] {x, y};
      }
    }
    return means;
  }

  /** {@code size} points, each from a mode chosen uniformly plus N(0, stddev^2) noise on each axis. */
  static float[][] draw(double[][] means, double stddev, int size, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[][] points = new float[size][];
    for (int i = 0; i < size; i++) {
      points[i] = near(means[random.nextInt(means.length)], stddev, random);
    }
    return points;
  }

  /** {@code size} points, all from the one mode {@code mean}. */
  static float[][] drawAround(double[] mean, double stddev, int size, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[][] points = new float[size][];
    for (int i = 0; i < size; i++) {
      points[i] = near(mean, stddev, random);
    }
    return points;
  }

  private static float[] near(double[] mean, double stddev, SplittableRandom random) {
    return new float[] {
      (float) (mean[0] + stddev * random.nextGaussian()), (float) (mean[1] + stddev * random.nextGaussian())
    };
  }
}
