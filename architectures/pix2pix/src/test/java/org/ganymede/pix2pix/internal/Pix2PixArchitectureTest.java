package org.ganymede.pix2pix.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;
import org.ganymede.api.Condition;
import org.ganymede.api.DataSpec;
import org.ganymede.api.GanModel;
import org.ganymede.api.ModelContext;
import org.ganymede.api.ParameterException;
import org.ganymede.api.Parameters;
import org.ganymede.nn.StatelessRandom;
import org.ganymede.testing.NonSaturatingLoss;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

class Pix2PixArchitectureTest {
  private static final DataSpec TARGET = DataSpec.image(32, 32, 1, 0);
  private static final int BATCH = 4;

  /** pix2pix built in a fresh graph as the engine builds it, on pairs of the given condition. */
  private static final class Built implements AutoCloseable {
    final Graph graph = new Graph();
    final Ops tf = Ops.create(graph);
    final Placeholder<TFloat32> sampling;
    final Placeholder<TInt64> seed;
    final GanModel model;
    final Session session;

    Built(DataSpec condition, String kind, Map<String, ?> parameters) {
      Placeholder<TFloat32> real = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(TARGET.batchShape(BATCH))));
      Placeholder<TFloat32> realConditions = tf.placeholder(TFloat32.class,
          Placeholder.shape(Shape.of(condition.batchShape(BATCH))));
      sampling = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(condition.batchShape(-1))));
      seed = tf.placeholder(TInt64.class, Placeholder.shape(Shape.of(2)));
      Condition.Images images = new Condition.Images(condition, kind, realConditions, sampling);
      try {
        model = new Pix2PixArchitecture().build(ModelContext.builder(tf, TARGET, real, BATCH)
            .parameters(new Parameters(Pix2PixArchitecture.OWNER, parameters))
            .loss(new NonSaturatingLoss())
            .random(new StatelessRandom(tf, seed))
            .condition(Condition.of(null, "the test's pairs carry no labels", images, null))
            .build());
      } catch (RuntimeException e) {
        graph.close();
        throw e;
      }
      session = new Session(graph);
      session.initialize();
    }

    float[] generate(float[] conditions, DataSpec condition, long noise) {
      int n = conditions.length / condition.sampleSize();
      try (TFloat32 x = TFloat32.tensorOf(Shape.of(condition.batchShape(n)), DataBuffers.of(conditions));
          TInt64 s = TInt64.vectorOf(noise, 0);
          Result r = session.runner().feed(sampling, x).feed(seed, s).fetch(model.generated()).run()) {
        float[] values = new float[(int) r.get(0).shape().size()];
        ((TFloat32) r.get(0)).copyTo(DataBuffers.of(values, false, false));
        return values;
      }
    }

    @Override
    public void close() {
      session.close();
      graph.close();
    }
  }

  private static final Map<String, Object> SMALL = Map.of("ngf", 4, "ndf", 4);

  @Test
  void inpaintingKeepsTheKnownPixelsExactly() {
    DataSpec masked = DataSpec.image(32, 32, 2, 0);
    SplittableRandom random = new SplittableRandom(7);
    float[] conditions = new float[3 * masked.sampleSize()];
    int known = 0;
    for (int p = 0; p < conditions.length / 2; p++) {
      boolean isKnown = random.nextBoolean();
      conditions[2 * p] = isKnown ? (float) random.nextDouble(-1, 1) : 0;
      conditions[2 * p + 1] = isKnown ? 1 : 0;
      known += isKnown ? 1 : 0;
    }
    try (Built pix2pix = new Built(masked, Condition.Images.MASKED, SMALL)) {
      float[] output = pix2pix.generate(conditions, masked, 1);
      assertEquals(conditions.length / 2, output.length);
      int filled = 0;
      for (int p = 0; p < output.length; p++) {
        if (conditions[2 * p + 1] == 1) {
          assertEquals(conditions[2 * p], output[p], 0f, "known pixel " + p);
        } else {
          filled += output[p] != 0 ? 1 : 0;
        }
      }
      assertTrue(known > 1000 && filled > 1000, "known " + known + ", filled " + filled);
    }
  }

  @Test
  void dropoutIsTheNoiseOfItsSamples() {
    DataSpec edges = DataSpec.image(32, 32, 1, 0);
    float[] conditions = new float[2 * edges.sampleSize()];
    java.util.Arrays.fill(conditions, 0.5f);
    try (Built pix2pix = new Built(edges, Condition.Images.PAIRED, SMALL)) {
      assertArrayEquals(pix2pix.generate(conditions, edges, 1), pix2pix.generate(conditions, edges, 1));
      assertFalse(java.util.Arrays.equals(pix2pix.generate(conditions, edges, 1), pix2pix.generate(conditions, edges, 2)));
    }
    try (Built deterministic = new Built(edges, Condition.Images.PAIRED, Map.of("ngf", 4, "ndf", 4, "dropout", 0))) {
      assertArrayEquals(deterministic.generate(conditions, edges, 1), deterministic.generate(conditions, edges, 2));
    }
  }

  @Test
  void theDiscriminatorJudgesConditionAndImageTogether() {
    try (Built pix2pix = new Built(DataSpec.image(32, 32, 3, 0), Condition.Images.PAIRED, SMALL)) {
      var discriminator = pix2pix.model.objectives().get(0);
      assertEquals("discriminator", discriminator.name());
      // The first convolution's filter reads the condition's 3 channels and the image's 1.
      assertArrayEquals(new long[] {4, 4, 4, 4}, discriminator.variables().get(0).shape().asArray());
      assertTrue(pix2pix.model.scalars().containsKey("l1"));
    }
  }

  @Test
  void conditionsThatDoNotFitAreRefusedWithWhatFits() {
    ParameterException low = assertThrows(ParameterException.class,
        () -> new Built(DataSpec.image(8, 8, 1, 0), Condition.Images.LOW_RESOLUTION, SMALL));
    assertTrue(low.getMessage().contains("srgan"), low.getMessage());
    ParameterException channels = assertThrows(ParameterException.class,
        () -> new Built(DataSpec.image(32, 32, 3, 0), Condition.Images.MASKED, SMALL));
    assertTrue(channels.getMessage().contains("2 channels"), channels.getMessage());
    ParameterException keep = assertThrows(ParameterException.class,
        () -> new Built(DataSpec.image(32, 32, 1, 0), Condition.Images.PAIRED, Map.of("keep_known", true)));
    assertTrue(keep.getMessage().contains("inpainting"), keep.getMessage());
  }
}
