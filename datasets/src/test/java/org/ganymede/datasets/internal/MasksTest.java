package org.ganymede.datasets.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.ganymede.api.Condition;
import org.ganymede.api.DataSpec;
import org.junit.jupiter.api.Test;

class MasksTest {
  private static final int SIDE = 32;
  private static final DataSpec RGB = DataSpec.image(SIDE, SIDE, 3, 0);

  @Test
  void conditionsAreTheKnownPixelsThenAChannelThatMarksThem() {
    Masks boxes = new Masks(true);
    assertEquals(DataSpec.image(SIDE, SIDE, 4, 10), boxes.conditionSpec(DataSpec.image(SIDE, SIDE, 3, 10)));
    assertEquals(Condition.Images.MASKED, boxes.kind());
    float[] target = distinctValues();
    Set<Integer> missingCounts = new HashSet<>();
    for (long seed = 0; seed < 50; seed++) {
      float[] condition = new float[SIDE * SIDE * 4];
      boxes.condition(target, RGB, new SplittableRandom(seed), condition, 0);
      int missing = 0;
      float[] expected = new float[condition.length];
      for (int p = 0; p < SIDE * SIDE; p++) {
        float known = condition[4 * p + 3];
        assertTrue(known == 0f || known == 1f, "mask value " + known);
        for (int c = 0; c < 3; c++) {
          expected[4 * p + c] = known == 1f ? target[3 * p + c] : 0f;
        }
        expected[4 * p + 3] = known;
        missing += known == 0f ? 1 : 0;
      }
      assertArrayEquals(expected, condition, "seed " + seed);
      // One box of at least 8x8 (a quarter of 32 on each side), at most three of 16x16.
      assertTrue(missing >= 8 * 8 && missing <= 3 * 16 * 16, "seed " + seed + ": " + missing + " missing");
      missingCounts.add(missing);
    }
    assertTrue(missingCounts.size() > 10, "missing pixel counts seen: " + missingCounts);
  }

  @Test
  void everyBoxSideLiesBetweenAQuarterAndHalfTheImage() {
    Masks boxes = new Masks(true);
    for (long seed = 0; seed < 200; seed++) {
      SplittableRandom random = new SplittableRandom(seed);
      boolean[] missing = boxes.missing(SIDE, SIDE, random);
      // Every missing row of the image holds a run of missing pixels at least a quarter long.
      for (int y = 0; y < SIDE; y++) {
        int run = 0;
        int longest = 0;
        int total = 0;
        for (int x = 0; x < SIDE; x++) {
          run = missing[y * SIDE + x] ? run + 1 : 0;
          longest = Math.max(longest, run);
          total += missing[y * SIDE + x] ? 1 : 0;
        }
        assertTrue(total == 0 || longest >= SIDE / 4, "seed " + seed + ", row " + y + ": longest run " + longest);
        assertTrue(total <= Masks.MAX_BOXES * SIDE / 2, "seed " + seed + ", row " + y + ": " + total + " missing");
      }
    }
  }

  @Test
  void centreRemovesTheCentredSquareOfHalfTheSide() {
    Masks centre = new Masks(false);
    assertEquals("masked (centre square)", centre.describe());
    float[] condition = new float[SIDE * SIDE * 2];
    float[] target = new float[SIDE * SIDE];
    Arrays.fill(target, -1f);
    centre.condition(target, DataSpec.image(SIDE, SIDE, 1, 0), new SplittableRandom(3), condition, 0);
    for (int y = 0; y < SIDE; y++) {
      for (int x = 0; x < SIDE; x++) {
        boolean inside = y >= 8 && y < 24 && x >= 8 && x < 24;
        assertEquals(inside ? 0f : 1f, condition[2 * (y * SIDE + x) + 1], y + "," + x);
        assertEquals(inside ? 0f : -1f, condition[2 * (y * SIDE + x)], y + "," + x);
      }
    }
  }

  /** Values that no pixel of another shares, so that a misplaced copy shows. */
  private static float[] distinctValues() {
    float[] values = new float[SIDE * SIDE * 3];
    for (int i = 0; i < values.length; i++) {
      values[i] = -1 + (i + 1) * 2f / (values.length + 1);
    }
    return values;
  }
}
