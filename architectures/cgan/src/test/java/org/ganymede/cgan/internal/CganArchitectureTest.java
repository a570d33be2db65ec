package org.ganymede.cgan.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.ganymede.api.DataSpec;
import org.ganymede.api.ParameterException;
import org.ganymede.testing.GanHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CganArchitectureTest {
  private static final long SEED = 42;
  private static final DataSpec POINTS = new DataSpec(new int[] {2}, 8);

  @Test
  void mlpGeneratesVectorsOfTheClassesAskedFor() {
    try (GanHarness gan = build(POINTS, Map.of())) {
      GanHarness.Samples samples = gan.generate(5, 1, new int[] {0, 1, 2, 3, 7});
      assertArrayEquals(new long[] {5, 2}, samples.shape());
      for (float loss : gan.losses(1)) {
        assertTrue(Float.isFinite(loss), "loss " + loss);
      }
    }
  }

  @Test
  void mlpIsTheDefaultForImagesConvIsNotBuiltFor() {
    try (GanHarness gan = build(DataSpec.image(16, 16, 1, 10), Map.of("depth", 1, "width", 16))) {
      GanHarness.Samples samples = gan.generate(2, 1, new int[] {3, 5});
      assertArrayEquals(new long[] {2, 16, 16, 1}, samples.shape());
      for (float v : samples.values()) {
        assertTrue(v >= -1 && v <= 1, "tanh output out of range: " + v);
      }
      for (float loss : gan.losses(1)) {
        assertTrue(Float.isFinite(loss), "loss " + loss);
      }
    }
  }

  @ParameterizedTest(name = "{0} px, {1} channels")
  @CsvSource({"28, 1", "32, 3"})
  void convIsTheDefaultForImagesAndGeneratesTheirShape(int size, int channels) {
    try (GanHarness gan = build(DataSpec.image(size, size, channels, 10), Map.of())) {
      GanHarness.Samples samples = gan.generate(3, 7, new int[] {0, 4, 9});
      assertArrayEquals(new long[] {3, size, size, channels}, samples.shape());
      for (float v : samples.values()) {
        assertTrue(v >= -1 && v <= 1, "tanh output out of range: " + v);
      }
      // The discriminator takes real and generated images with their class maps.
      for (float loss : gan.losses(1)) {
        assertTrue(Float.isFinite(loss), "loss " + loss);
      }
      assertEquals(Set.of("base_width", "embedding_size", "form", "label", "latent_size", "spectral_norm"), gan.parameters.knownKeys());
    }
  }

  @Test
  void mlpLabelVectorsWidenTheFirstLayersAndEmbeddingsAddTheirTables() {
    // 8 classes, latent 4, one hidden layer of 16; 2-D points.
    Map<String, Object> small = Map.of("depth", 1, "width", 16, "latent_size", 4);
    try (GanHarness gan = build(POINTS, with(small, "label", "embedding", "embedding_size", 3))) {
      assertEquals(8 * 3 + ((4 + 3) * 16 + 16) + (16 * 2 + 2), gan.parameterCount("generator"));
      assertEquals(8 * 3 + ((2 + 3) * 16 + 16) + (16 + 1), gan.parameterCount("discriminator"));
    }
    try (GanHarness gan = build(POINTS, with(small, "label", "one-hot"))) {
      assertEquals(((4 + 8) * 16 + 16) + (16 * 2 + 2), gan.parameterCount("generator"));
      assertEquals(((2 + 8) * 16 + 16) + (16 + 1), gan.parameterCount("discriminator"));
    }
  }

  @Test
  void convLabelVectorsWidenTheDenseInputAndTheImageChannels() {
    // 28 px grey, 10 classes, base 8, z 10: dense -> 16x7x7, BN, upconv -> 8x14x14, BN, upconv -> 1x28x28;
    // conv -> 8x14x14, conv -> 16x7x7, BN, dense 784 -> 1.
    Map<String, Object> small = Map.of("base_width", 8, "latent_size", 10);
    long generatorBody = 784 + 2 * 16 + (4 * 4 * 16 * 8 + 8) + 2 * 8 + (4 * 4 * 8 + 1);
    long discriminatorBody = 8 + (4 * 4 * 8 * 16 + 16) + 2 * 16 + (784 + 1);
    DataSpec digits = DataSpec.image(28, 28, 1, 10);
    try (GanHarness gan = build(digits, with(small, "label", "embedding", "embedding_size", 3))) {
      assertEquals(10 * 3 + (10 + 3) * 784 + generatorBody, gan.parameterCount("generator"));
      assertEquals(10 * 3 + 4 * 4 * (1 + 3) * 8 + discriminatorBody, gan.parameterCount("discriminator"));
    }
    try (GanHarness gan = build(digits, with(small, "label", "one-hot"))) {
      assertEquals((10 + 10) * 784 + generatorBody, gan.parameterCount("generator"));
      assertEquals(4 * 4 * (1 + 10) * 8 + discriminatorBody, gan.parameterCount("discriminator"));
    }
  }

  @Test
  void readsTheParametersOfItsFormAndLabel() {
    try (GanHarness gan = build(POINTS, Map.of())) {
      assertEquals(Set.of("depth", "embedding_size", "form", "label", "latent_size", "spectral_norm", "width"),
          gan.parameters.knownKeys());
      assertEquals(4, gan.model.latentSize());
    }
    try (GanHarness gan = build(DataSpec.image(28, 28, 1, 10), Map.of("label", "one-hot", "base_width", 4))) {
      assertEquals(Set.of("base_width", "form", "label", "latent_size", "spectral_norm"), gan.parameters.knownKeys());
    }
  }

  @Test
  void rejectsConvOnVectors() {
    ParameterException e = assertThrows(ParameterException.class, () -> build(POINTS, Map.of("form", "conv")).close());
    assertTrue(e.getMessage().contains("form 'conv' needs square images of 28, 32 or 64 px with 1 or 3 channels"),
        e.getMessage());
    assertTrue(e.getMessage().contains("the data are 2 (8 classes)"), e.getMessage());
  }

  @Test
  void rejectsAnUnknownForm() {
    ParameterException e =
        assertThrows(ParameterException.class, () -> build(POINTS, Map.of("form", "resnet")).close());
    assertTrue(e.getMessage().contains("'form' is 'resnet'; allowed: mlp, conv"), e.getMessage());
  }

  @Test
  void rejectsAnUnknownLabel() {
    ParameterException e =
        assertThrows(ParameterException.class, () -> build(POINTS, Map.of("label", "onehot")).close());
    assertTrue(e.getMessage().contains("'label' is 'onehot'; allowed: embedding, one-hot"), e.getMessage());
  }

  @Test
  void rejectsUnlabelledData() {
    ParameterException e = assertThrows(ParameterException.class, () -> build(DataSpec.vector(2), Map.of()).close());
    assertTrue(e.getMessage().contains("conditioned on class labels"), e.getMessage());
  }

  private static GanHarness build(DataSpec data, Map<String, ?> parameters) {
    return new GanHarness(new CganArchitecture(), data, 2, parameters, SEED);
  }

  private static Map<String, Object> with(Map<String, Object> base, Object... keysAndValues) {
    Map<String, Object> all = new HashMap<>(base);
    for (int i = 0; i < keysAndValues.length; i += 2) {
      all.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return all;
  }
}
