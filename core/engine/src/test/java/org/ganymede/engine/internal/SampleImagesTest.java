package org.ganymede.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import org.ganymede.api.DataSpec;
import org.junit.jupiter.api.Test;

class SampleImagesTest {
  @Test
  void anEnlargedGridRepeatsEveryPixel() {
    DataSpec spec = DataSpec.image(3, 2, 1, 0);
    float[][] samples = {{-1, -0.5f, 0, 0.25f, 0.5f, 1}, {1, 0.5f, 0.25f, 0, -0.5f, -1}};
    BufferedImage grid = SampleImages.grid(samples, spec, 2);
    BufferedImage large = SampleImages.enlarged(grid, 3);
    assertEquals(grid.getWidth() * 3, large.getWidth());
    assertEquals(grid.getHeight() * 3, large.getHeight());
    assertEquals(BufferedImage.TYPE_BYTE_GRAY, large.getType());
    for (int y = 0; y < large.getHeight(); y++) {
      for (int x = 0; x < large.getWidth(); x++) {
        assertEquals(grid.getRaster().getSample(x / 3, y / 3, 0), large.getRaster().getSample(x, y, 0), x + "," + y);
      }
    }
    assertEquals(SampleImages.toByte(0.25f), grid.getRaster().getSample(2 + 1, 2 + 1, 0), "first sample, row 1, column 1");
  }

  @Test
  void theScatterPlotPutsPointsWhereTheAxesSay() {
    float[][] ring = new float[64][];
    for (int i = 0; i < ring.length; i++) {
      double angle = 2 * Math.PI * i / ring.length;
      ring[i] = new float[] {(float) Math.cos(angle), (float) Math.sin(angle)};
    }
    assertRedOnlyIn(SampleImages.scatter(new float[][] {{0.9f, 0.9f}, {1f, 1f}}, ring), true, true);
    assertRedOnlyIn(SampleImages.scatter(new float[][] {{-0.9f, -0.9f}, {-1f, -1f}}, ring), false, false);
    // Generated points on the real ones are drawn over them: a generator on the modes is seen there.
    assertRedOnlyIn(SampleImages.scatter(new float[][] {ring[8].clone()}, ring), true, true);
  }

  /** Generated points are drawn red: all of them in the named half of the plot above the legend, across and up. */
  private static void assertRedOnlyIn(BufferedImage plot, boolean right, boolean top) {
    int red = 0;
    for (int y = 0; y < plot.getHeight() - 40; y++) {
      for (int x = 0; x < plot.getWidth(); x++) {
        int rgb = plot.getRGB(x, y);
        if (((rgb >> 16) & 255) > 150 && ((rgb >> 8) & 255) < 90 && (rgb & 255) < 90) {
          red++;
          assertEquals(right, x > plot.getWidth() / 2, "red at x " + x);
          assertEquals(top, y < plot.getHeight() / 2, "red at y " + y);
        }
      }
    }
    assertTrue(red > 0, "the generated points are drawn");
  }
}
