package org.ganymede.cgan.internal;

import java.util.SplittableRandom;
import org.ganymede.testing.AdamTrainer;

/**
 * Points drawn from equal Gaussians whose centres are evenly spaced on a circle about the origin,
 * each labelled with its Gaussian: mode {@code k} is centred at angle {@code 2 pi k / modes}.
 */
final class LabelledRing {
  final int modes;
  private final double radius;
  private final double stddev;
  private final SplittableRandom random;

  LabelledRing(int modes, double radius, double stddev, long seed) {
    this.modes = modes;
    this.radius = radius;
    this.stddev = stddev;
    this.random = new SplittableRandom(seed);
  }

  /** {@code count} points, flattened as x0, y0, x1, y1, ..., with the mode of each as its label. */
  AdamTrainer.LabelledBatch sample(int count) {
    float[] points = new float[2 * count];
    int[] labels = new int[count];
    for (int i = 0; i < count; i++) {
      labels[i] = random.nextInt(modes);
      double angle = 2 * Math.PI * labels[i] / modes;
      points[2 * i] = (float) (radius * Math.cos(angle) + stddev * random.nextGaussian());
      points[2 * i + 1] = (float) (radius * Math.sin(angle) + stddev * random.nextGaussian());
    }
    return new AdamTrainer.LabelledBatch(points, labels);
  }

  /** Distance from (x, y) to centre {@code mode}. */
  double distanceToMode(double x, double y, int mode) {
    double angle = 2 * Math.PI * mode / modes;
    return Math.hypot(x - radius * Math.cos(angle), y - radius * Math.sin(angle));
  }

  /** The index of the centre nearest to (x, y). */
  int nearestMode(double x, double y) {
    double angle = Math.atan2(y, x);
    return Math.floorMod((int) Math.round(angle / (2 * Math.PI) * modes), modes);
  }
}
