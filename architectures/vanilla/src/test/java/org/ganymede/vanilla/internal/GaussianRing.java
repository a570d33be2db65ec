package org.ganymede.vanilla.internal;

import java.util.SplittableRandom;

/** Points drawn from equal Gaussians whose centres are evenly spaced on a circle about the origin. */
final class GaussianRing {
  final int modes;
  final double radius;
  private final double stddev;
  private final SplittableRandom random;

  GaussianRing(int modes, double radius, double stddev, long seed) {
    this.modes = modes;
    this.radius = radius;
    this.stddev = stddev;
    this.random = new SplittableRandom(seed);
  }

  /** {@code count} points, flattened as x0, y0, x1, y1, ... */
  float[] sample(int count) {
    float[] points = new float[2 * count];
    for (int i = 0; i < count; i++) {
      double angle = 2 * Math.PI * random.nextInt(modes) / modes;
      points[2 * i] = (float) (radius * Math.cos(angle) + stddev * random.nextGaussian());
      points[2 * i + 1] = (float) (radius * Math.sin(angle) + stddev * random.nextGaussian());
    }
    return points;
  }

  /** The index of the centre nearest to (x, y). */
  int nearestMode(double x, double y) {
    double angle = Math.atan2(y, x);
    return Math.floorMod((int) Math.round(angle / (2 * Math.PI) * modes), modes);
  }

  /** Distance from (x, y) to centre {@code mode}. */
  double distanceToMode(double x, double y, int mode) {
    double angle = 2 * Math.PI * mode / modes;
    return Math.hypot(x - radius * Math.cos(angle), y - radius * Math.sin(angle));
  }

  /** Distance from (x, y) to the circle through the centres. */
  double distanceToCircle(double x, double y) {
    return Math.abs(Math.hypot(x, y) - radius);
  }
}
