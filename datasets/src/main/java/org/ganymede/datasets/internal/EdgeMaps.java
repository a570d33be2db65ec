package org.ganymede.datasets.internal;

import java.util.SplittableRandom;
import org.ganymede.api.Condition;
import org.ganymede.api.DataSpec;
import org.ganymede.api.ParameterException;
import org.ganymede.api.Parameters;

/**
 * Edge maps as the sketches of their targets, as pix2pix's edges2shoes pairs them: black lines on
 * a white background, of the target's size and channels. A pixel is a line where the Sobel
 * gradient magnitude of the grey level reaches the threshold, measured in units of the gradient
 * across a step from black to white, so that 1 keeps only such full steps. Beyond the border the
 * image is taken to continue as its edge pixels, so that the border itself is no line.
 *
 * @param threshold the gradient magnitude from which a pixel is a line, above 0 and at most 1
 */
record EdgeMaps(double threshold) implements Pairing {
  /**
   * A fifth of a black-to-white step. On Fashion-MNIST's test split it draws 94% of the garments'
   * outlines and their seams, collars and straps; 0.3 draws 89% and breaks the outlines of dark
   * sneakers and sandals, which stand little above the black background, and 0.1 fills printed
   * shirts and sandal straps into blots (65% of a garment's pixels drawn, against 49%).
   */
  static final double DEFAULT_THRESHOLD = 0.2;
  private static final float LINE = -1f;
  private static final float BACKGROUND = 1f;
  /** The Sobel response to a step from -1 to 1: twice the step times the kernel's 1 + 2 + 1. */
  private static final double FULL_STEP = 8;

  EdgeMaps {
    if (!(threshold > 0 && threshold <= 1)) {
      throw new IllegalArgumentException("an edge threshold lies above 0 and at most 1, not " + threshold);
    }
  }

  static EdgeMaps read(Parameters parameters) {
    double threshold = parameters.doubleValue("edge_threshold", DEFAULT_THRESHOLD);
    if (!(threshold > 0 && threshold <= 1)) {
      throw new ParameterException(parameters.owner() + ": 'edge_threshold' is " + threshold + "; allowed: a number"
          + " above 0 and at most 1, the gradient a pixel needs to be a line, 1 being that of a step from black to"
          + " white (default " + DEFAULT_THRESHOLD + ")");
    }
    return new EdgeMaps(threshold);
  }

  @Override
  public String kind() {
    return Condition.Images.PAIRED;
  }

  @Override
  public DataSpec conditionSpec(DataSpec target) {
    return target;
  }

  @Override
  public void condition(float[] target, DataSpec spec, SplittableRandom random, float[] condition, int offset) {
    int height = spec.height();
    int width = spec.width();
    int channels = spec.channels();
    float[] grey = grey(target, spec);
    // Compared squared, in the units of the kernel's sum, to spare a square root per pixel.
    double limit = threshold * FULL_STEP * threshold * FULL_STEP;
    for (int y = 0; y < height; y++) {
      int above = Math.max(y - 1, 0) * width;
      int row = y * width;
      int below = Math.min(y + 1, height - 1) * width;
      for (int x = 0; x < width; x++) {
        int left = Math.max(x - 1, 0);
        int right = Math.min(x + 1, width - 1);
        double horizontal = grey[above + right] + 2 * grey[row + right] + grey[below + right]
            - grey[above + left] - 2 * grey[row + left] - grey[below + left];
        double vertical = grey[below + left] + 2 * grey[below + x] + grey[below + right]
            - grey[above + left] - 2 * grey[above + x] - grey[above + right];
        float value = horizontal * horizontal + vertical * vertical >= limit ? LINE : BACKGROUND;
        int pixel = offset + (row + x) * channels;
        for (int c = 0; c < channels; c++) {
          condition[pixel + c] = value;
        }
      }
    }
  }

  @Override
  public String describe() {
    return "edges (Sobel, threshold " + threshold + ")";
  }

  /** The grey level of each pixel: the luma of RGB (ITU-R BT.601), the mean of other channels. */
  private static float[] grey(float[] target, DataSpec spec) {
    int pixels = spec.height() * spec.width();
    int channels = spec.channels();
    float[] grey = new float[pixels];
    for (int p = 0; p < pixels; p++) {
      int i = p * channels;
      if (channels == 3) {
        grey[p] = 0.299f * target[i] + 0.587f * target[i + 1] + 0.114f * target[i + 2];
      } else {
        float sum = 0;
        for (int c = 0; c < channels; c++) {
          sum += target[i + c];
        }
        grey[p] = sum / channels;
      }
    }
    return grey;
  }
}
