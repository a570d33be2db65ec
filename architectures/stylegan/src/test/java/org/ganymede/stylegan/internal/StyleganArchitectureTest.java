package org.ganymede.stylegan.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.ganymede.api.DataSpec;
import org.ganymede.api.ParameterException;
import org.ganymede.testing.GanHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class StyleganArchitectureTest {
  /** A network small enough to run in a test. */
  static final Map<String, Object> TINY = Map.of("channels", 16, "style_size", 32, "latent_size", 32, "mapping_layers", 2);

  @ParameterizedTest(name = "{0} channels")
  @ValueSource(ints = {1, 3})
  void generatesImagesOfTheDataShapeAndFiniteLosses(int channels) {
    try (GanHarness gan = new GanHarness(new StyleganArchitecture(), DataSpec.image(32, 32, channels, 0), 4, TINY, 1)) {
      GanHarness.Samples samples = gan.generate(3, 7);
      assertArrayEquals(new long[] {3, 32, 32, channels}, samples.shape());
      double spread = 0;
      for (float v : samples.values()) {
        assertTrue(Float.isFinite(v), "sample value " + v);
        spread += Math.abs(v - samples.values()[0]);
      }
      assertTrue(spread > 0, "the samples are constant");
      assertEquals(List.of("discriminator", StyleganArchitecture.R1, "generator"),
          gan.model.objectives().stream().map(o -> o.name()).toList());
      for (float loss : gan.losses(1)) {
        assertTrue(Float.isFinite(loss), "loss " + loss);
      }
    }
  }

  @Test
  void defaultsAtThirtyTwoPixels() {
    try (GanHarness gan = new GanHarness(new StyleganArchitecture(), DataSpec.image(32, 32, 3, 0), 4, Map.of(), 1)) {
      assertEquals(128, gan.model.latentSize());
      assertTrue(gan.parameters.unknownKeys().isEmpty());
      assertEquals(
          List.of("channels", "ema_beta", "latent_size", "mapping_layers", "mixing", "r1_gamma", "r1_interval",
              "style_size"),
          List.copyOf(gan.parameters.knownKeys()));
    }
  }

  @ParameterizedTest(name = "{0}x{1}x{2}")
  @CsvSource({"28, 28, 1", "48, 48, 3", "16, 16, 1", "512, 512, 3", "32, 64, 3", "32, 32, 2"})
  void rejectsImagesOfOtherSizesNamingTheAllowedOnes(int height, int width, int channels) {
    ParameterException e = assertThrows(ParameterException.class, () -> new GanHarness(new StyleganArchitecture(),
        DataSpec.image(height, width, channels, 0), 4, TINY, 1).close());
    assertTrue(e.getMessage().contains("32, 64, 128 or 256 px with 1 or 3 channels"), e.getMessage());
  }

  @Test
  void rejectsAMappingNetworkWithoutLayers() {
    ParameterException e = assertThrows(ParameterException.class, () -> new GanHarness(new StyleganArchitecture(),
        DataSpec.image(32, 32, 1, 0), 4, Map.of("mapping_layers", 0), 1).close());
    assertTrue(e.getMessage().contains("'mapping_layers' is 0"), e.getMessage());
  }

  @Test
  void zeroGammaDropsTheR1Objective() {
    Map<String, Object> values = new java.util.HashMap<>(TINY);
    values.put("r1_gamma", 0);
    try (GanHarness gan = new GanHarness(new StyleganArchitecture(), DataSpec.image(32, 32, 1, 0), 4, values, 1)) {
      assertEquals(List.of("discriminator", "generator"),
          gan.model.objectives().stream().map(o -> o.name()).toList());
    }
  }
}
