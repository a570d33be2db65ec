package org.ganymede.datasets.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.ganymede.api.Condition;
import org.ganymede.api.DataSpec;
import org.ganymede.api.Dataset;
import org.ganymede.api.Dataset.ConditionImages;
import org.junit.jupiter.api.Test;

class DerivedPairsTest {
  private static final int SIDE = 12;
  private static final int SIZE = 8;
  private static final DataSpec TARGET = DataSpec.image(SIZE, SIZE, 3, 0);
  /** Three 12x12 RGB images of bytes that differ from pixel to pixel, cut to random 8x8 crops and flipped. */
  private static final SquareImages IMAGES = images();

  @Test
  void conditionsAreComputedFromTheTargetAsTheSameDrawCropsAndFlipsIt() {
    for (Pairing pairing : List.of(new EdgeMaps(0.1), new LowResolution(2, LowResolution.BICUBIC, SIZE, SIZE),
        new LowResolution(4, LowResolution.AREA, SIZE, SIZE))) {
      Dataset pairs = pairs(pairing, 5);
      Dataset conditions = pairs.conditionImages().orElseThrow().images();
      Set<List<Float>> crops = new HashSet<>();
      for (long draw = 0; draw < 40; draw++) {
        float[] target = new float[TARGET.sampleSize()];
        pairs.read(2, draw, target, 0);
        float[] condition = new float[conditions.spec().sampleSize()];
        conditions.read(2, draw, condition, 0);
        assertArrayEquals(computed(pairing, target), condition, pairing.describe() + ", draw " + draw);
        crops.add(values(target));
      }
      // 25 windows, flipped or not: the draws above saw many of them.
      assertTrue(crops.size() > 10, crops.size() + " different crops");
    }
  }

  @Test
  void maskedConditionsKeepTheKnownPixelsOfTheTargetAsDrawn() {
    Dataset pairs = pairs(new Masks(true), 5);
    Dataset conditions = pairs.conditionImages().orElseThrow().images();
    assertEquals(DataSpec.image(SIZE, SIZE, 4, 0), conditions.spec());
    for (long draw = 0; draw < 40; draw++) {
      float[] target = new float[TARGET.sampleSize()];
      pairs.read(1, draw, target, 0);
      float[] condition = new float[conditions.spec().sampleSize()];
      conditions.read(1, draw, condition, 0);
      int known = 0;
      for (int p = 0; p < SIZE * SIZE; p++) {
        float mask = condition[4 * p + 3];
        assertTrue(mask == 0f || mask == 1f, "mask " + mask);
        float[] expected = mask == 1f ? Arrays.copyOfRange(target, 3 * p, 3 * p + 3) : new float[3];
        assertArrayEquals(expected, Arrays.copyOfRange(condition, 4 * p, 4 * p + 3), "draw " + draw + ", pixel " + p);
        known += (int) mask;
      }
      assertTrue(known > 0 && known < SIZE * SIZE, "draw " + draw + ": " + known + " known");
    }
  }

  @Test
  void masksVaryAcrossDrawsAndAreFixedForPlainReads() {
    Dataset conditions = pairs(new Masks(true), 5).conditionImages().orElseThrow().images();
    Dataset resumed = pairs(new Masks(true), 5).conditionImages().orElseThrow().images();
    Dataset otherSeed = pairs(new Masks(true), 6).conditionImages().orElseThrow().images();
    Set<List<Float>> drawnMasks = new HashSet<>();
    for (long draw = 0; draw < 20; draw++) {
      drawnMasks.add(mask(conditions, 0, draw));
      assertEquals(mask(conditions, 0, draw), mask(resumed, 0, draw), "draw " + draw);
    }
    assertTrue(drawnMasks.size() > 15, drawnMasks.size() + " different masks in 20 draws");

    Set<List<Float>> plainMasks = new HashSet<>();
    for (int index = 0; index < IMAGES.count(); index++) {
      List<Float> plain = mask(conditions, index, -1);
      assertEquals(plain, mask(conditions, index, -1), "index " + index);
      assertEquals(plain, mask(resumed, index, -1), "index " + index);
      plainMasks.add(plain);
    }
    assertEquals(IMAGES.count(), plainMasks.size(), "each index its own mask");

    int sameWithOtherSeed = 0;
    for (long draw = 0; draw < 20; draw++) {
      sameWithOtherSeed += mask(conditions, 0, draw).equals(mask(otherSeed, 0, draw)) ? 1 : 0;
    }
    assertTrue(sameWithOtherSeed < 5, sameWithOtherSeed + " of 20 draws masked alike with another seed");
  }

