package org.ganymede.datasets.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import org.ganymede.api.DataSpec;
import org.ganymede.api.Dataset;
import org.ganymede.api.DatasetProvider;
import org.ganymede.api.ParameterException;
import org.ganymede.api.Parameters;
import org.junit.jupiter.api.Test;

class GaussianMixtureTest {
  private static final int SIZE = 20_000;

  @Test
  void defaults() {
    Dataset ring = new RingProvider().open(Parameters.empty("dataset 'ring'"), 1);
    assertEquals(100_000, ring.size());
    assertEquals(new DataSpec(new int[] {2}, 8), ring.spec());
    assertEquals("ring of 8 Gaussians, radius 2.0, stddev 0.02: 100000 points from seed 1", ring.describe());

    Dataset grid = new GridProvider().open(Parameters.empty("dataset 'grid'"), 1);
    assertEquals(new DataSpec(new int[] {2}, 25), grid.spec());
    assertEquals("grid of 25 Gaussians, spacing 2, stddev 0.05: 100000 points from seed 1", grid.describe());
  }

  @Test
  void theSeedDecidesThePoints() {
    Parameters parameters = new Parameters("dataset 'ring'", Map.of("size", 1000));
    assertArrayEquals(points(new RingProvider().open(parameters, 42)), points(new RingProvider().open(parameters, 42)));
    assertFalse(Arrays.equals(points(new RingProvider().open(parameters, 42)), points(new RingProvider().open(parameters, 43))));
  }

  @Test
  void ringPointsLieNearTheirModeAndEveryModeIsUsedAlike() {
    Parameters parameters = new Parameters("dataset 'ring'", Map.of("size", SIZE, "radius", 3, "stddev", 0.1));
    Dataset ring = new RingProvider().open(parameters, 7);
    parameters.rejectUnknownKeys();
    assertNearModesAndBalanced(ring, GaussianMixture.ring(3, 0.1));
    assertArrayEquals(new double[] {0, 3}, GaussianMixture.ring(3, 0.1).means()[2], 1e-12);
  }

  @Test
  void gridPointsLieNearTheirModeAndEveryModeIsUsedAlike() {
    Parameters parameters = new Parameters("dataset 'grid'", Map.of("size", SIZE));
    Dataset grid = new GridProvider().open(parameters, 7);
    parameters.rejectUnknownKeys();
    assertNearModesAndBalanced(grid, GaussianMixture.grid(0.05));
    assertArrayEquals(new double[] {-4, -4}, GaussianMixture.grid(0.05).means()[0]);
    assertArrayEquals(new double[] {4, 4}, GaussianMixture.grid(0.05).means()[24]);
  }

  @Test
  void badParametersNameWhatIsAllowed() {
    assertRejected(new RingProvider(), Map.of("stddev", -0.1), "dataset 'test': 'stddev' is -0.1; it must be a positive number");
    assertRejected(new RingProvider(), Map.of("radius", 0), "dataset 'test': 'radius' is 0.0; it must be a positive number");
    assertRejected(new GridProvider(), Map.of("size", 0), "dataset 'test': 'size' is 0; allowed: 1 to 10000000");
  }

  private static void assertRejected(DatasetProvider provider, Map<String, ?> values, String message) {
    ParameterException e = assertThrows(ParameterException.class, () -> provider.open(new Parameters("dataset 'test'", values), 0));
    assertEquals(message, e.getMessage());
  }

  /** Every point within 5 stddev of its mode's mean, and each mode's share within 10% of uniform. */
  private static void assertNearModesAndBalanced(Dataset dataset, GaussianMixture mixture) {
    double[][] means = mixture.means();
    int[] perMode = new int[means.length];
    float[] point = new float[2];
    for (int i = 0; i < dataset.size(); i++) {
      dataset.read(i, point, 0);
      int mode = dataset.label(i);
      double distance = Math.hypot(point[0] - means[mode][0], point[1] - means[mode][1]);
      assertTrue(distance <= 5 * mixture.stddev(), "point " + i + " lies " + distance + " from mode " + mode);
      perMode[mode]++;
    }
    double expected = (double) dataset.size() / means.length;
    for (int mode = 0; mode < means.length; mode++) {
      assertEquals(expected, perMode[mode], 0.1 * expected, "points of mode " + mode + ": " + Arrays.toString(perMode));
    }
  }

  private static float[] points(Dataset dataset) {
    float[] points = new float[2 * dataset.size()];
    for (int i = 0; i < dataset.size(); i++) {
      dataset.read(i, points, 2 * i);
    }
    return points;
  }
}
