package org.ganymede.datasets.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.ganymede.api.DataSpec;
import org.junit.jupiter.api.Test;

class AugmentedImageDatasetTest {
  private static final int SIDE = 10;
  private static final int SIZE = 6;
  private static final int DRAWS = 4000;
  /** Two 10x10 grayscale images whose pixel at (row, column) is 100 * image + 10 * row + column. */
  private static final SquareImages POSITIONS = positions();

  @Test
  void plainReadsAreTheCentreWindowUnflipped() {
    AugmentedImageDataset dataset = new AugmentedImageDataset("positions", POSITIONS, SIZE, true, ColorJitter.NONE, 1, 0);
    assertEquals(DataSpec.image(SIZE, SIZE, 1, 0), dataset.spec());
    assertEquals(2, dataset.size());
    assertEquals(-1, dataset.label(1));
    float[] sample = new float[SIZE * SIZE];
    dataset.read(1, sample, 0);
    assertArrayEquals(window(1, 2, 2, false), sample);
    assertEquals("positions: 2 images loaded at 10x10, random 6x6 crops and horizontal flips, 6x6x1", dataset.describe());
  }

  @Test
  void drawsCutEveryWindowWithinTheImageAndFlipAboutHalfTheTime() {
    AugmentedImageDataset dataset = new AugmentedImageDataset("positions", POSITIONS, SIZE, true, ColorJitter.NONE, 1, 0);
    float[] sample = new float[SIZE * SIZE];
    Set<Integer> corners = new HashSet<>();
    int flips = 0;
    for (long draw = 0; draw < DRAWS; draw++) {
      dataset.read(1, draw, sample, 0);
      boolean flipped = TestImages.value(sample[0]) % 10 > TestImages.value(sample[SIZE - 1]) % 10;
      int top = TestImages.value(sample[0]) / 10 % 10;
      int left = TestImages.value(sample[flipped ? SIZE - 1 : 0]) % 10;
      assertTrue(top <= SIDE - SIZE && left <= SIDE - SIZE, "draw " + draw + " at " + top + "," + left);
      assertArrayEquals(window(1, top, left, flipped), sample, "draw " + draw);
      corners.add(top * SIDE + left);
      flips += flipped ? 1 : 0;
    }
    assertEquals((SIDE - SIZE + 1) * (SIDE - SIZE + 1), corners.size(), "windows seen: " + corners);
    // 4000 fair coins: 2000 flips, standard deviation about 32.
    assertEquals(DRAWS / 2.0, flips, 150);
  }

  @Test
  void aDrawIsTheSameForTheSameSeedDomainAndDraw() {
    AugmentedImageDataset dataset = new AugmentedImageDataset("positions", POSITIONS, SIZE, true, ColorJitter.NONE, 42, 1);
    AugmentedImageDataset resumed = new AugmentedImageDataset("positions", POSITIONS, SIZE, true, ColorJitter.NONE, 42, 1);
    for (long draw : new long[] {0, 1, 77, 1L << 40}) {
      assertArrayEquals(drawn(dataset, 0, draw), drawn(dataset, 0, draw));
      assertArrayEquals(drawn(dataset, 0, draw), drawn(resumed, 0, draw));
      // The window follows from the draw, not from the image.
      assertArrayEquals(drawn(dataset, 0, draw), shifted(drawn(dataset, 1, draw), -100));
    }
  }

  @Test
  void drawsDifferAcrossDrawsSeedsAndDomains() {
    AugmentedImageDataset a = new AugmentedImageDataset("positions", POSITIONS, SIZE, true, ColorJitter.NONE, 42, 0);
    AugmentedImageDataset b = new AugmentedImageDataset("positions", POSITIONS, SIZE, true, ColorJitter.NONE, 42, 1);
    AugmentedImageDataset otherSeed = new AugmentedImageDataset("positions", POSITIONS, SIZE, true, ColorJitter.NONE, 43, 0);
    int sameAsNext = 0;
    int sameInB = 0;
    int sameWithOtherSeed = 0;
    for (long draw = 0; draw < 100; draw++) {
      float[] sample = drawn(a, 0, draw);
      sameAsNext += Arrays.equals(sample, drawn(a, 0, draw + 1)) ? 1 : 0;
      sameInB += Arrays.equals(sample, drawn(b, 0, draw)) ? 1 : 0;
      sameWithOtherSeed += Arrays.equals(sample, drawn(otherSeed, 0, draw)) ? 1 : 0;
    }
    // 50 equally likely windows: two draws agree by chance about twice in 100.
    assertTrue(sameAsNext < 10, sameAsNext + " draws equal to the next");
    assertTrue(sameInB < 10, sameInB + " draws equal to domain B's");
    assertTrue(sameWithOtherSeed < 10, sameWithOtherSeed + " draws equal to another seed's");
  }

  @Test
  void withoutFlipNoDrawIsMirrored() {
    AugmentedImageDataset dataset = new AugmentedImageDataset("positions", POSITIONS, SIZE, false, ColorJitter.NONE, 1, 0);
    for (long draw = 0; draw < 200; draw++) {
      float[] sample = drawn(dataset, 0, draw);
      assertTrue(TestImages.value(sample[0]) < TestImages.value(sample[SIZE - 1]), "draw " + draw);
    }
    assertTrue(dataset.describe().contains("random 6x6 crops, 6x6x1"), dataset.describe());
  }

