package org.ganymede.cgan.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.ganymede.api.DataSpec;
import org.ganymede.api.Objective;
import org.ganymede.testing.AdamTrainer;
import org.ganymede.testing.GanHarness;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/** The engine's kind of optimizer can train every variable of both objectives, embeddings included. */
class CganTrainingTest {
  private static final int BATCH = 4;

  @ParameterizedTest(name = "form {0}, label {1}, spectral norm {2}")
  @CsvSource({"mlp, embedding, false", "mlp, one-hot, true", "conv, embedding, true", "conv, one-hot, false"})
  void oneAdamStepMovesEveryVariable(String form, String label, boolean spectral) {
    DataSpec data = form.equals("conv") ? DataSpec.image(28, 28, 1, 10) : new DataSpec(new int[] {2}, 8);
    Map<String, Object> small = form.equals("conv")
        ? Map.of("form", form, "label", label, "base_width", 8, "latent_size", 10, "spectral_norm", spectral)
        : Map.of("form", form, "label", label, "width", 16, "spectral_norm", spectral);
    try (GanHarness gan = new GanHarness(new CganArchitecture(), data, BATCH, small, 3)) {
      AdamTrainer trainer = new AdamTrainer(gan);
      Map<Variable<TFloat32>, float[]> before = new LinkedHashMap<>();
      for (Objective objective : gan.model.objectives()) {
        objective.variables().forEach(v -> before.put(v, gan.read(v)));
      }
      SplittableRandom random = new SplittableRandom(5);
      trainer.stepLabelled(() -> new AdamTrainer.LabelledBatch(
          gan.uniformRealBatch(random), random.ints(BATCH, 0, data.classes()).toArray()));
      before.forEach((variable, value) ->
          assertFalse(Arrays.equals(value, gan.read(variable)), variable.op().name() + " did not move"));
    }
  }
}