  @Test
  void plainReadsComputeTheConditionOfThePlainTarget() {
    Pairing pairing = new LowResolution(2, LowResolution.BICUBIC, SIZE, SIZE);
    Dataset pairs = pairs(pairing, 5);
    Dataset conditions = pairs.conditionImages().orElseThrow().images();
    float[] target = new float[TARGET.sampleSize()];
    pairs.read(0, target, 0);
    float[] condition = new float[3 + conditions.spec().sampleSize()];
    conditions.read(0, condition, 3);
    assertArrayEquals(computed(pairing, target), Arrays.copyOfRange(condition, 3, condition.length));
    assertEquals(0f, condition[0]);
  }

  @Test
  void thePairsReadAsTheTargetsWithTheirLabelsAndSayWhatTheConditionsAre() {
    AugmentedImageDataset targets = new AugmentedImageDataset("squares", IMAGES, SIZE, true, ColorJitter.NONE, 5, 0);
    Dataset pairs = DerivedPairs.of(targets, new LowResolution(4, LowResolution.BICUBIC, SIZE, SIZE), 5);
    ConditionImages conditionImages = pairs.conditionImages().orElseThrow();
    assertEquals(Condition.Images.LOW_RESOLUTION, conditionImages.kind());
    assertEquals(DataSpec.image(2, 2, 3, 0), conditionImages.images().spec());
    assertEquals(TARGET, pairs.spec());
    assertEquals(3, pairs.size());
    assertEquals(3, conditionImages.images().size());
    assertEquals(-1, conditionImages.images().label(2));
    assertEquals(targets.describe() + "; conditions: low-resolution x4 (bicubic) of each target, 2x2x3", pairs.describe());
    float[] fromPairs = new float[TARGET.sampleSize()];
    float[] fromTargets = new float[TARGET.sampleSize()];
    pairs.read(1, 17, fromPairs, 0);
    targets.read(1, 17, fromTargets, 0);
    assertArrayEquals(fromTargets, fromPairs);
  }

  @Test
  void conditionsKeepTheTargetsLabelsAndClassNames() {
    IdxImages images = new IdxImages("test", 3, 4, 4, new byte[48]);
    IdxLabels labels = new IdxLabels("test", new byte[] {2, 0, 1});
    ImageDataset targets = new ImageDataset("labelled", images, labels, 3, 4, List.of("a", "b", "c"));
    Dataset pairs = DerivedPairs.of(targets, new Masks(false), 0);
    Dataset conditions = pairs.conditionImages().orElseThrow().images();
    assertEquals(DataSpec.image(4, 4, 2, 3), conditions.spec());
    for (int i = 0; i < 3; i++) {
      assertEquals(targets.label(i), pairs.label(i));
      assertEquals(targets.label(i), conditions.label(i));
    }
    assertEquals(List.of("a", "b", "c"), pairs.classNames());
    assertEquals(List.of("a", "b", "c"), conditions.classNames());
  }

  @Test
  void closingThePairsClosesTheTargets() {
    boolean[] closed = new boolean[1];
    Dataset targets = new AugmentedImageDataset("squares", IMAGES, SIZE, true, ColorJitter.NONE, 5, 0);
    Dataset recording = new Dataset() {
      @Override
      public DataSpec spec() {
        return targets.spec();
      }

      @Override
      public int size() {
        return targets.size();
      }

      @Override
      public void read(int index, float[] target, int offset) {
        targets.read(index, target, offset);
      }

      @Override
      public int label(int index) {
        return -1;
      }

      @Override
      public String describe() {
        return "recording";
      }

      @Override
      public void close() {
        closed[0] = true;
      }
    };
    DerivedPairs.of(recording, new EdgeMaps(0.2), 0).close();
    assertTrue(closed[0]);
  }

  private static Dataset pairs(Pairing pairing, long seed) {
    return DerivedPairs.of(new AugmentedImageDataset("squares", IMAGES, SIZE, true, ColorJitter.NONE, seed, 0), pairing, seed);
  }

  private static float[] computed(Pairing pairing, float[] target) {
    float[] condition = new float[pairing.conditionSpec(TARGET).sampleSize()];
    pairing.condition(target, TARGET, new SplittableRandom(0), condition, 0);
    return condition;
  }

  /** The mask channel of a condition read with {@code draw}, or a plain read for a negative draw. */
  private static List<Float> mask(Dataset conditions, int index, long draw) {
    float[] condition = new float[conditions.spec().sampleSize()];
    if (draw < 0) {
      conditions.read(index, condition, 0);
    } else {
      conditions.read(index, draw, condition, 0);
    }
    List<Float> mask = new ArrayList<>();
    for (int p = 0; p < SIZE * SIZE; p++) {
      mask.add(condition[4 * p + 3]);
    }
    return mask;
  }

  private static List<Float> values(float[] sample) {
    List<Float> values = new ArrayList<>();
    for (float value : sample) {
      values.add(value);
    }
    return values;
  }

  private static SquareImages images() {
    byte[] pixels = new byte[3 * SIDE * SIDE * 3];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) (i * 37 % 251);
    }
    return new SquareImages(3, SIDE, 3, pixels);
  }
}
