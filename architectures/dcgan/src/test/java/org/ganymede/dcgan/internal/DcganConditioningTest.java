package org.ganymede.dcgan.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.ganymede.api.DataSpec;
import org.ganymede.api.Objective;
import org.ganymede.api.ParameterException;
import org.ganymede.testing.AdamTrainer;
import org.ganymede.testing.GanHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/** DCGAN's class-conditional forms: each reads the labels, trains every variable and makes the asked class. */
class DcganConditioningTest {
  private static final DataSpec LABELLED = DataSpec.image(28, 28, 1, 10);
  private static final int BATCH = 4;

  @ParameterizedTest(name = "conditioning {0}")
  @ValueSource(strings = {"concat", "projection", "acgan"})
  void everyVariableOfBothObjectivesTrainsAndTheClassChangesTheSample(String conditioning) {
    Map<String, Object> small = Map.of("base_width", 8, "latent_size", 10, "conditioning", conditioning,
        "spectral_norm", true);
    try (GanHarness gan = new GanHarness(new DcganArchitecture(), LABELLED, BATCH, small, 3)) {
      assertTrue(gan.condition.used(), "the architecture read the labels");
      AdamTrainer trainer = new AdamTrainer(gan);
      Map<Variable<TFloat32>, float[]> before = new LinkedHashMap<>();
      for (Objective objective : gan.model.objectives()) {
        objective.variables().forEach(v -> before.put(v, gan.read(v)));
      }
      SplittableRandom random = new SplittableRandom(5);
      trainer.stepLabelled(() -> new AdamTrainer.LabelledBatch(gan.uniformRealBatch(random),
          random.ints(BATCH, 0, 10).toArray()));
      before.forEach((variable, value) ->
          assertFalse(Arrays.equals(value, gan.read(variable)), variable.op().name() + " did not move"));

      GanHarness.Samples sneakers = gan.generate(2, 9, new int[] {7, 7});
      GanHarness.Samples bags = gan.generate(2, 9, new int[] {8, 8});
      assertArrayEquals(new long[] {2, 28, 28, 1}, sneakers.shape());
      assertFalse(Arrays.equals(sneakers.values(), bags.values()), "the same latents in two classes look alike");
    }
  }

  @Test
  void theAuxiliaryClassifierLogsItsAccuracyAndLoss() {
    Map<String, Object> acgan = Map.of("base_width", 8, "latent_size", 10, "conditioning", "acgan",
        "class_weight", 0.5);
    try (GanHarness gan = new GanHarness(new DcganArchitecture(), LABELLED, BATCH, acgan, 3)) {
      assertTrue(gan.model.scalars().keySet().containsAll(
          java.util.List.of("class/accuracy_real", "class/loss_real", "class/loss_fake")), gan.model.scalars().keySet().toString());
      for (float loss : gan.losses(2)) {
        assertTrue(Float.isFinite(loss));
      }
    }
  }

  @Test
  void theUnconditionalFormIgnoresTheLabels() {
    try (GanHarness gan = new GanHarness(new DcganArchitecture(), LABELLED, BATCH, Map.of("base_width", 8), 3)) {
      assertFalse(gan.condition.used());
      assertEquals(4, gan.generate(4, 1).shape()[0]);
    }
  }

  @Test
  void conditioningOnUnlabelledDataIsRefusedWithTheReason() {
    ParameterException e = assertThrows(ParameterException.class, () -> new GanHarness(new DcganArchitecture(),
        DataSpec.image(28, 28, 1, 0), BATCH, Map.of("base_width", 8, "conditioning", "projection"), 3));
    assertTrue(e.getMessage().contains("conditioning projection is conditioned on class labels"), e.getMessage());
    e = assertThrows(ParameterException.class, () -> new GanHarness(new DcganArchitecture(), LABELLED, BATCH,
        Map.of("conditioning", "film"), 3));
    assertTrue(e.getMessage().contains("allowed: none, concat, projection, acgan"), e.getMessage());
  }
}
