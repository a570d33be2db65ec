package org.ganymede.dcgan.internal;

import org.ganymede.testing.AdamTrainer;
import org.ganymede.testing.GanHarness;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.ganymede.api.DataSpec;
import org.ganymede.api.Objective;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/** The engine's kind of optimizer can train every variable of both objectives. */
class DcganTrainingTest {
  @ParameterizedTest(name = "critic_norm {0}")
  @ValueSource(strings = {"batch", "layer", "none"})
  void oneAdamStepMovesEveryVariable(String criticNorm) {
    Map<String, Object> small = Map.of("base_width", 8, "latent_size", 10, "critic_norm", criticNorm);
    try (GanHarness gan = new GanHarness(new DcganArchitecture(), DataSpec.image(28, 28, 1, 0), 4, small, 3)) {
      AdamTrainer trainer = new AdamTrainer(gan);
      Map<Variable<TFloat32>, float[]> before = new LinkedHashMap<>();
      for (Objective objective : gan.model.objectives()) {
        objective.variables().forEach(v -> before.put(v, gan.read(v)));
      }
      SplittableRandom random = new SplittableRandom(5);
      trainer.step(() -> gan.uniformRealBatch(random));
      before.forEach((variable, value) ->
          assertFalse(Arrays.equals(value, gan.read(variable)), variable.op().name() + " did not move"));
    }
  }
}
