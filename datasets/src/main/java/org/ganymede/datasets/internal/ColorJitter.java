package org.ganymede.datasets.internal;

import java.util.SplittableRandom;
import org.ganymede.api.ParameterException;
import org.ganymede.api.Parameters;

/**
 * Random colour changes of training draws, as torchvision's ColorJitter draws them: brightness
 * multiplies every value by a factor from [1 - b, 1 + b], contrast pulls the image towards or away
 * from its mean grey by one from [1 - c, 1 + c], saturation each pixel towards or away from its own
 * grey by one from [1 - s, 1 + s], in that order, on values in [0, 1], clipped to it after each.
 * All 0 is no jitter.
 */
record ColorJitter(double brightness, double contrast, double saturation) {
  static final ColorJitter NONE = new ColorJitter(0, 0, 0);

  /** Reads {@code brightness}, {@code contrast} and {@code saturation}, each in [0, 1] (0). */
  static ColorJitter read(Parameters parameters) {
    return new ColorJitter(strength(parameters, "brightness"), strength(parameters, "contrast"),
        strength(parameters, "saturation"));
  }

  private static double strength(Parameters parameters, String key) {
    double value = parameters.nonNegative(key, 0);
    if (value > 1) {
      throw new ParameterException(parameters.owner() + ": '" + key + "' is " + value + "; colour jitter draws a"
          + " factor from [1 - " + key + ", 1 + " + key + "], so allowed: 0 (none) to 1");
    }
    return value;
  }

  boolean isNone() {
    return brightness == 0 && contrast == 0 && saturation == 0;
  }

  /** Jitters one image of {@code pixels} values in [-1, 1] at {@code offset}, in place. */
  void apply(float[] image, int offset, int pixels, int channels, SplittableRandom random) {
    double b = factor(random, brightness);
    double c = factor(random, contrast);
    double s = factor(random, saturation);
    int n = pixels * channels;
    double grey = 0;
    for (int i = 0; i < n; i++) {
      double v = clip((image[offset + i] + 1) / 2 * b);
      image[offset + i] = (float) v;
      grey += v;
    }
    grey /= n;
    for (int i = 0; i < n; i++) {
      image[offset + i] = (float) clip(grey + (image[offset + i] - grey) * c);
    }
    for (int p = 0; p < pixels; p++) {
      double own = 0;
      for (int ch = 0; ch < channels; ch++) {
        own += image[offset + p * channels + ch];
      }
      own /= channels;
      for (int ch = 0; ch < channels; ch++) {
        int i = offset + p * channels + ch;
        image[i] = (float) (clip(own + (image[i] - own) * s) * 2 - 1);
      }
    }
  }

  private static double factor(SplittableRandom random, double strength) {
    return strength == 0 ? 1 : 1 - strength + 2 * strength * random.nextDouble();
  }

  private static double clip(double v) {
    return Math.max(0, Math.min(1, v));
  }

  @Override
  public String toString() {
    return "colour jitter (brightness " + brightness + ", contrast " + contrast + ", saturation " + saturation + ")";
  }
}
