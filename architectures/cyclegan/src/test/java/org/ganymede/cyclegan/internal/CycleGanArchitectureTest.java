package org.ganymede.cyclegan.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import javax.xml.parsers.DocumentBuilderFactory;
import org.ganymede.api.DataSpec;
import org.ganymede.api.GanModel;
import org.ganymede.api.Objective;
import org.ganymede.api.ParameterException;
import org.ganymede.api.Plugins;
import org.ganymede.testing.AdamTrainer;
import org.ganymede.testing.GanHarness;
import org.ganymede.testing.LeastSquaresLoss;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TInt32;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class CycleGanArchitectureTest {
  /** Networks small enough to build and run in a test. */
  static final Map<String, Object> TINY = Map.of("ngf", 4, "ndf", 4, "blocks", 1);
  private static final DataSpec GREY_32 = DataSpec.image(32, 32, 1, 0);
  private static final DataSpec RGB_32 = DataSpec.image(32, 32, 3, 0);
  private static final int BATCH = 2;

  @ParameterizedTest(name = "{0} generator")
  @ValueSource(strings = {"resnet", "unet"})
  void translatesBothWaysBetweenDomainsOfDifferentChannels(String generator) {
    Map<String, Object> values = with(TINY, "lambda_identity", 0);
    values.put("generator", generator);
    if (generator.equals("unet")) {
      values.remove("blocks");
    }
    try (GanHarness gan = twoDomains(GREY_32, RGB_32, values)) {
      assertFalse(gan.model.samples());
      assertEquals(List.of("a2b", "b2a"), gan.model.translations().stream().map(GanModel.Translation::name).toList());
      assertEquals("translate_a", gan.model.translations().get(0).input().op().name());
      assertEquals("translate_b", gan.model.translations().get(1).input().op().name());
      assertEquals("translation_a2b", gan.model.translations().get(0).output().op().name());
      assertEquals("reconstruction_b2a", gan.model.translations().get(1).reconstruction().op().name());

      GanHarness.Translated a2b = gan.translate("a2b", images(3, GREY_32));
      assertArrayEquals(new long[] {3, 32, 32, 3}, a2b.output().shape());
      assertArrayEquals(new long[] {3, 32, 32, 1}, a2b.reconstruction().shape());
      GanHarness.Translated b2a = gan.translate("b2a", images(1, RGB_32));
      assertArrayEquals(new long[] {1, 32, 32, 1}, b2a.output().shape());
      assertArrayEquals(new long[] {1, 32, 32, 3}, b2a.reconstruction().shape());
      for (float v : a2b.output().values()) {
        assertTrue(v >= -1 && v <= 1, "tanh output out of range: " + v);
      }
      for (float loss : gan.losses(1)) {
        assertTrue(Float.isFinite(loss), "loss " + loss);
      }
    }
  }

  @Test
  void generatorsObjectiveTrainsBothGeneratorsAndEachDiscriminatorItsOwn() {
    Map<String, Object> values = with(TINY, "lambda_identity", 0);
    try (GanHarness gan = twoDomains(GREY_32, RGB_32, values)) {
      assertEquals(List.of(CycleGanArchitecture.GENERATORS, CycleGanArchitecture.DISCRIMINATOR_A,
          CycleGanArchitecture.DISCRIMINATOR_B), gan.model.objectives().stream().map(Objective::name).toList());
      long generators;
      long judgeA;
      long judgeB;
      try (Graph g = new Graph()) {
        Ops tf = Ops.create(g);
        generators = CycleGanNetworks.resnetGenerator(tf, 1, 32, 1, 3, 4, 1).parameterCount()
            + CycleGanNetworks.resnetGenerator(tf, 1, 32, 3, 1, 4, 1).parameterCount();
        judgeA = CycleGanNetworks.patchDiscriminator(tf, 1, 1, 4, 3).parameterCount();
        judgeB = CycleGanNetworks.patchDiscriminator(tf, 1, 3, 4, 3).parameterCount();
      }
      assertEquals(generators, gan.parameterCount(CycleGanArchitecture.GENERATORS));
      assertEquals(judgeA, gan.parameterCount(CycleGanArchitecture.DISCRIMINATOR_A));
      assertEquals(judgeB, gan.parameterCount(CycleGanArchitecture.DISCRIMINATOR_B));
      for (Objective o : gan.model.objectives()) {
        assertEquals(CycleGanArchitecture.DEFAULT_OPTIMIZER, o.optimizer(), o.name());
        assertEquals(1, o.repeats(), o.name());
      }
    }
  }

  @Test
  void logsCycleIdentityAdversarialAndCriticScalars() {
    try (GanHarness gan = twoDomains(GREY_32, GREY_32, TINY)) {
      assertEquals(Set.of("cycle/a", "cycle/b", "identity/a", "identity/b", "adversarial/a2b", "adversarial/b2a",
          "critic/real_a", "critic/fake_a", "critic/real_b", "critic/fake_b"), gan.model.scalars().keySet());
      SplittableRandom random = new SplittableRandom(3);
      Map<String, Float> scalars =
          gan.scalars(gan.uniformRealBatch(random), gan.uniformSecondBatch(random), 1);
      scalars.forEach((name, value) -> assertTrue(Float.isFinite(value), name + " is " + value));
      // Untrained generators give outputs near 0 for inputs spread over [-1, 1].
      assertTrue(scalars.get("cycle/a") > 0.2, "cycle/a " + scalars.get("cycle/a"));
    }
    try (GanHarness gan = twoDomains(GREY_32, GREY_32, with(TINY, "lambda_identity", 0))) {
      assertFalse(gan.model.scalars().containsKey("identity/a"));
    }
  }

  /**
   * The pools move when, and only when, their discriminator's objective runs: not when the
   * scalars are logged, nor when the generators train.
   */
  @Test
  void eachPoolMovesOnlyWhenItsDiscriminatorTrains() {
    try (GanHarness gan = twoDomains(GREY_32, GREY_32, with(TINY, "pool_size", 4))) {
      SplittableRandom random = new SplittableRandom(3);
      float[] a = gan.uniformRealBatch(random);
      float[] b = gan.uniformSecondBatch(random);
      gan.scalars(a, b, 1);
      gan.evaluate(gan.objective(CycleGanArchitecture.GENERATORS).loss(), a, b, 1);
      assertEquals(0, poolCount(gan, "a"));
      assertEquals(0, poolCount(gan, "b"));
      gan.evaluate(gan.objective(CycleGanArchitecture.DISCRIMINATOR_A).loss(), a, b, 1);
      assertEquals(BATCH, poolCount(gan, "a"));
      assertEquals(0, poolCount(gan, "b"));
      gan.evaluate(gan.objective(CycleGanArchitecture.DISCRIMINATOR_B).loss(), a, b, 2);
      gan.evaluate(gan.objective(CycleGanArchitecture.DISCRIMINATOR_B).loss(), a, b, 3);
      assertEquals(BATCH, poolCount(gan, "a"));
      assertEquals(2 * BATCH, poolCount(gan, "b"));
    }
  }

  @Test
  void aTrainingStepMovesEachPoolOnce() {
    try (GanHarness gan = twoDomains(GREY_32, GREY_32, with(TINY, "pool_size", 8))) {
      AdamTrainer trainer = new AdamTrainer(gan);
      SplittableRandom random = new SplittableRandom(3);
      trainer.step(() -> gan.uniformRealBatch(random), () -> gan.uniformSecondBatch(random));
      assertEquals(BATCH, poolCount(gan, "a"));
      assertEquals(BATCH, poolCount(gan, "b"));
    }
  }

  @Test
  void zeroPoolSizeJudgesTheFreshFakes() {
    try (GanHarness gan = twoDomains(GREY_32, GREY_32, with(TINY, "pool_size", 0))) {
      assertThrows(IllegalArgumentException.class, () -> gan.session().runner().fetch("image_pool_a_count"));
      for (float loss : gan.losses(1)) {
        assertTrue(Float.isFinite(loss), "loss " + loss);
      }
    }
  }

  @Test
  void readsExactlyItsParameters() {
    try (GanHarness gan = twoDomains(GREY_32, GREY_32, Map.of())) {
      assertTrue(gan.parameters.unknownKeys().isEmpty());
      assertEquals(Set.of("generator", "blocks", "ngf", "ndf", "discriminator_layers", "lambda_cycle",
          "lambda_identity", "pool_size"), gan.parameters.knownKeys());
    }
  }

  @Test
  void isDeclaredAsAServiceWhoseDefaultLossIsLeastSquares() throws Exception {
    String className = CycleGanArchitecture.class.getName();
    try (InputStream in = getClass().getClassLoader().getResourceAsStream("OSGI-INF/" + className + ".xml")) {
      Element component = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in).getDocumentElement();
      Map<String, String> properties = new HashMap<>();
      NodeList nodes = component.getElementsByTagName("property");
      for (int i = 0; i < nodes.getLength(); i++) {
        Element property = (Element) nodes.item(i);
        properties.put(property.getAttribute("name"), property.getAttribute("value"));
      }
      assertEquals("cyclegan", properties.get(Plugins.NAME));
      assertEquals("least-squares", properties.get(Plugins.DEFAULT_LOSS));
      assertTrue(properties.get(Plugins.DESCRIPTION).startsWith("CycleGAN"));
    }
  }

  // Bad input ------------------------------------------------------------------------------------

  @Test
  void rejectsDataOfOneDomain() {
    ParameterException e = assertThrows(ParameterException.class,
        () -> new GanHarness(new CycleGanArchitecture(), GREY_32, BATCH, TINY, 1).close());
    assertTrue(e.getMessage().contains("translates between two domains"), e.getMessage());
  }

  @Test
  void rejectsDomainsOfDifferentSidesNamingBoth() {
    ParameterException e = assertThrows(ParameterException.class,
        () -> twoDomains(GREY_32, DataSpec.image(64, 64, 1, 0), TINY).close());
    assertTrue(e.getMessage().contains("same size; A is 32x32x1, B is 64x64x1"), e.getMessage());
  }

  @Test
  void rejectsTheIdentityLossBetweenDomainsOfDifferentChannels() {
    ParameterException e = assertThrows(ParameterException.class, () -> twoDomains(GREY_32, RGB_32, TINY).close());
    assertTrue(e.getMessage().contains("A has 1 channel(s), B 3; set lambda_identity: 0"), e.getMessage());
  }

  @Test
  void rejectsAnUnknownGenerator() {
    ParameterException e = assertThrows(ParameterException.class,
        () -> twoDomains(GREY_32, GREY_32, with(TINY, "generator", "densenet")).close());
    assertTrue(e.getMessage().contains("'generator' is 'densenet'; allowed: resnet, unet"), e.getMessage());
  }

  @Test
  void rejectsBlocksForTheUnet() {
    ParameterException e = assertThrows(ParameterException.class,
        () -> twoDomains(GREY_32, GREY_32, with(TINY, "generator", "unet")).close());
    assertTrue(e.getMessage().contains("the unet generator has none"), e.getMessage());
  }

  @Test
  void rejectsSizesTheNetworksCannotTake() {
    DataSpec grey16 = DataSpec.image(16, 16, 1, 0);
    Map<String, Object> unet = new HashMap<>(Map.of("generator", "unet"));
    ParameterException e = assertThrows(ParameterException.class, () -> twoDomains(grey16, grey16, unet).close());
    assertTrue(e.getMessage().contains("power of two of at least 32 px; the images are 16 px"), e.getMessage());
    e = assertThrows(ParameterException.class, () -> twoDomains(grey16, grey16, TINY).close());
    assertTrue(e.getMessage().contains("'discriminator_layers' is 3, which leaves no patch to judge at 16 px;"
        + " allowed: 1 to 2"), e.getMessage());
    DataSpec grey30 = DataSpec.image(30, 30, 1, 0);
    e = assertThrows(ParameterException.class, () -> twoDomains(grey30, grey30, TINY).close());
    assertTrue(e.getMessage().contains("divisible by 4; the images are 30 px"), e.getMessage());
    e = assertThrows(ParameterException.class,
        () -> twoDomains(DataSpec.image(32, 16, 1, 0), DataSpec.image(32, 16, 1, 0), TINY).close());
    assertTrue(e.getMessage().contains("needs square images"), e.getMessage());
    e = assertThrows(ParameterException.class, () -> twoDomains(DataSpec.vector(2), DataSpec.vector(2), TINY).close());
    assertTrue(e.getMessage().contains("translates images"), e.getMessage());
  }

  // ---------------------------------------------------------------------------------------------

  private static GanHarness twoDomains(DataSpec a, DataSpec b, Map<String, ?> values) {
    return GanHarness.twoDomains(new CycleGanArchitecture(), a, b, BATCH, new LeastSquaresLoss(), values, 1);
  }

  private static Map<String, Object> with(Map<String, Object> values, String key, Object value) {
    Map<String, Object> copy = new HashMap<>(values);
    copy.put(key, value);
    return copy;
  }

  private static float[] images(int count, DataSpec data) {
    SplittableRandom random = new SplittableRandom(count);
    float[] values = new float[count * data.sampleSize()];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) random.nextDouble(-1, 1);
    }
    return values;
  }

  private static int poolCount(GanHarness gan, String domain) {
    try (Result r = gan.session().runner().fetch("image_pool_" + domain + "_count").run()) {
      return ((TInt32) r.get(0)).getInt();
    }
  }
}
