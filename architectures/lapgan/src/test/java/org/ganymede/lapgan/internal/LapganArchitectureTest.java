package org.ganymede.lapgan.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.ganymede.api.Architecture;
import org.ganymede.api.DataSpec;
import org.ganymede.api.ModelContext;
import org.ganymede.api.Objective;
import org.ganymede.api.OptimizerSpec;
import org.ganymede.api.ParameterException;
import org.ganymede.api.Parameters;
import org.ganymede.api.Regularizer;
import org.ganymede.nn.StatelessRandom;
import org.ganymede.testing.GanHarness;
import org.ganymede.testing.NonSaturatingLoss;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

class LapganArchitectureTest {
  private static final Map<String, Object> SMALL = Map.of("width", 8, "latent_size", 10);
  private static final int BATCH = 8;

  @Test
  void eachLevelHasTwoObjectivesThatTrainItsOwnNetworksAlone() {
    // 16 px grey, one band above the 8x8 coarsest image.
    long generator8 = (10 * 4 * 4 * 16 + 4 * 4 * 16) // z -> 16x4x4
        + (4 * 4 * 16 * 8 + 8) // upconv -> 8x8x8
        + (25 * 8 + 1); // conv -> 8x8x1, tanh
    long discriminator8 = (25 * 8 + 8) // conv -> 8x8x8
        + (4 * 4 * 8 * 16 + 16) + 2 * 16 // conv -> 4x4x16, batch norm
        + (4 * 4 * 16 + 1); // dense -> logit
    long generator16 = (25 * 2 * 8 + 8) + (25 * 8 * 8 + 8) + (25 * 8 + 1); // (l, noise) -> 8 -> 8 -> h
    long discriminator16 = (25 * 2 * 8 + 8) // (h, l) -> 16x16x8
        + (25 * 8 * 8 + 8) + 2 * 8 // stride 2 -> 8x8x8, batch norm
        + (8 * 8 * 8 + 1); // dense -> logit
    try (GanHarness gan = new GanHarness(new LapganArchitecture(), DataSpec.image(16, 16, 1, 0), BATCH, SMALL, 1)) {
      assertEquals(List.of("discriminator_8", "generator_8", "discriminator_16", "generator_16"),
          gan.model.objectives().stream().map(Objective::name).toList());
      assertEquals(generator8, gan.parameterCount("generator_8"));
      assertEquals(discriminator8, gan.parameterCount("discriminator_8"));
      assertEquals(generator16, gan.parameterCount("generator_16"));
      assertEquals(discriminator16, gan.parameterCount("discriminator_16"));
      Set<Variable<TFloat32>> trained = new HashSet<>();
      for (Objective objective : gan.model.objectives()) {
        for (Variable<TFloat32> v : objective.variables()) {
          assertTrue(trained.add(v), v.op().name() + " is trained by two objectives");
        }
        assertEquals(1, objective.repeats());
        assertEquals(OptimizerSpec.adam(2e-4, 0.5, 0.999), objective.optimizer());
      }
      assertTrue(gan.model.scalars().keySet().containsAll(
          List.of("critic/real_8", "critic/fake_8", "critic/real_16", "critic/fake_16")), gan.model.scalars().toString());
      for (float loss : gan.losses(2)) {
        assertTrue(Float.isFinite(loss), "loss " + loss);
      }
    }
  }

  @Test
  void batchNormGoesIntoTheDiscriminatorsAlone() {
    Map<String, Long> plain = new java.util.LinkedHashMap<>();
    DataSpec data = DataSpec.image(16, 16, 1, 0);
    Map<String, Object> withoutNorm = new java.util.HashMap<>(SMALL);
    withoutNorm.put("batch_norm", false);
    try (GanHarness gan = new GanHarness(new LapganArchitecture(), data, BATCH, withoutNorm, 1)) {
      gan.model.objectives().forEach(o -> plain.put(o.name(), gan.parameterCount(o.name())));
    }
    try (GanHarness gan = new GanHarness(new LapganArchitecture(), data, BATCH, SMALL, 1)) {
      // A scale and a shift for each channel of the discriminators' last convolutions: 16 at 8 px, 8 at 16.
      assertEquals(plain.get("discriminator_8") + 2 * 16, gan.parameterCount("discriminator_8"));
      assertEquals(plain.get("discriminator_16") + 2 * 8, gan.parameterCount("discriminator_16"));
      assertEquals(plain.get("generator_8"), gan.parameterCount("generator_8"));
      assertEquals(plain.get("generator_16"), gan.parameterCount("generator_16"));
    }
  }

