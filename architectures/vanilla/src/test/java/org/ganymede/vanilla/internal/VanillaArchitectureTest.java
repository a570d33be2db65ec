package org.ganymede.vanilla.internal;

import org.ganymede.testing.GanHarness;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import org.ganymede.api.DataSpec;
import org.ganymede.nn.MlpLayout;
import org.ganymede.api.ParameterException;
import org.junit.jupiter.api.Test;

class VanillaArchitectureTest {
  private static final long SEED = 7;

  @Test
  void generatesFlattenedImagesBackInTheirShapeThroughTanh() {
    try (GanHarness gan = build(DataSpec.image(28, 28, 1, 10), Map.of())) {
      GanHarness.Samples samples = gan.generate(3, 1);
      assertArrayEquals(new long[] {3, 28, 28, 1}, samples.shape());
      for (float v : samples.values()) {
        assertTrue(v >= -1 && v <= 1, "tanh output out of range: " + v);
      }
      for (float loss : gan.losses(1)) {
        assertTrue(Float.isFinite(loss), "loss " + loss);
      }
    }
  }

  @Test
  void generatesVectorsThroughALinearLayer() {
    try (GanHarness gan = build(DataSpec.vector(2), Map.of())) {
      GanHarness.Samples samples = gan.generate(500, 1);
      assertArrayEquals(new long[] {500, 2}, samples.shape());
      float largest = 0;
      for (float v : samples.values()) {
        largest = Math.max(largest, Math.abs(v));
      }
      assertTrue(largest > 1, "a linear output is not bounded by 1, yet the largest value is " + largest);
    }
  }

  @Test
  void defaultNetworksHaveTheClosedFormParameterCount() {
    // Latent 4 for 2-D points, three hidden layers of 128.
    long generator = (4 * 128 + 128) + 2 * (128 * 128 + 128) + (128 * 2 + 2);
    long discriminator = (2 * 128 + 128) + 2 * (128 * 128 + 128) + (128 + 1);
    try (GanHarness gan = build(DataSpec.vector(2), Map.of())) {
      assertEquals(generator, gan.parameterCount("generator"));
      assertEquals(discriminator, gan.parameterCount("discriminator"));
    }
  }

  @Test
  void depthWidthAndLatentSizeShapeTheNetworks() {
    long generator = (10 * 32 + 32) + (32 * 784 + 784);
    long discriminator = (784 * 32 + 32) + (32 + 1);
    try (GanHarness gan = build(DataSpec.image(28, 28, 1, 0), Map.of("depth", 1, "width", 32, "latent_size", 10))) {
      assertEquals(generator, gan.parameterCount("generator"));
      assertEquals(discriminator, gan.parameterCount("discriminator"));
      assertEquals(10, gan.model.latentSize());
    }
  }

  @Test
  void latentSizeDefaultsFollowTheData() {
    assertEquals(4, MlpLayout.Shape.defaultLatentSize(DataSpec.vector(2)));
    assertEquals(100, MlpLayout.Shape.defaultLatentSize(DataSpec.vector(64)));
    assertEquals(100, MlpLayout.Shape.defaultLatentSize(DataSpec.image(28, 28, 1, 0)));
  }

  @Test
  void readsExactlyItsParameters() {
    try (GanHarness gan = build(DataSpec.vector(2), Map.of("width", 16))) {
      assertEquals(Set.of("depth", "latent_size", "spectral_norm", "width", "generator_norm", "maxout_pieces", "packing",
          "minibatch_kernels", "minibatch_kernel_size", "minibatch_stddev"), gan.parameters.knownKeys());
    }
  }

  @Test
  void rejectsADepthBelowOne() {
    ParameterException e =
        assertThrows(ParameterException.class, () -> build(DataSpec.vector(2), Map.of("depth", 0)).close());
    assertTrue(e.getMessage().contains("'depth' is 0; allowed: 1 to"), e.getMessage());
  }

  private static GanHarness build(DataSpec data, Map<String, ?> parameters) {
    return new GanHarness(new VanillaArchitecture(), data, 4, parameters, SEED);
  }
}
