package org.ganymede.biggan.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ganymede.api.DataSpec;
import org.ganymede.api.ParameterException;
import org.ganymede.testing.GanHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Shapes, sizes and the parameters BigGAN refuses. */
class BigganArchitectureTest {
  /** A network small enough to run in a test: widths 16 (G) and 8 (D) at 32 px. */
  static final Map<String, Object> TINY = Map.of("channels", 4, "latent_size", 8, "embedding_size", 6);

  @ParameterizedTest(name = "{0} px, {1} channels")
  @CsvSource({"32, 1", "32, 3", "64, 3"})
  void generatesImagesOfTheDataShapeAndFiniteLosses(int size, int channels) {
    Map<String, Object> values = new HashMap<>(TINY);
    values.put("channels", size == 64 ? 2 : 4);
    values.put("latent_size", size == 64 ? 10 : 8);
    try (GanHarness gan = new GanHarness(new BigganArchitecture(), DataSpec.image(size, size, channels, 10), 4,
        values, 1)) {
      assertTrue(gan.condition.used(), "BigGAN reads the labels");
      assertTrue(gan.model.sampling().truncates());
      assertEquals(List.of("discriminator", "generator"), gan.model.objectives().stream().map(o -> o.name()).toList());
      GanHarness.Samples samples = gan.generate(3, 7, new int[] {0, 4, 9});
      assertArrayEquals(new long[] {3, size, size, channels}, samples.shape());
      for (float v : samples.values()) {
        assertTrue(Float.isFinite(v) && Math.abs(v) <= 1, "sample value " + v);
      }
      for (float loss : gan.losses(1)) {
        assertTrue(Float.isFinite(loss), "loss " + loss);
      }
    }
  }

  @Test
  void parameterCountOfATinyConfigurationAsCountedByHand() {
    int classes = 10;
    try (GanHarness gan = new GanHarness(new BigganArchitecture(), DataSpec.image(32, 32, 1, classes), 4, TINY, 1)) {
      // Generator, 32 px, channels 4: every block 16 wide; z of 8 in 4 chunks of 2; conditions 6 + 2.
      int width = 16;
      int condition = 6 + 2;
      long embedding = classes * 6;
      long dense = 2 * (4 * 4 * width) + 4 * 4 * width;
      long conv3 = 3 * 3 * width * width + width;
      long cbn = 2 * condition * width;
      long shortcut = width * width + width;
      long block = cbn + conv3 + cbn + conv3 + shortcut;
      long attention = width * (width / 8) * 2 + width * (width / 2) + (width / 2) * width + 1;
      long output = 2 * width + 3 * 3 * width * 1 + 1;
      assertEquals(embedding + dense + 3 * block + attention + output, gan.parameterCount("generator"));
      assertEquals(17_598, gan.parameterCount("generator"));

      // Discriminator, 32 px, channels 4: four blocks 8 wide, attention after the first (16x16).
      int d = 8;
      long first = (3 * 3 * 1 * d + d) + (3 * 3 * d * d + d) + (1 * d + d);
      long dConv3 = 3 * 3 * d * d + d;
      long down = 2 * dConv3 + (d * d + d);
      long plain = 2 * dConv3;
      long dAttention = d * 1 * 2 + d * (d / 2) + (d / 2) * d + 1;
      long heads = (d + 1) + classes * d;
      assertEquals(first + down + 2 * plain + dAttention + heads, gan.parameterCount("discriminator"));
      assertEquals(4_426, gan.parameterCount("discriminator"));
    }
  }

  @Test
  void defaultsFollowStudioGansCifarConfigurationNarrowed() {
    try (GanHarness gan = new GanHarness(new BigganArchitecture(), DataSpec.image(32, 32, 3, 10), 4, Map.of(), 1)) {
      assertEquals(80, gan.model.latentSize());
      assertTrue(gan.parameters.unknownKeys().isEmpty());
      assertEquals(
          List.of("attention_resolution", "channels", "ema_beta", "embedding_size", "latent_size", "orthogonal"),
          List.copyOf(gan.parameters.knownKeys()));
      assertEquals(BigganArchitecture.DEFAULT_OPTIMIZER, gan.objective("generator").optimizer());
      assertEquals(2e-4, BigganArchitecture.DEFAULT_OPTIMIZER.learningRate());
      assertEquals(0.5, BigganArchitecture.DEFAULT_OPTIMIZER.beta1());
      assertEquals(0.999, BigganArchitecture.DEFAULT_OPTIMIZER.beta2());
      System.out.printf("biggan defaults at 32x32x3, 10 classes: generator %d, discriminator %d parameters%n",
          gan.parameterCount("generator"), gan.parameterCount("discriminator"));
    }
  }

  @Test
  void unlabelledDataAreRefusedWithTheReason() {
    ParameterException e = assertThrows(ParameterException.class, () -> new GanHarness(new BigganArchitecture(),
        DataSpec.image(32, 32, 3, 0), 4, TINY, 1));
    assertTrue(e.getMessage().contains("architecture 'under test' is conditioned on class labels"), e.getMessage());
  }

  @ParameterizedTest(name = "{0}x{1}x{2}")
  @CsvSource({"28, 28, 1", "128, 128, 3", "32, 64, 3", "32, 32, 2"})
  void rejectsImagesOfOtherSizesNamingTheAllowedOnes(int height, int width, int channels) {
    ParameterException e = assertThrows(ParameterException.class, () -> new GanHarness(new BigganArchitecture(),
        DataSpec.image(height, width, channels, 10), 4, TINY, 1));
    assertTrue(e.getMessage().contains("square images of 32 or 64 px with 1 or 3 channels"), e.getMessage());
  }

  @Test
  void latentSizeMustSplitIntoTheChunks() {
    Map<String, Object> values = new HashMap<>(TINY);
    values.put("latent_size", 81);
    ParameterException e = assertThrows(ParameterException.class, () -> new GanHarness(new BigganArchitecture(),
        DataSpec.image(32, 32, 1, 10), 4, values, 1));
    assertTrue(e.getMessage().contains("'latent_size' is 81; at 32 px it must be divisible by 4"), e.getMessage());
    assertTrue(e.getMessage().contains("80 or 84"), e.getMessage());
    values.put("latent_size", 84);
    e = assertThrows(ParameterException.class, () -> new GanHarness(new BigganArchitecture(),
        DataSpec.image(64, 64, 1, 10), 4, values, 1));
    assertTrue(e.getMessage().contains("at 64 px it must be divisible by 5"), e.getMessage());
    assertTrue(e.getMessage().contains("80 or 85"), e.getMessage());
  }

  @Test
  void attentionGoesWhereBothNetworksHaveFeatureMaps() {
    Map<String, Object> values = new HashMap<>(TINY);
    values.put("attention_resolution", 32);
    ParameterException e = assertThrows(ParameterException.class, () -> new GanHarness(new BigganArchitecture(),
        DataSpec.image(32, 32, 1, 10), 4, values, 1));
    assertTrue(e.getMessage().contains("'attention_resolution' is 32; allowed at 32 px: 0 (none), 8, 16"),
        e.getMessage());
    values.put("attention_resolution", 0);
    try (GanHarness gan = new GanHarness(new BigganArchitecture(), DataSpec.image(32, 32, 1, 10), 4, values, 1)) {
      assertEquals(17_598 - 321, gan.parameterCount("generator"), "no attention: no gamma and no 1x1 convolutions");
    }
  }
}
