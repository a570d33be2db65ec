package ${package}.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import org.ganymede.api.DataSpec;
import org.ganymede.api.ParameterException;
import org.ganymede.testing.GanHarness;
import org.junit.jupiter.api.Test;

/** What the architecture builds, checked on a real TensorFlow graph without training it. */
class MlpArchitectureTest {
  private static final long SEED = 7;

  @Test
  void depthAndWidthShapeTheNetworks() {
    // 2-D points get a latent of 4; one hidden layer of 16 units in each network.
    long generator = (4 * 16 + 16) + (16 * 2 + 2);
    long discriminator = (2 * 16 + 16) + (16 + 1);
    try (GanHarness gan = build(DataSpec.vector(2), Map.of("depth", 1, "width", 16))) {
      assertEquals(generator, gan.parameterCount("generator"));
      assertEquals(discriminator, gan.parameterCount("discriminator"));
      assertEquals(Set.of("depth", "width"), gan.parameters.knownKeys());
    }
  }

  @Test
  void generatesImagesInTheirShapeWithinTanhsRange() {
    try (GanHarness gan = build(DataSpec.image(8, 8, 1, 0), Map.of())) {
      GanHarness.Samples samples = gan.generate(3, 1);
      assertArrayEquals(new long[] {3, 8, 8, 1}, samples.shape());
      for (float v : samples.values()) {
        assertTrue(v >= -1 && v <= 1, "out of [-1, 1]: " + v);
      }
    }
  }

  @Test
  void rejectsADepthOutOfRange() {
    ParameterException e = assertThrows(ParameterException.class, () -> build(DataSpec.vector(2), Map.of("depth", 0)));
    assertTrue(e.getMessage().contains("'depth' is 0; allowed: 1 to 16"), e.getMessage());
  }

  private static GanHarness build(DataSpec data, Map<String, ?> parameters) {
    return new GanHarness(new MlpArchitecture(), data, 4, parameters, SEED);
  }
}