  @Test
  void theLatentIsTheCoarsestNoiseThenAPlaneForEachFinerLevel() {
    LapganArchitecture.Built[] built = new LapganArchitecture.Built[1];
    Architecture lapgan = context -> (built[0] = new LapganArchitecture().buildWithLevels(context)).model();
    try (GanHarness gan = new GanHarness(lapgan, DataSpec.image(32, 32, 3, 0), BATCH, Map.of(), 1)) {
      assertEquals(100 + 16 * 16 + 32 * 32, gan.model.latentSize());
      assertEquals(List.of("discriminator_8", "generator_8", "discriminator_16", "generator_16", "discriminator_32",
          "generator_32"), gan.model.objectives().stream().map(Objective::name).toList());
      List<LapganArchitecture.LevelSample> levels = built[0].levelSamples();
      assertEquals(List.of(8, 16, 32), levels.stream().map(LapganArchitecture.LevelSample::side).toList());

      SplittableRandom random = new SplittableRandom(4);
      float[] latent = new float[2 * gan.model.latentSize()];
      for (int i = 0; i < latent.length; i++) {
        latent[i] = (float) (10 * random.nextGaussian()); // far out, so that clipping has work to do
      }
      List<float[]> samples = sample(gan, built[0], latent);
      float[] generated = samples.get(3);
      assertEquals(2 * 32 * 32 * 3, generated.length);
      for (float v : generated) {
        assertTrue(v >= -1 && v <= 1, "out of range: " + v);
      }
      assertArrayEquals(generated, samples.get(2), "the finest level's sample is the generated image");
      assertArrayEquals(generated, sample(gan, built[0], latent).get(3), "the latent alone decides the sample");
      float[] otherSecondRow = latent.clone();
      for (int i = gan.model.latentSize(); i < otherSecondRow.length; i++) {
        otherSecondRow[i] = -otherSecondRow[i];
      }
      int firstImage = generated.length / 2;
      assertArrayEquals(Arrays.copyOf(generated, firstImage), Arrays.copyOf(sample(gan, built[0], otherSecondRow).get(3),
          firstImage), "a sample does not depend on the others of its batch");

      // A change in the finest noise plane changes the finest level only; one in the coarsest noise, all of them.
      float[] finestChanged = latent.clone();
      finestChanged[100 + 256 + 500] += 1;
      List<float[]> fine = sample(gan, built[0], finestChanged);
      assertArrayEquals(samples.get(0), fine.get(0));
      assertArrayEquals(samples.get(1), fine.get(1));
      assertFalse(Arrays.equals(samples.get(2), fine.get(2)));
      float[] middleChanged = latent.clone();
      middleChanged[100 + 100] += 1;
      List<float[]> middle = sample(gan, built[0], middleChanged);
      assertArrayEquals(samples.get(0), middle.get(0));
      assertFalse(Arrays.equals(samples.get(1), middle.get(1)));
      float[] coarsestChanged = latent.clone();
      coarsestChanged[3] += 1;
      assertFalse(Arrays.equals(samples.get(0), sample(gan, built[0], coarsestChanged).get(0)));
    }
  }

  @Test
  void samplingCanStopAfterAnyNumberOfFinerLevels() {
    LapganArchitecture.Built[] built = new LapganArchitecture.Built[1];
    Architecture lapgan = context -> (built[0] = new LapganArchitecture().buildWithLevels(context)).model();
    try (GanHarness gan = new GanHarness(lapgan, DataSpec.image(32, 32, 3, 0), BATCH, SMALL, 1)) {
      assertTrue(gan.model.sampling().hasLevels());
      assertEquals(2, gan.model.sampling().pyramidLevels());
      float[] latent = new float[2 * gan.model.latentSize()];
      SplittableRandom random = new SplittableRandom(6);
      for (int i = 0; i < latent.length; i++) {
        latent[i] = (float) random.nextGaussian();
      }
      List<float[]> samples = sample(gan, built[0], latent);
      for (int levels = 0; levels <= 2; levels++) {
        try (TFloat32 z = TFloat32.tensorOf(Shape.of(2, gan.model.latentSize()), DataBuffers.of(latent));
            TInt32 shown = TInt32.scalarOf(levels);
            Result r = gan.session().runner().feed(gan.model.latent(), z).feed(gan.model.sampling().levels(), shown)
                .fetch(gan.model.generated()).run()) {
          float[] values = new float[samples.get(levels).length];
          ((TFloat32) r.get(0)).copyTo(DataBuffers.of(values, false, false));
          assertArrayEquals(samples.get(levels), values, "the sample after " + levels + " finer levels");
        }
      }
    }
  }

