package org.ganymede.datasets.internal;

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

class EdgeMapsTest {
  private static final SplittableRandom UNUSED = new SplittableRandom(0);

  @Test
  void aBlankImageIsAllWhite() {
    EdgeMaps edges = new EdgeMaps(EdgeMaps.DEFAULT_THRESHOLD);
    for (float value : new float[] {-1, 0.3f, 1}) {
      for (int channels : new int[] {1, 3}) {
        DataSpec spec = DataSpec.image(6, 5, channels, 0);
        float[] target = new float[spec.sampleSize()];
        Arrays.fill(target, value);
        float[] condition = new float[spec.sampleSize()];
        edges.condition(target, spec, UNUSED, condition, 0);
        for (float edge : condition) {
          assertEquals(1f, edge, "blank " + value + " in " + channels + " channels");
        }
      }
    }
  }

  @Test
  void aStepIsABlackLineOnBothSidesOfItInEveryChannel() {
    // Black in columns 0 to 3, white in 4 to 7: the Sobel kernel reaches across the step from
    // columns 3 and 4 only, and there it sees the whole step.
    DataSpec spec = DataSpec.image(5, 8, 3, 0);
    float[] target = new float[spec.sampleSize()];
    for (int i = 0; i < target.length; i++) {
      target[i] = i / 3 % 8 < 4 ? -1 : 1;
    }
    float[] condition = new float[spec.sampleSize()];
    new EdgeMaps(1).condition(target, spec, UNUSED, condition, 0);
    assertEquals(spec, new EdgeMaps(1).conditionSpec(spec));
    for (int i = 0; i < condition.length; i++) {
      int column = i / 3 % 8;
      assertEquals(column == 3 || column == 4 ? -1f : 1f, condition[i], "value " + i);
    }
  }

  @Test
  void aFaintStepIsALineOnlyBelowItsStrength() {
    // A step of a tenth of black to white.
    DataSpec spec = DataSpec.image(4, 4, 1, 0);
    float[] target = new float[16];
    for (int i = 0; i < 16; i++) {
      target[i] = i % 4 < 2 ? 0 : 0.2f;
    }
    assertEquals(8, lines(new EdgeMaps(0.09), target, spec));
    assertEquals(0, lines(new EdgeMaps(0.11), target, spec));
  }

  @Test
  void theThresholdIsAParameterAboveZeroAndAtMostOne() {
    EdgeMaps read = EdgeMaps.read(parameters(Map.of()));
    assertEquals(EdgeMaps.DEFAULT_THRESHOLD, read.threshold());
    assertEquals(Condition.Images.PAIRED, read.kind());
    assertEquals("edges (Sobel, threshold 0.35)", EdgeMaps.read(parameters(Map.of("edge_threshold", 0.35))).describe());
    for (double bad : new double[] {0, -0.1, 1.5}) {
      ParameterException e = assertThrows(ParameterException.class,
          () -> EdgeMaps.read(parameters(Map.of("edge_threshold", bad))));
      assertTrue(e.getMessage().startsWith("dataset 'pairs': 'edge_threshold' is " + bad + "; allowed: a number above"
          + " 0 and at most 1"), e.getMessage());
    }
  }

  private static int lines(EdgeMaps edges, float[] target, DataSpec spec) {
    float[] condition = new float[spec.sampleSize()];
    edges.condition(target, spec, UNUSED, condition, 0);
    int lines = 0;
    for (float value : condition) {
      lines += value == -1f ? 1 : 0;
    }
    return lines;
  }

  private static Parameters parameters(Map<String, ?> values) {
    return new Parameters("dataset 'pairs'", values);
  }
}
