package org.ganymede.dcgan.internal;

import org.ganymede.testing.GanHarness;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import org.ganymede.api.DataSpec;
import org.ganymede.api.ParameterException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DcganArchitectureTest {
  private static final long SEED = 42;

  @ParameterizedTest(name = "{0} px, {1} channels")
  @CsvSource({"28, 1", "28, 3", "32, 1", "32, 3", "64, 1", "64, 3"})
  void generatesImagesOfTheDataShape(int size, int channels) {
    try (GanHarness gan = build(DataSpec.image(size, size, channels, 0), Map.of())) {
      GanHarness.Samples samples = gan.generate(3, 7);
      assertArrayEquals(new long[] {3, size, size, channels}, samples.shape());
      for (float v : samples.values()) {
        assertTrue(v >= -1 && v <= 1, "tanh output out of range: " + v);
      }
      // The discriminator accepts real images of that shape and both losses are defined.
      for (float loss : gan.losses(1)) {
        assertTrue(Float.isFinite(loss), "loss " + loss);
      }
    }
  }

  @ParameterizedTest(name = "{0} channels")
  @ValueSource(ints = {1, 3})
  void benchmarkNetworkHasTheClosedFormParameterCount(int c) {
    long generator =
        (100 * 4096 + 4096) // dense z100 -> 256x4x4
            + 2 * 256 // batch norm
            + (4 * 4 * 256 * 128 + 128) // upconv -> 128x8x8
            + 2 * 128
            + (4 * 4 * 128 * 64 + 64) // upconv -> 64x16x16
            + 2 * 64
            + (4 * 4 * 64 * c + c); // upconv -> Cx32x32
    long discriminator =
        (4 * 4 * c * 64 + 64) // conv -> 64x16x16, no norm
            + (4 * 4 * 64 * 128 + 128) // conv -> 128x8x8
            + 2 * 128 // batch norm
            + (4 * 4 * 128 * 256 + 256) // conv -> 256x4x4
            + 2 * 256
            + (4096 + 1); // dense -> 1 logit
    try (GanHarness gan = build(DataSpec.image(32, 32, c, 0), Map.of())) {
      assertEquals(generator, gan.parameterCount("generator"));
      assertEquals(discriminator, gan.parameterCount("discriminator"));
      assertEquals(100, gan.model.latentSize());
    }
  }

  @Test
  void layerNormKeepsTheNormParametersAndNoneDropsThem() {
    long normParameters = 2 * 128 + 2 * 256;
    long withBatchNorm;
    try (GanHarness gan = build(DataSpec.image(32, 32, 3, 0), Map.of())) {
      withBatchNorm = gan.parameterCount("discriminator");
    }
    try (GanHarness gan = build(DataSpec.image(32, 32, 3, 0), Map.of("critic_norm", "layer"))) {
      assertEquals(withBatchNorm, gan.parameterCount("discriminator"));
    }
    try (GanHarness gan = build(DataSpec.image(32, 32, 3, 0), Map.of("critic_norm", "none"))) {
      assertEquals(withBatchNorm - normParameters, gan.parameterCount("discriminator"));
    }
  }

  @Test
  void baseWidthAndLatentSizeShapeTheNetworks() {
    // 28 px, base 8, z 10: dense 10 -> 16x7x7, BN, upconv -> 8x14x14, BN, upconv -> 1x28x28.
    long generator = (10 * 784 + 784) + 2 * 16 + (4 * 4 * 16 * 8 + 8) + 2 * 8 + (4 * 4 * 8 + 1);
    // conv 1 -> 8x14x14, conv -> 16x7x7, BN, dense 784 -> 1.
    long discriminator = (4 * 4 * 8 + 8) + (4 * 4 * 8 * 16 + 16) + 2 * 16 + (784 + 1);
    try (GanHarness gan = build(DataSpec.image(28, 28, 1, 10), Map.of("base_width", 8, "latent_size", 10))) {
      assertEquals(generator, gan.parameterCount("generator"));
      assertEquals(discriminator, gan.parameterCount("discriminator"));
      assertEquals(10, gan.model.latentSize());
    }
  }

  @Test
  void readsExactlyItsParameters() {
    try (GanHarness gan = build(DataSpec.image(32, 32, 3, 0), Map.of("base_width", 8))) {
      assertEquals(Set.of("base_width", "critic_norm", "latent_size", "spectral_norm", "conditioning", "packing",
          "minibatch_kernels", "minibatch_kernel_size", "minibatch_stddev"), gan.parameters.knownKeys());
    }
  }

  @Test
  void theRunSeedDecidesTheInitialWeights() {
    Map<String, Integer> small = Map.of("base_width", 4);
    DataSpec data = DataSpec.image(28, 28, 1, 0);
    float[] first;
    try (GanHarness gan = new GanHarness(new DcganArchitecture(), data, 2, small, 1)) {
      first = gan.generate(2, 3).values();
    }
    try (GanHarness again = new GanHarness(new DcganArchitecture(), data, 2, small, 1);
        GanHarness other = new GanHarness(new DcganArchitecture(), data, 2, small, 2)) {
      assertArrayEquals(first, again.generate(2, 3).values());
      assertNotEquals(first[0], other.generate(2, 3).values()[0]);
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"30, 30, 1", "32, 32, 2", "32, 16, 3", "64, 64, 4"})
  void rejectsImagesItIsNotBuiltFor(int height, int width, int channels) {
    ParameterException e = assertThrows(ParameterException.class,
        () -> build(DataSpec.image(height, width, channels, 0), Map.of()).close());
    assertTrue(e.getMessage().contains("28, 32 or 64 px with 1 or 3 channels"), e.getMessage());
    assertTrue(e.getMessage().contains(height + "x" + width + "x" + channels), e.getMessage());
  }

  @Test
  void rejectsVectors() {
    ParameterException e =
        assertThrows(ParameterException.class, () -> build(DataSpec.vector(2), Map.of()).close());
    assertTrue(e.getMessage().contains("square images of 28, 32 or 64 px"), e.getMessage());
  }

  @Test
  void rejectsAnUnknownCriticNorm() {
    ParameterException e = assertThrows(ParameterException.class,
        () -> build(DataSpec.image(32, 32, 3, 0), Map.of("critic_norm", "spectral")).close());
    assertTrue(e.getMessage().contains("allowed: batch, layer, none"), e.getMessage());
  }

  private static GanHarness build(DataSpec data, Map<String, ?> parameters) {
    return new GanHarness(new DcganArchitecture(), data, 2, parameters, SEED);
  }
}
