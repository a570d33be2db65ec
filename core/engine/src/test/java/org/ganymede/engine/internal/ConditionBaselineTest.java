package org.ganymede.engine.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.ganymede.api.Condition;
import org.ganymede.api.DataSpec;
import org.junit.jupiter.api.Test;

class ConditionBaselineTest {
  private static final DataSpec TARGET = DataSpec.image(8, 8, 1, 0);

  @Test
  void bicubicUpsamplingKeepsAConstantAndFollowsARampInside() {
    DataSpec low = DataSpec.image(8, 8, 1, 0);
    DataSpec target = DataSpec.image(16, 16, 1, 0);
    TrainingGraph.Pairing pairing = new TrainingGraph.Pairing(low, Condition.Images.LOW_RESOLUTION, null);
    float[] constant = new float[64];
    java.util.Arrays.fill(constant, 0.25f);
    float[] ramp = new float[64];
    for (int i = 0; i < 64; i++) {
      ramp[i] = -0.7f + 0.2f * (i % 8); // rising along x, the same in every row
    }
    float[][] up = ConditionBaseline.outputs(pairing, new float[][] {constant, ramp}, target);
    assertEquals("bicubic", ConditionBaseline.name(pairing, target));
    for (int i = 0; i < 256; i++) {
      assertEquals(0.25f, up[0][i], 1e-6f, "constant at " + i);
    }
    // Where the kernel's four taps lie inside the image, a cubic that reproduces straight lines
    // gives the ramp at the high pixels' centres, x_low = (x + 0.5) / 2 - 0.5.
    for (int x = 3; x <= 12; x++) {
      float expected = -0.7f + 0.2f * ((x + 0.5f) / 2 - 0.5f);
      assertEquals(expected, up[1][5 * 16 + x], 1e-5f, "ramp at x " + x);
    }
  }

  @Test
  void aMaskedConditionIsItsImageWithoutTheMask() {
    DataSpec masked = DataSpec.image(8, 8, 2, 0);
    TrainingGraph.Pairing pairing = new TrainingGraph.Pairing(masked, Condition.Images.MASKED, null);
    float[] condition = new float[128];
    for (int p = 0; p < 64; p++) {
      condition[2 * p] = p % 3 == 0 ? 0 : p / 64f;
      condition[2 * p + 1] = p % 3 == 0 ? 0 : 1;
    }
    float[] expected = new float[64];
    for (int p = 0; p < 64; p++) {
      expected[p] = condition[2 * p];
    }
    assertEquals("input", ConditionBaseline.name(pairing, TARGET));
    assertArrayEquals(expected, ConditionBaseline.outputs(pairing, new float[][] {condition}, TARGET)[0]);
  }

  @Test
  void aLowResolutionImageIsShownEnlargedAndAPairOfAnotherShapeHasNoBaseline() {
    DataSpec low = DataSpec.image(2, 2, 1, 0);
    float[] large = ConditionBaseline.enlarge(new float[] {1, 2, 3, 4}, low, DataSpec.image(4, 4, 1, 0));
    assertArrayEquals(new float[] {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4}, large);
    TrainingGraph.Pairing colour = new TrainingGraph.Pairing(DataSpec.image(8, 8, 3, 0), Condition.Images.PAIRED, null);
    assertNull(ConditionBaseline.name(colour, TARGET));
  }
}
