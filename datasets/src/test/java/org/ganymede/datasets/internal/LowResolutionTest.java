package org.ganymede.datasets.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.ganymede.api.Condition;
import org.ganymede.api.DataSpec;
import org.ganymede.api.ParameterException;
import org.ganymede.api.Parameters;
import org.junit.jupiter.api.Test;

class LowResolutionTest {
  private static final SplittableRandom UNUSED = new SplittableRandom(0);

  @Test
  void areaIsTheMeanOfEachBlockInEachChannel() {
    // 4x4, two channels: channel 0 holds the pixel's number p / 16, channel 1 its negative.
    DataSpec spec = DataSpec.image(4, 4, 2, 0);
    float[] target = new float[32];
    for (int p = 0; p < 16; p++) {
      target[2 * p] = p / 16f;
      target[2 * p + 1] = -p / 16f;
    }
    float[] condition = new float[8];
    new LowResolution(2, LowResolution.AREA, 4, 4).condition(target, spec, UNUSED, condition, 0);
    // The top left block holds pixels 0, 1, 4, 5: mean 2.5; then 1, 2, 3 blocks along: 4.5, 10.5, 12.5.
    assertArrayEquals(new float[] {2.5f / 16, -2.5f / 16, 4.5f / 16, -4.5f / 16, 10.5f / 16, -10.5f / 16,
        12.5f / 16, -12.5f / 16}, condition, 1e-6f);

    float[] quarter = new float[2];
    new LowResolution(4, LowResolution.AREA, 4, 4).condition(target, spec, UNUSED, quarter, 0);
    assertArrayEquals(new float[] {7.5f / 16, -7.5f / 16}, quarter, 1e-6f);
  }

  @Test
  void bicubicKeepsAConstantImage() {
    for (int factor : new int[] {2, 4}) {
      DataSpec spec = DataSpec.image(16, 16, 3, 0);
      float[] target = new float[spec.sampleSize()];
      Arrays.fill(target, 0.3f);
      float[] condition = new float[spec.sampleSize() / (factor * factor)];
      new LowResolution(factor, LowResolution.BICUBIC, 16, 16).condition(target, spec, UNUSED, condition, 0);
      for (float value : condition) {
        assertEquals(0.3f, value, 1e-6f, "factor " + factor);
      }
    }
  }

  @Test
  void bicubicOfARampIsTheRampAtTheBlockCentres() {
    // Rising by 0.1 a column; block i of a factor f is centred on column (i + 0.5) f - 0.5. Inside,
    // the symmetric kernel reproduces a line exactly; at the border the mirrored image bends it.
    DataSpec spec = DataSpec.image(16, 16, 1, 0);
    float[] target = new float[256];
    for (int p = 0; p < 256; p++) {
      target[p] = -0.9f + 0.1f * (p % 16);
    }
    for (int factor : new int[] {2, 4}) {
      int side = 16 / factor;
      float[] condition = new float[side * side];
      new LowResolution(factor, LowResolution.BICUBIC, 16, 16).condition(target, spec, UNUSED, condition, 0);
      for (int y = 0; y < side; y++) {
        for (int x = 0; x < side; x++) {
          double centre = (x + 0.5) * factor - 0.5;
          boolean inside = centre - 2 * factor >= -0.5 && centre + 2 * factor <= 15.5;
          assertEquals(-0.9 + 0.1 * centre, condition[y * side + x], inside ? 1e-5 : 0.02,
              "factor " + factor + " at " + y + "," + x);
        }
      }
    }
  }

  @Test
  void bicubicHalvingWeighsAsImresizeDoes() {
    // A vertical line of 1 at column 8 on 0: each output column gets the weight imresize gives
    // column 8, cubic(d / 2) / 2 for the distance d from the output's centre.
    DataSpec spec = DataSpec.image(16, 16, 1, 0);
    float[] target = new float[256];
    for (int y = 0; y < 16; y++) {
      target[y * 16 + 8] = 1;
    }
    float[] condition = new float[64];
    new LowResolution(2, LowResolution.BICUBIC, 16, 16).condition(target, spec, UNUSED, condition, 0);
    float[] row = {0, 0, -0.01171875f, 0.11328125f, 0.43359375f, -0.03515625f, 0, 0};
    for (int y = 0; y < 8; y++) {
      assertArrayEquals(row, Arrays.copyOfRange(condition, 8 * y, 8 * y + 8), 1e-6f, "row " + y);
    }
  }

  @Test
  void bicubicOvershootIsClippedToThePixelRange() {
    // A black-to-white step rings past both ends unclipped.
    DataSpec spec = DataSpec.image(8, 8, 1, 0);
    float[] target = new float[64];
    for (int p = 0; p < 64; p++) {
      target[p] = p % 8 < 4 ? -1 : 1;
    }
    float[] condition = new float[16];
    new LowResolution(2, LowResolution.BICUBIC, 8, 8).condition(target, spec, UNUSED, condition, 0);
    for (int x = 0; x < 4; x++) {
      assertTrue(condition[x] >= -1 && condition[x] <= 1, "column " + x + ": " + condition[x]);
    }
    assertEquals(-1f, condition[0]);
    assertEquals(1f, condition[3]);
  }

  @Test
  void conditionsAreSmallerByTheFactorWithTheTargetsChannelsAndClasses() {
    LowResolution quarter = new LowResolution(4, LowResolution.BICUBIC, 32, 32);
    assertEquals(DataSpec.image(8, 8, 3, 10), quarter.conditionSpec(DataSpec.image(32, 32, 3, 10)));
    assertEquals(Condition.Images.LOW_RESOLUTION, quarter.kind());
    assertEquals("low-resolution x4 (bicubic)", quarter.describe());
    assertEquals("low-resolution x2 (area)", new LowResolution(2, LowResolution.AREA, 32, 32).describe());
  }

  @Test
  void aFactorMustDivideTheSize() {
    assertEquals("dataset 'pairs': 'factor' is 4, which does not divide the targets' size 30x30; allowed for 30x30: 2",
        rejected(Map.of("factor", 4), 30).getMessage());
    assertEquals("dataset 'pairs': 'factor' is 2, which does not divide the targets' size 33x33; allowed for 33x33:"
        + " none of 2, 4, so choose a size that the factor divides", rejected(Map.of("factor", 2), 33).getMessage());
    assertEquals("dataset 'pairs': 'factor' is 3; allowed: 2, 4", rejected(Map.of("factor", 3), 30).getMessage());
    assertEquals("dataset 'pairs': 'downsampling' is 'nearest'; allowed: bicubic, area",
        rejected(Map.of("downsampling", "nearest"), 32).getMessage());
  }

  @Test
  void defaultsAreFourTimesSmallerBicubic() {
    Parameters parameters = new Parameters("dataset 'pairs'", Map.of());
    LowResolution read = LowResolution.read(parameters, 28, 28);
    assertEquals(4, read.factor());
    assertEquals("low-resolution x4 (bicubic)", read.describe());
  }

  private static ParameterException rejected(Map<String, ?> values, int side) {
    return assertThrows(ParameterException.class,
        () -> LowResolution.read(new Parameters("dataset 'pairs'", values), side, side));
  }
}
