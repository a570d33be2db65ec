package org.ganymede.lapgan.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.ganymede.api.Architecture;
import org.ganymede.api.DataSpec;
import org.ganymede.api.ModelContext;
import org.ganymede.api.Objective;
import org.ganymede.api.OptimizerSpec;
import org.ganymede.testing.AdamTrainer;
import org.ganymede.testing.GanHarness;
import org.junit.jupiter.api.Test;
import org.tensorflow.Result;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/** The engine's kind of optimizer trains every level, and a short run learns both of a small pyramid's levels. */
class LapganTrainingTest {
  private static final int SIDE = 16;
  private static final int HALF = SIDE / 2;
  private static final int BATCH = 8;
  private static final Map<String, Object> SMALL = Map.of("width", 8, "latent_size", 10);

  /** With batch normalisation, the default, which adds variables to the discriminators and takes none away. */
  @Test
  void oneAdamStepMovesEveryVariable() {
    Map<String, Object> parameters = new LinkedHashMap<>(SMALL);
    parameters.put("levels", 2);
    try (GanHarness gan = new GanHarness(new LapganArchitecture(), DataSpec.image(SIDE, SIDE, 3, 0), 4, parameters, 3)) {
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

  /**
   * Images of a bright left half and a dark right half, of a random contrast: the coarsest level
   * holds the halves, and the residual of the finer level the sharp edge between them, which the
   * up-sampled coarse image blurs over two columns. Training must move the samples' mean to the
   * data's, and the finer generator must learn to sharpen the edge. Adam at 1e-3, as an
   * experiment's optimizer overrides would set it, so that 200 steps do; the game swings from step
   * to step, so the trained samples are measured at five of the last steps and averaged. Without
   * batch normalisation: in discriminators that see batches of 8 all real or all generated, on data
   * this narrow, it left one seed in three far from the mean after 300 steps.
   */
  @Test
  void aShortRunLearnsTheCoarseImageAndTheResidualThatSharpensIt() {
    LapganArchitecture.Built[] built = new LapganArchitecture.Built[1];
    OptimizerSpec faster = OptimizerSpec.adam(1e-3, 0.5, 0.999);
    Architecture lapgan = c -> (built[0] = new LapganArchitecture().buildWithLevels(new ModelContext(c.tf(), c.data(),
        c.real(), c.batchSize(), c.parameters(), c.loss(), c.regularizers(), c.random(), c.seed(),
        (name, fallback) -> faster, c.criticSteps(), c.secondDomain(), c.condition()))).model();
    Map<String, Object> parameters = new LinkedHashMap<>(SMALL);
    parameters.put("batch_norm", false);
    try (GanHarness gan = new GanHarness(lapgan, DataSpec.image(SIDE, SIDE, 1, 0), BATCH, parameters, 3)) {
      AdamTrainer trainer = new AdamTrainer(gan);
      Levels start = Levels.of(gan, built[0]);
      SplittableRandom random = new SplittableRandom(5);
      double distance = 0;
      double residualStep = 0;
      for (int step = 1; step <= 200; step++) {
        trainer.step(() -> halves(random));
        if (step > 150 && step % 10 == 0) {
          Levels trained = Levels.of(gan, built[0]);
          distance += trained.distanceToTheDataMean() / 5;
          residualStep += trained.residualStep() / 5;
        }
      }

      double before = start.distanceToTheDataMean();
      assertTrue(distance < before / 2.5, "distance of the samples' mean to the data's: " + before + " -> " + distance);
      // The data's residual steps by the contrast, 0.6 on average, from column 7 to column 8.
      assertTrue(Math.abs(start.residualStep()) < 0.1, "the residual's step at the start: " + start.residualStep());
      assertTrue(residualStep > 0.3, "the residual's step after training: " + residualStep);
    }
  }

  /** A batch of the data: contrast a from 0.4 to 0.8, +a left of the middle, -a right of it, and a little noise. */
  private static float[] halves(SplittableRandom random) {
    float[] batch = new float[BATCH * SIDE * SIDE];
    for (int n = 0; n < BATCH; n++) {
      double contrast = random.nextDouble(0.4, 0.8);
      for (int y = 0; y < SIDE; y++) {
        for (int x = 0; x < SIDE; x++) {
          batch[(n * SIDE + y) * SIDE + x] = (float) ((x < HALF ? contrast : -contrast) + 0.02 * random.nextGaussian());
        }
      }
    }
    return batch;
  }

  /** Samples of both levels from the same latents: the coarsest enlarged to 16 px, and the finest. */
  private record Levels(float[] coarse, float[] fine) {
    private static final int SAMPLES = 64;
    private static final double DATA_CONTRAST = 0.6;

    static Levels of(GanHarness gan, LapganArchitecture.Built built) {
      SplittableRandom random = new SplittableRandom(9);
      float[] latent = new float[SAMPLES * gan.model.latentSize()];
      for (int i = 0; i < latent.length; i++) {
        latent[i] = (float) random.nextGaussian();
      }
      List<LapganArchitecture.LevelSample> levels = built.levelSamples();
      try (TFloat32 z = TFloat32.tensorOf(Shape.of(SAMPLES, gan.model.latentSize()), DataBuffers.of(latent));
          Result r = gan.session().runner().feed(gan.model.latent(), z)
              .fetch(levels.get(0).enlarged()).fetch(levels.get(1).enlarged()).run()) {
        return new Levels(values((TFloat32) r.get(0)), values((TFloat32) r.get(1)));
      }
    }

    /** The root mean square over pixels of the samples' mean less the data's mean, +-0.6 by halves. */
    double distanceToTheDataMean() {
      double sum = 0;
      for (int p = 0; p < SIDE * SIDE; p++) {
        double mean = 0;
        for (int n = 0; n < SAMPLES; n++) {
          mean += fine[n * SIDE * SIDE + p] / (double) SAMPLES;
        }
        double data = p % SIDE < HALF ? DATA_CONTRAST : -DATA_CONTRAST;
        sum += (mean - data) * (mean - data);
      }
      return Math.sqrt(sum / (SIDE * SIDE));
    }

    /** The mean of what the finer level added in the column left of the middle less what it added right of it. */
    double residualStep() {
      double sum = 0;
      for (int n = 0; n < SAMPLES; n++) {
        for (int y = 0; y < SIDE; y++) {
          int left = (n * SIDE + y) * SIDE + HALF - 1;
          sum += (fine[left] - coarse[left]) - (fine[left + 1] - coarse[left + 1]);
        }
      }
      return sum / (SAMPLES * SIDE);
    }

    private static float[] values(TFloat32 t) {
      float[] values = new float[(int) t.size()];
      t.copyTo(DataBuffers.of(values, false, false));
      return values;
    }
  }
}
