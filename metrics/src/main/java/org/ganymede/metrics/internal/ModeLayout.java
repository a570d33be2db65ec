package org.ganymede.metrics.internal;

import java.util.List;
import org.ganymede.api.Parameters;

/**
 * Where the modes of a 2-D Gaussian mixture lie and how wide they are. The modes and the defaults are
 * those of the {@code ring} and {@code grid} datasets, so a dataset left at its defaults needs no
 * parameters here either.
 *
 * @param means the centre of each mode, {x, y}
 * @param stddev the standard deviation of every mode along each axis
 */
record ModeLayout(double[][] means, double stddev) {
  private static final String RING = "ring";
  private static final String GRID = "grid";
  private static final double DEFAULT_RING_RADIUS = 2.0;
  private static final double DEFAULT_RING_STDDEV = 0.02;
  private static final double DEFAULT_GRID_STDDEV = 0.05;

  /** Reads {@code layout}, then the parameters that layout takes: {@code radius} only for the ring. */
  static ModeLayout read(Parameters parameters) {
    String layout = parameters.choice("layout", RING, List.of(RING, GRID));
    if (layout.equals(RING)) {
      double radius = parameters.positive("radius", DEFAULT_RING_RADIUS);
      return ring(radius, parameters.positive("stddev", DEFAULT_RING_STDDEV));
    }
    return grid(parameters.positive("stddev", DEFAULT_GRID_STDDEV));
  }

  /** 8 modes evenly spaced on a circle around the origin, the first on the positive x axis. */
  private static ModeLayout ring(double radius, double stddev) {
    double[][] means = new double[8][];
    for (int k = 0; k < means.length; k++) {
      double angle = 2 * Math.PI * k / means.length;
      means[k] = new double[] {radius * Math.cos(angle), radius * Math.sin(angle)};
    }
    return new ModeLayout(means, stddev);
  }

  /** 25 modes at {-4, -2, 0, 2, 4}^2. */
  private static ModeLayout grid(double stddev) {
    double[][] means = new double[25][];
    for (int k = 0; k < means.length; k++) {
      means[k] = new double[] {2 * (k / 5) - 4, 2 * (k % 5) - 4};
    }
    return new ModeLayout(means, stddev);
  }

  int modes() {
    return means.length;
  }

  /**
   * The mode nearest to (x, y) when (x, y) lies within {@code stddevs} standard deviations of it,
   * else -1; a point with a NaN coordinate is near no mode.
   */
  int modeWithin(double x, double y, double stddevs) {
    int nearest = -1;
    double nearestSquared = Double.POSITIVE_INFINITY;
    for (int k = 0; k < means.length; k++) {
      double dx = x - means[k][0];
      double dy = y - means[k][1];
      double squared = dx * dx + dy * dy;
      if (squared < nearestSquared) {
        nearestSquared = squared;
        nearest = k;
      }
    }
    double limit = stddevs * stddev;
    return nearestSquared <= limit * limit ? nearest : -1;
  }
}
