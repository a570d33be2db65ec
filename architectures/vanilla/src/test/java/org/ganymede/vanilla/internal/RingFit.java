package org.ganymede.vanilla.internal;

/**
 * How well generated 2-D points cover a {@link GaussianRing}.
 *
 * @param onCircle the fraction of points within {@code tolerance} of the circle
 * @param modesCovered the number of centres that have at least {@code minShare} of the points
 *     within {@code tolerance}
 */
record RingFit(double onCircle, int modesCovered) {
  static RingFit of(float[] points, GaussianRing ring, double tolerance, double minShare) {
    int count = points.length / 2;
    int onCircle = 0;
    int[] perMode = new int[ring.modes];
    for (int i = 0; i < count; i++) {
      double x = points[2 * i];
      double y = points[2 * i + 1];
      if (ring.distanceToCircle(x, y) <= tolerance) {
        onCircle++;
      }
      int mode = ring.nearestMode(x, y);
      if (ring.distanceToMode(x, y, mode) <= tolerance) {
        perMode[mode]++;
      }
    }
    int covered = 0;
    for (int hits : perMode) {
      if (hits >= minShare * count) {
        covered++;
      }
    }
    return new RingFit((double) onCircle / count, covered);
  }
}
