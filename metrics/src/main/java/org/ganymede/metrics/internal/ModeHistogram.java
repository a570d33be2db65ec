package org.ganymede.metrics.internal;

/**
 * How many generated samples are high quality, lying within a threshold of standard deviations of
 * their nearest mode (Srivastava et al. 2017, VEEGAN), and on which mode each of them lies.
 */
final class ModeHistogram {
  /**
   * A covered mode holds at least this share of what a generator spreading its samples evenly over
   * the modes would give it: PacGAN's rule (Lin et al. 2018), a mode is lost with fewer than 20 of an
   * expected 100. When an even share is 5 samples or fewer, one sample is enough: VEEGAN's rule.
   */
  private static final double COVERED_SHARE = 0.2;

  private final int[] highQualityPerMode;
  private final int highQuality;
  private final int samples;

  private ModeHistogram(int[] highQualityPerMode, int samples) {
    this.highQualityPerMode = highQualityPerMode;
    this.samples = samples;
    int sum = 0;
    for (int count : highQualityPerMode) {
      sum += count;
    }
    this.highQuality = sum;
  }

  /** @param points 2-D points, one {x, y} a row */
  static ModeHistogram count(float[][] points, ModeLayout layout, double thresholdStddevs) {
    int[] perMode = new int[layout.modes()];
    for (float[] point : points) {
      int mode = layout.modeWithin(point[0], point[1], thresholdStddevs);
      if (mode >= 0) {
        perMode[mode]++;
      }
    }
    return new ModeHistogram(perMode, points.length);
  }

  /** The modes that hold at least one high-quality sample and at least {@link #COVERED_SHARE} of an even share. */
  int modesCovered() {
    double minimum = Math.max(1, COVERED_SHARE * samples / highQualityPerMode.length);
    int covered = 0;
    for (int count : highQualityPerMode) {
      if (count >= minimum) {
        covered++;
      }
    }
    return covered;
  }

  /** The fraction of all samples that are high quality. */
  double highQualityFraction() {
    return (double) highQuality / samples;
  }

  /**
   * KL(p || uniform) for p the high-quality samples' histogram over the modes: 0 when they are spread
   * evenly, log K when they all lie on one of K modes, NaN when no sample is high quality.
   */
  double reverseKlToUniform() {
    if (highQuality == 0) {
      return Double.NaN;
    }
    int modes = highQualityPerMode.length;
    double kl = 0;
    for (int count : highQualityPerMode) {
      if (count > 0) {
        double p = (double) count / highQuality;
        kl += p * Math.log(p * modes);
      }
    }
    return kl;
  }
}