  @Test
  void aFlipKeepsTheChannelsOfAPixelInOrder() {
    // One 2x2 RGB image: pixel (row, column) holds 40 * (2 * row + column) + channel.
    byte[] pixels = new byte[12];
    for (int p = 0; p < 4; p++) {
      for (int c = 0; c < 3; c++) {
        pixels[3 * p + c] = (byte) (40 * p + c);
      }
    }
    AugmentedImageDataset dataset = new AugmentedImageDataset("rgb", new SquareImages(1, 2, 3, pixels), 2, true, ColorJitter.NONE, 5, 0);
    float[] sample = new float[12];
    boolean sawFlip = false;
    for (long draw = 0; draw < 50; draw++) {
      dataset.read(0, draw, sample, 0);
      boolean flipped = TestImages.value(sample[0]) == 40;
      int[] expected = flipped ? new int[] {40, 41, 42, 0, 1, 2, 120, 121, 122, 80, 81, 82}
          : new int[] {0, 1, 2, 40, 41, 42, 80, 81, 82, 120, 121, 122};
      for (int i = 0; i < 12; i++) {
        assertEquals(expected[i], TestImages.value(sample[i]), "draw " + draw + ", value " + i);
      }
      sawFlip |= flipped;
    }
    assertTrue(sawFlip);
  }

  /** Jitter changes training draws only, repeatably for a draw, and keeps values in [-1, 1]. */
  @Test
  void colourJitterChangesTrainingDrawsOnlyAndRepeatably() {
    SquareImages rgb = new SquareImages(1, 4, 3, randomPixels(48));
    ColorJitter jitter = new ColorJitter(0.4, 0.4, 0.4);
    AugmentedImageDataset plain = new AugmentedImageDataset("rgb", rgb, 4, false, ColorJitter.NONE, 5, 0);
    AugmentedImageDataset jittered = new AugmentedImageDataset("rgb", rgb, 4, false, jitter, 5, 0);
    AugmentedImageDataset twin = new AugmentedImageDataset("rgb", rgb, 4, false, jitter, 5, 0);
    float[] a = new float[48];
    float[] b = new float[48];
    plain.read(0, a, 0);
    jittered.read(0, b, 0);
    assertArrayEquals(a, b, "plain reads are not jittered");
    for (long draw = 0; draw < 20; draw++) {
      plain.read(0, draw, a, 0);
      jittered.read(0, draw, b, 0);
      assertFalse(Arrays.equals(a, b), "draw " + draw + " was not jittered");
      float[] again = new float[48];
      twin.read(0, draw, again, 0);
      assertArrayEquals(b, again, "a draw is jittered alike every time");
      for (float v : b) {
        assertTrue(v >= -1 && v <= 1, "out of range: " + v);
      }
    }
    assertTrue(jittered.describe().contains("colour jitter (brightness 0.4"), jittered.describe());
  }

  /** Brightness alone multiplies every value in [0, 1] by the factor drawn, 1 - b + 2 b u. */
  @Test
  void brightnessMultipliesByTheDrawnFactor() {
    float[] image = {-1f, -0.5f, 0f, 0.5f, 0.9f, 1f};
    float[] jittered = image.clone();
    new ColorJitter(0.5, 0, 0).apply(jittered, 0, 2, 3, new java.util.SplittableRandom(9));
    double factor = 0.5 + new java.util.SplittableRandom(9).nextDouble();
    for (int i = 0; i < image.length; i++) {
      double expected = Math.min(1, (image[i] + 1) / 2 * factor) * 2 - 1;
      assertEquals(expected, jittered[i], 1e-6, "value " + i);
    }
  }

  private static byte[] randomPixels(int n) {
    byte[] pixels = new byte[n];
    new java.util.Random(3).nextBytes(pixels);
    return pixels;
  }

  @Test
  void readsAtAnOffset() {
    AugmentedImageDataset dataset = new AugmentedImageDataset("positions", POSITIONS, SIZE, true, ColorJitter.NONE, 1, 0);
    float[] target = new float[3 * SIZE * SIZE];
    dataset.read(1, 9, target, SIZE * SIZE);
    assertArrayEquals(drawn(dataset, 1, 9), Arrays.copyOfRange(target, SIZE * SIZE, 2 * SIZE * SIZE));
    assertEquals(0f, target[0]);
    assertEquals(0f, target[2 * SIZE * SIZE]);
  }

  private static SquareImages positions() {
    byte[] pixels = new byte[2 * SIDE * SIDE];
    for (int image = 0; image < 2; image++) {
      for (int row = 0; row < SIDE; row++) {
        for (int column = 0; column < SIDE; column++) {
          pixels[image * SIDE * SIDE + row * SIDE + column] = (byte) (100 * image + 10 * row + column);
        }
      }
    }
    return new SquareImages(2, SIDE, 1, pixels);
  }

  /** What a read of the window at (top, left) of image {@code image} gives. */
  private static float[] window(int image, int top, int left, boolean flipped) {
    float[] expected = new float[SIZE * SIZE];
    for (int row = 0; row < SIZE; row++) {
      for (int column = 0; column < SIZE; column++) {
        int sourceColumn = left + (flipped ? SIZE - 1 - column : column);
        expected[row * SIZE + column] = PixelValues.of((byte) (100 * image + 10 * (top + row) + sourceColumn));
      }
    }
    return expected;
  }

  private static float[] drawn(AugmentedImageDataset dataset, int index, long draw) {
    float[] sample = new float[SIZE * SIZE];
    dataset.read(index, draw, sample, 0);
    return sample;
  }

  private static float[] shifted(float[] sample, int by) {
    float[] values = new float[sample.length];
    for (int i = 0; i < sample.length; i++) {
      values[i] = PixelValues.of((byte) (TestImages.value(sample[i]) + by));
    }
    return values;
  }
}
