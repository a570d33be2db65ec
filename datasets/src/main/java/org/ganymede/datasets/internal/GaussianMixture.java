package org.ganymede.datasets.internal;

import java.util.SplittableRandom;

/**
 * Equally weighted isotropic 2-D Gaussians, the toy data on which mode collapse is easy to see.
 *
 * @param name what the mixture is, for messages (e.g. {@code ring of 8 Gaussians, radius 2.0})
 * @param means the centre of each mode, {x, y}
 * @param stddev the standard deviation of every mode along each axis
 */
record GaussianMixture(String name, double[][] means, double stddev) {

  /** 8 modes evenly spaced on a circle around the origin, the first on the positive x axis. */
  static GaussianMixture ring(double radius, double stddev) {
    int modes = 8;
    double[][] means = new double[modes][];
    for (int k = 0; k < modes; k++) {
      double angle = 2 * Math.PI * k / modes;
      means[k] = new double[] {radius * Math.cos(angle), radius * Math.sin(angle)};
    }
    return new GaussianMixture("ring of 8 Gaussians, radius " + radius + ", stddev " + stddev, means, stddev);
  }

  /** 25 modes at {-4, -2, 0, 2, 4}^2, row by row from (-4, -4). */
  static GaussianMixture grid(double stddev) {
    double[][] means = new double[25][];
    for (int k = 0; k < means.length; k++) {
      means[k] = new double[] {2 * (k / 5) - 4, 2 * (k % 5) - 4};
    }
    return new GaussianMixture("grid of 25 Gaussians, spacing 2, stddev " + stddev, means, stddev);
  }

  /** Draws {@code size} points, each from a mode chosen uniformly; the same seed gives the same points. */
  MixtureDataset sample(int size, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] points = new float[2 * size];
    byte[] modes = new byte[size];
    for (int i = 0; i < size; i++) {
      int mode = random.nextInt(means.length);
      modes[i] = (byte) mode;
      points[2 * i] = (float) (means[mode][0] + stddev * random.nextGaussian());
      points[2 * i + 1] = (float) (means[mode][1] + stddev * random.nextGaussian());
    }
    return new MixtureDataset(name + ": " + size + " points from seed " + seed, points, modes, means.length);
  }
}
