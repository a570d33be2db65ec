package org.ganymede.stylegan.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ganymede.api.DataSpec;
import org.ganymede.api.OptimizerSpec;
import org.ganymede.api.Parameters;
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
          List.of("channel_base", "channels", "ema_beta", "latent_size", "mapping_layers", "mixing",
              "path_length_interval", "path_length_weight", "r1_gamma", "r1_interval", "style_size", "w_avg_beta"),
          List.copyOf(gan.parameters.knownKeys()));
    }
  }

  @Test
  void theChannelBaseNarrowsTheHighResolutions() {
    StyleganConfig byDefault = StyleganConfig.of(DataSpec.image(256, 256, 3, 0),
        new Parameters("test", Map.of("channels", 128)));
    assertEquals(List.of(128, 128, 128, 128, 128, 64, 32), widths(byDefault, 256));
    StyleganConfig narrow = StyleganConfig.of(DataSpec.image(32, 32, 1, 0),
        new Parameters("test", Map.of("channels", 128, "channel_base", 512)));
    assertEquals(List.of(128, 64, 32, 16), widths(narrow, 32));
  }

  private static List<Integer> widths(StyleganConfig config, int size) {
    List<Integer> widths = new ArrayList<>();
    for (int r = 4; r <= size; r *= 2) {
      widths.add(config.width(r));
    }
    return widths;
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

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"ema_beta", "w_avg_beta"})
  void rejectsAMovingAverageThatKeepsAllOfItself(String key) {
    Map<String, Object> values = new HashMap<>(TINY);
    values.put(key, 1);
    ParameterException e = assertThrows(ParameterException.class, () -> new GanHarness(new StyleganArchitecture(),
        DataSpec.image(32, 32, 1, 0), 4, values, 1).close());
    assertTrue(e.getMessage().contains("'" + key + "' is 1.0; allowed: 0 to less than 1"), e.getMessage());
  }

  /**
   * FreezeD's layers: the discriminator's from the image in (fromRGB, a residual block per halving
   * from 32 to 4, the 4x4 conv, two dense), the generator's mapping layers; together they hold every
   * discriminator variable once.
   */
  @Test
  void theNetworksNameTheirLayersForFreezing() {
    Map<String, Object> values = new HashMap<>(TINY);
    values.put("mapping_layers", 3);
    try (GanHarness gan = new GanHarness(new StyleganArchitecture(), DataSpec.image(32, 32, 1, 0), 4, values, 1)) {
      var discriminator = gan.model.layers().get("discriminator");
      assertEquals(1 + 3 + 1 + 2, discriminator.size());
      var critic = gan.model.objectives().stream().filter(o -> o.name().equals("discriminator")).findFirst()
          .orElseThrow().variables();
      assertEquals(critic, discriminator.stream().flatMap(List::stream).toList());
      assertEquals(3, gan.model.layers().get("generator").size());
      assertEquals(List.of("eq_dense_kernel", "eq_dense_bias"),
          gan.model.layers().get("generator").get(0).stream().map(v -> v.op().name()).toList(), "a dense layer");
    }
  }

  @Test
  void zeroGammaDropsTheR1Objective() {
    Map<String, Object> values = new HashMap<>(TINY);
    values.put("r1_gamma", 0);
    try (GanHarness gan = new GanHarness(new StyleganArchitecture(), DataSpec.image(32, 32, 1, 0), 4, values, 1)) {
      assertEquals(List.of("discriminator", "generator"),
          gan.model.objectives().stream().map(o -> o.name()).toList());
    }
  }

  @Test
  void networksWithALazyRegulariserGetStyleGan2sAdjustedAdam() {
    Map<String, Object> values = new HashMap<>(TINY);
    values.put("path_length_weight", 2);
    values.put("path_length_interval", 3);
    try (GanHarness gan = new GanHarness(new StyleganArchitecture(), DataSpec.image(32, 32, 1, 0), 4, values, 1)) {
      // R1 every 16 steps: c = 16/17; path length every 3: c = 3/4.
      for (String discriminator : List.of("discriminator", StyleganArchitecture.R1)) {
        assertAdam(gan.objective(discriminator).optimizer(), 0.002 * 16 / 17, 0, Math.pow(0.99, 16.0 / 17));
      }
      for (String generator : List.of("generator", StyleganArchitecture.PATH_LENGTH)) {
        assertAdam(gan.objective(generator).optimizer(), 0.002 * 3 / 4, 0, Math.pow(0.99, 3.0 / 4));
      }
    }
    values.put("path_length_weight", 0);
    values.put("r1_gamma", 0);
    try (GanHarness gan = new GanHarness(new StyleganArchitecture(), DataSpec.image(32, 32, 1, 0), 4, values, 1)) {
      for (String name : List.of("discriminator", "generator")) {
        assertEquals(StyleganArchitecture.DEFAULT_OPTIMIZER, gan.objective(name).optimizer(), name);
      }
    }
  }

  private static void assertAdam(OptimizerSpec spec, double learningRate, double beta1, double beta2) {
    assertEquals("adam", spec.type());
    assertEquals(learningRate, spec.learningRate(), 1e-12);
    assertEquals(beta1, spec.beta1(), 1e-12);
    assertEquals(beta2, spec.beta2(), 1e-12);
    assertEquals(1e-8, spec.epsilon(), 1e-20);
  }
}
