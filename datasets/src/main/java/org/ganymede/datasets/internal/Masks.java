package org.ganymede.datasets.internal;

import java.util.List;
import java.util.SplittableRandom;
import org.ganymede.api.Condition;
import org.ganymede.api.DataSpec;
import org.ganymede.api.Parameters;

/**
 * Targets with pixels missing, as inpainting pairs them: the target's channels with the missing
 * pixels 0, then a channel that is 1 where a pixel is known and 0 where it is missing. {@code boxes}
 * removes 1 to 3 rectangles, each side between a quarter and half of the image's, placed at random
 * within it; {@code centre} removes the centred square of half the side (half the height by half
 * the width), as context encoders do.
 *
 * @param boxes whether random boxes go missing, rather than the centre
 */
record Masks(boolean boxes) implements Pairing {
  static final String BOXES = "boxes";
  static final String CENTRE = "centre";
  static final List<String> SHAPES = List.of(BOXES, CENTRE);
  static final int MAX_BOXES = 3;
  private static final float KNOWN = 1f;
  private static final float MISSING = 0f;

  static Masks read(Parameters parameters) {
    return new Masks(parameters.choice("mask", BOXES, SHAPES).equals(BOXES));
  }

  @Override
  public String kind() {
    return Condition.Images.MASKED;
  }

  @Override
  public DataSpec conditionSpec(DataSpec target) {
    return DataSpec.image(target.height(), target.width(), target.channels() + 1, target.classes());
  }

  @Override
  public void condition(float[] target, DataSpec spec, SplittableRandom random, float[] condition, int offset) {
    int height = spec.height();
    int width = spec.width();
    int channels = spec.channels();
    boolean[] missing = missing(height, width, random);
    for (int p = 0; p < height * width; p++) {
      int source = p * channels;
      int destination = offset + p * (channels + 1);
      for (int c = 0; c < channels; c++) {
        condition[destination + c] = missing[p] ? MISSING : target[source + c];
      }
      condition[destination + channels] = missing[p] ? MISSING : KNOWN;
    }
  }

  /** Which pixels of a {@code height} x {@code width} image are missing, row by row. */
  boolean[] missing(int height, int width, SplittableRandom random) {
    boolean[] missing = new boolean[height * width];
    if (!boxes) {
      int boxHeight = Math.max(1, height / 2);
      int boxWidth = Math.max(1, width / 2);
      remove(missing, width, (height - boxHeight) / 2, (width - boxWidth) / 2, boxHeight, boxWidth);
      return missing;
    }
    int count = 1 + random.nextInt(MAX_BOXES);
    for (int b = 0; b < count; b++) {
      int boxHeight = side(height, random);
      int boxWidth = side(width, random);
      remove(missing, width, random.nextInt(height - boxHeight + 1), random.nextInt(width - boxWidth + 1), boxHeight,
          boxWidth);
    }
    return missing;
  }

  @Override
  public String describe() {
    return boxes ? "masked (1 to " + MAX_BOXES + " random boxes)" : "masked (centre square)";
  }

  /** A side of a box: from a quarter of the image's, rounded up, to half of it, rounded down; at least 1. */
  private static int side(int length, SplittableRandom random) {
    int shortest = Math.max(1, (length + 3) / 4);
    int longest = Math.max(shortest, length / 2);
    return shortest + random.nextInt(longest - shortest + 1);
  }

  private static void remove(boolean[] missing, int width, int top, int left, int boxHeight, int boxWidth) {
    for (int y = top; y < top + boxHeight; y++) {
      for (int x = left; x < left + boxWidth; x++) {
        missing[y * width + x] = true;
      }
    }
  }
}