  @Test
  void penaltiesGoOnEveryDiscriminatorThroughItsConditionalCritic() {
    DataSpec data = DataSpec.image(16, 16, 1, 0);
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Placeholder<TFloat32> real = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(data.batchShape(BATCH))));
      Placeholder<TInt64> seed = tf.placeholder(TInt64.class, Placeholder.shape(Shape.of(2)));
      // Penalties that are the critic's mean on what they are handed, to compare with the logged means.
      Regularizer onReal = c -> c.tf().math.mean(c.critic().apply(c.real()), c.tf().constant(new int[] {0, 1}));
      Regularizer onFake = c -> c.tf().math.mean(c.critic().apply(c.fake()), c.tf().constant(new int[] {0, 1}));
      OptimizerSpec faster = OptimizerSpec.adam(1e-3, 0.9, 0.99);
      var model = new LapganArchitecture().build(ModelContext.builder(tf, data, real, BATCH)
          .parameters(new Parameters(LapganArchitecture.OWNER, SMALL))
          .loss(new NonSaturatingLoss())
          .random(new StatelessRandom(tf, seed))
          .regularizers(List.of(
              new ModelContext.SelectedRegularizer("on-real", onReal, Parameters.empty("regularizer 'on-real'")),
              new ModelContext.SelectedRegularizer("on-fake", onFake, Parameters.empty("regularizer 'on-fake'"))))
          .optimizers((name, fallback) -> name.equals("generator_16") ? faster : fallback)
          .criticSteps(3)
          .build());
      List<String> names = List.of("penalty/on-real_8", "critic/real_8", "penalty/on-fake_8", "critic/fake_8",
          "penalty/on-real_16", "critic/real_16", "penalty/on-fake_16", "critic/fake_16");
      List<Operand<TFloat32>> fetched = new ArrayList<>(names.stream().map(model.scalars()::get).toList());
      fetched.add(graph.operation("discriminator_adversarial_loss_16").<TFloat32>output(0));
      fetched.add(model.objectives().get(2).loss());
      float[] batch = new float[BATCH * data.sampleSize()];
      SplittableRandom random = new SplittableRandom(2);
      for (int i = 0; i < batch.length; i++) {
        batch[i] = (float) random.nextDouble(-1, 1);
      }
      float[] values = new float[fetched.size()];
      try (Session session = new Session(graph);
          TFloat32 realBatch = TFloat32.tensorOf(Shape.of(data.batchShape(BATCH)), DataBuffers.of(batch));
          TInt64 step = TInt64.vectorOf(5, 0)) {
        session.initialize();
        Session.Runner runner = session.runner().feed(real, realBatch).feed(seed, step);
        fetched.forEach(runner::fetch);
        try (Result r = runner.run()) {
          for (int i = 0; i < values.length; i++) {
            values[i] = ((TFloat32) r.get(i)).getFloat();
          }
        }
      }
      for (int i = 0; i < names.size(); i += 2) {
        assertEquals(values[i + 1], values[i], 1e-6f, names.get(i) + " against " + names.get(i + 1));
      }
      assertEquals(values[8] + values[4] + values[6], values[9], 1e-5f, "discriminator_16 = adversarial + penalties");
      for (Objective objective : model.objectives()) {
        assertEquals(objective.name().startsWith("discriminator") ? 3 : 1, objective.repeats(), objective.name());
        assertEquals(objective.name().equals("generator_16") ? faster : OptimizerSpec.adam(2e-4, 0.5, 0.999),
            objective.optimizer(), objective.name());
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"levels=2, 4", "coarsest=4, 4", "coarsest=8, 8", "levels=1, 8"})
  void levelsOrTheCoarsestSideSetTheDepth(String parameter, int coarsest) {
    String[] keyValue = parameter.split("=");
    Map<String, Object> parameters = new java.util.HashMap<>(SMALL);
    parameters.put(keyValue[0], Integer.parseInt(keyValue[1]));
    try (GanHarness gan = new GanHarness(new LapganArchitecture(), DataSpec.image(16, 16, 1, 0), BATCH, parameters, 1)) {
      assertEquals("discriminator_" + coarsest, gan.model.objectives().get(0).name());
      assertEquals("generator_16", gan.model.objectives().get(gan.model.objectives().size() - 1).name());
    }
  }

  @Test
  void readsExactlyItsParameters() {
    try (GanHarness gan = new GanHarness(new LapganArchitecture(), DataSpec.image(16, 16, 1, 0), BATCH, SMALL, 1)) {
      assertEquals(Set.of("levels", "coarsest", "latent_size", "width", "batch_norm"),
          gan.parameters.knownKeys());
    }
  }

  @ParameterizedTest(name = "{0}x{1}x{2}")
  @CsvSource({"24, 24, 1", "32, 16, 1", "8, 8, 1", "48, 48, 3"})
  void refusesImagesThatAreNotSquaresOfAPowerOfTwo(int height, int width, int channels) {
    ParameterException e = assertThrows(ParameterException.class, () -> build(DataSpec.image(height, width,
        channels, 0), SMALL));
    assertTrue(e.getMessage().startsWith("architecture 'lapgan' needs square images whose side is a power of two of"
        + " at least 16 px"), e.getMessage());
    assertTrue(e.getMessage().contains(height + "x" + width + "x" + channels), e.getMessage());
  }

  @Test
  void refusesVectors() {
    ParameterException e = assertThrows(ParameterException.class, () -> build(DataSpec.vector(2), SMALL));
    assertTrue(e.getMessage().contains("needs square images") && e.getMessage().endsWith("the data are 2"),
        e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "levels=0|'levels' is 0; allowed: 1 to 2 for images of 16 px",
      "levels=3|'levels' is 3; allowed: 1 to 2 for images of 16 px (each level halves the side, and the coarsest"
          + " image needs at least 4 px)",
      "coarsest=2|'coarsest' is 2; allowed: a power of two from 4 to 8 px for images of 16 px",
      "coarsest=16|'coarsest' is 16; allowed: a power of two from 4 to 8 px",
      "coarsest=6|'coarsest' is 6; allowed: a power of two"})
  void refusesLevelsThatLeaveNoPyramid(String parameter, String message) {
    String[] keyValue = parameter.split("=");
    ParameterException e = assertThrows(ParameterException.class, () -> build(DataSpec.image(16, 16, 1, 0),
        Map.of(keyValue[0], Integer.parseInt(keyValue[1]))));
    assertTrue(e.getMessage().startsWith("architecture 'lapgan': " + message), e.getMessage());
  }

  @Test
  void refusesLevelsAndACoarsestSideThatDisagree() {
    ParameterException e = assertThrows(ParameterException.class, () -> build(DataSpec.image(32, 32, 1, 0),
        Map.of("levels", 1, "coarsest", 8)));
    assertEquals("architecture 'lapgan': 'levels' 1 and 'coarsest' 8 disagree: 1 levels halve images of 32 px down"
        + " to 16 px; give one of them", e.getMessage());
  }

  private static void build(DataSpec data, Map<String, ?> parameters) {
    new GanHarness(new LapganArchitecture(), data, BATCH, parameters, 1).close();
  }

  /** Each level's sample for the latent rows, coarsest first, then the generated images. */
  private static List<float[]> sample(GanHarness gan, LapganArchitecture.Built built, float[] latent) {
    int rows = latent.length / gan.model.latentSize();
    List<float[]> samples = new ArrayList<>();
    try (TFloat32 z = TFloat32.tensorOf(Shape.of(rows, gan.model.latentSize()), DataBuffers.of(latent))) {
      Session.Runner runner = gan.session().runner().feed(gan.model.latent(), z);
      built.levelSamples().forEach(level -> runner.fetch(level.enlarged()));
      runner.fetch(gan.model.generated());
      try (Result r = runner.run()) {
        for (int i = 0; i < r.size(); i++) {
          TFloat32 t = (TFloat32) r.get(i);
          assertArrayEquals(new long[] {rows, 32, 32, 3}, t.shape().asArray());
          float[] values = new float[(int) t.size()];
          t.copyTo(DataBuffers.of(values, false, false));
          samples.add(values);
        }
      }
    }
    return samples;
  }
}
