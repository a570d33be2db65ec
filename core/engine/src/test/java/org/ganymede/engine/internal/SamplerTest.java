package org.ganymede.engine.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.ganymede.api.ExperimentRunner.SampleOptions;
import org.ganymede.api.ParameterException;
import org.ganymede.api.SamplingControls;
import org.junit.jupiter.api.Test;

/** What the sample options may ask, and the latents of strips; no model is built. */
class SamplerTest {
  private static final Path OUT = Path.of("out.png");

  @Test
  void rejectsOptionsThatAskForNothingDrawable() {
    assertRejected(new SampleOptions(8, 1, Double.NaN, List.of(), List.of(), 0, OUT), "--truncation must be a finite");
    assertRejected(new SampleOptions(8, 1, Double.POSITIVE_INFINITY, List.of(), List.of(), 0, OUT),
        "--truncation must be a finite");
    assertRejected(new SampleOptions(8, 1, 1, List.of(1L, 2L), List.of(3L, 4L), 8, OUT),
        "--mix and --interpolate draw different strips");
    assertRejected(new SampleOptions(8, 1, 1, List.of(1L, 2L, 3L), List.of(), 8, OUT),
        "--mix takes exactly two seeds, SEED_A SEED_B; got 3");
    assertRejected(new SampleOptions(8, 1, 1, List.of(), List.of(1L), 8, OUT),
        "--interpolate takes exactly two seeds, SEED_A SEED_B; got 1");
    assertRejected(new SampleOptions(8, 1, 1, List.of(), List.of(1L, 2L), 1, OUT), "--frames must be at least 2");
    assertRejected(SampleOptions.grid(0, 1, OUT), "--count must be at least 1, was 0");
    // A strip does not read the grid's count, nor a grid the strip's frames.
    Sampler.check(new SampleOptions(0, 1, 1, List.of(), List.of(1L, 2L), 2, OUT));
    Sampler.check(new SampleOptions(0, 1, 0.5, List.of(1L, 2L), List.of(), 0, OUT));
    Sampler.check(SampleOptions.grid(4, 1, OUT));
  }

  @Test
  void truncationAndMixingNeedAnArchitectureThatOffersThem() {
    SampleOptions truncated = new SampleOptions(8, 1, 0.7, List.of(), List.of(), 0, OUT);
    ParameterException e = assertThrows(ParameterException.class,
        () -> Sampler.checkControls(truncated, SamplingControls.NONE, "dcgan"));
    assertEquals("architecture 'dcgan' has no average style to truncate towards; --truncation works with"
        + " architectures that offer it, such as stylegan", e.getMessage());
    SampleOptions mixed = new SampleOptions(8, 1, 1, List.of(1L, 2L), List.of(), 0, OUT);
    e = assertThrows(ParameterException.class, () -> Sampler.checkControls(mixed, SamplingControls.NONE, "dcgan"));
    assertTrue(e.getMessage().startsWith("architecture 'dcgan' has no style inputs to mix"), e.getMessage());
    // Interpolation and plain grids need no controls.
    SampleOptions interpolated = new SampleOptions(8, 1, 1, List.of(), List.of(1L, 2L), 4, OUT);
    Sampler.checkControls(interpolated, SamplingControls.NONE, "dcgan");
    Sampler.checkControls(SampleOptions.grid(4, 1, OUT), SamplingControls.NONE, "dcgan");
    e = assertThrows(ParameterException.class,
        () -> Sampler.checkControls(SampleOptions.grid(4, 1, OUT).withLevels(), SamplingControls.NONE, "dcgan"));
    assertEquals("architecture 'dcgan' has no pyramid of levels; --levels works with pyramid generators, such as"
        + " lapgan", e.getMessage());
  }

  @Test
  void aSphericalPathRunsFromTheFirstSeedsLatentToTheSecondsAlongTheSphere() {
    float[] a = Latents.ofSeed(64, 3);
    float[] b = Latents.ofSeed(64, 5);
    assertArrayEquals(Latents.normal(4, 64, 3)[0], a, "a seed's latent is the first of its grid");
    float[][] path = Latents.sphericalPath(a, b, 5);
    assertEquals(5, path.length);
    assertArrayEquals(a, path[0]);
    assertArrayEquals(b, path[4]);
    // Between two points of the unit sphere: on the sphere, at even angles.
    float[] unitA = unit(a);
    float[] unitB = unit(b);
    double total = angle(unitA, unitB);
    float[][] arc = Latents.sphericalPath(unitA, unitB, 5);
    for (int i = 1; i < 4; i++) {
      assertEquals(1, Math.sqrt(dot(arc[i], arc[i])), 1e-5, "frame " + i + "'s norm");
      assertEquals(total * i / 4, angle(unitA, arc[i]), 1e-5, "frame " + i);
      assertEquals(total * (4 - i) / 4, angle(arc[i], unitB), 1e-5, "frame " + i);
    }
    // Parallel latents: a straight line.
    float[] twice = new float[a.length];
    for (int j = 0; j < a.length; j++) {
      twice[j] = 2 * a[j];
    }
    float[][] line = Latents.sphericalPath(a, twice, 3);
    for (int j = 0; j < a.length; j++) {
      assertEquals(1.5f * a[j], line[1][j], 1e-6f);
    }
  }

  private static float[] unit(float[] x) {
    double norm = Math.sqrt(dot(x, x));
    float[] u = new float[x.length];
    for (int j = 0; j < x.length; j++) {
      u[j] = (float) (x[j] / norm);
    }
    return u;
  }

  private static double dot(float[] x, float[] y) {
    double sum = 0;
    for (int j = 0; j < x.length; j++) {
      sum += (double) x[j] * y[j];
    }
    return sum;
  }

  private static double angle(float[] x, float[] y) {
    return Math.acos(Math.min(1, dot(x, y) / Math.sqrt(dot(x, x) * dot(y, y))));
  }

  private static void assertRejected(SampleOptions options, String message) {
    ParameterException e = assertThrows(ParameterException.class, () -> Sampler.check(options));
    assertTrue(e.getMessage().startsWith(message), e.getMessage());
  }
}
