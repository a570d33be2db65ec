package org.ganymede.biggan.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.ganymede.api.DataSpec;
import org.ganymede.testing.AdamTrainer;
import org.ganymede.testing.GanHarness;
import org.junit.jupiter.api.Test;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/** A training step, the moving average, spectral norm's vectors, orthogonal regularisation and truncation. */
class BigganTrainingTest {
  private static final DataSpec LABELLED = DataSpec.image(32, 32, 1, 10);
  private static final int BATCH = 4;

  @Test
  void adamStepsMoveEveryVariableTheAverageFollowsAndTheSpectralNormVectorsMove() {
    float beta = 0.5f;
    Map<String, Object> values = new HashMap<>(BigganArchitectureTest.TINY);
    values.put("ema_beta", beta);
    values.put("orthogonal", 1e-4);
    AtomicReference<BigganArchitecture.Parts> parts = new AtomicReference<>();
    try (GanHarness gan = new GanHarness(new BigganArchitecture(parts::set), LABELLED, BATCH, values, 3)) {
      AdamTrainer trainer = new AdamTrainer(gan);
      Generator live = parts.get().generator();
      Generator average = parts.get().average();
      List<Variable<TFloat32>> trained = new ArrayList<>();
      gan.model.objectives().forEach(o -> trained.addAll(o.variables()));
      assertTrue(average.variables().stream().noneMatch(trained::contains), "no optimizer trains the average");
      List<Variable<TFloat32>> vectors = new ArrayList<>(live.weights().untrainedVariables());
      vectors.addAll(average.weights().untrainedVariables());
      vectors.addAll(parts.get().discriminator().weights().untrainedVariables());
      List<float[]> trainedBefore = read(gan, trained);
      List<float[]> vectorsBefore = read(gan, vectors);
      List<float[]> shadowBefore = read(gan, average.variables());
      List<float[]> liveBefore = read(gan, live.variables());
      for (int i = 0; i < shadowBefore.size(); i++) {
        assertArrayEquals(liveBefore.get(i), shadowBefore.get(i), "the average starts as the live copy");
      }

      SplittableRandom random = new SplittableRandom(5);
      Runnable step = () -> trainer.stepLabelled(() -> new AdamTrainer.LabelledBatch(
          gan.uniformRealBatch(random), random.ints(BATCH, 0, 10).toArray()));
      step.run();
      // Zero-initialised multipliers hold back two gradients for a step: the discriminator's
      // attention gamma that of its 1x1 filters (the generator's get the orthogonal penalty's), the
      // conditional norms' matrices that of the generator's shared embedding.
      List<Variable<TFloat32>> discriminator = parts.get().discriminator().weights().variables();
      List<float[]> trainedAfter = read(gan, trained);
      for (int i = 0; i < trained.size(); i++) {
        Variable<TFloat32> v = trained.get(i);
        boolean held = v.equals(live.variables().get(0))
            || (discriminator.contains(v) && v.op().name().startsWith("attention_filter"));
        assertEquals(held, Arrays.equals(trainedBefore.get(i), trainedAfter.get(i)), v.op().name() + " after one step");
      }
      List<float[]> liveAfter = read(gan, live.variables());
      List<float[]> shadowAfter = read(gan, average.variables());
      for (int i = 0; i < shadowBefore.size(); i++) {
        float[] was = shadowBefore.get(i);
        for (int j = 0; j < was.length; j++) {
          float expected = was[j] + (1 - beta) * (liveAfter.get(i)[j] - was[j]);
          assertEquals(expected, shadowAfter.get(i)[j], 1e-6f * (1 + Math.abs(expected)),
              average.variables().get(i).op().name());
        }
      }
      List<float[]> vectorsAfter = read(gan, vectors);
      for (int i = 0; i < vectors.size(); i++) {
        assertFalse(Arrays.equals(vectorsBefore.get(i), vectorsAfter.get(i)),
            vectors.get(i).op().name() + " did not move");
      }

      step.run();
      trainedAfter = read(gan, trained);
      for (int i = 0; i < trained.size(); i++) {
        assertFalse(Arrays.equals(trainedBefore.get(i), trainedAfter.get(i)),
            trained.get(i).op().name() + " did not move in two steps");
      }
    }
  }

  @Test
  void theOrthogonalPenaltyIsBetaTimesTheSquaredOffDiagonalGramOfEveryGeneratorWeight() {
    double beta = 1e-3;
    Map<String, Object> values = new HashMap<>(BigganArchitectureTest.TINY);
    values.put("orthogonal", beta);
    AtomicReference<BigganArchitecture.Parts> parts = new AtomicReference<>();
    try (GanHarness gan = new GanHarness(new BigganArchitecture(parts::set), LABELLED, BATCH, values, 3)) {
      List<Variable<TFloat32>> weights = parts.get().generator().regularizedWeights();
      long matrices = parts.get().generator().variables().stream().filter(v -> v.shape().numDimensions() >= 2).count();
      assertEquals(matrices - 1, weights.size(), "every matrix and filter but the shared embedding");
      double expected = 0;
      List<float[]> read = read(gan, weights);
      for (int n = 0; n < weights.size(); n++) {
        Variable<TFloat32> weight = weights.get(n);
        float[] w = read.get(n);
        int out = (int) weight.shape().get(weight.shape().numDimensions() - 1);
        int fanIn = w.length / out;
        for (int i = 0; i < out; i++) {
          for (int j = 0; j < out; j++) {
            double dot = 0;
            for (int k = 0; k < fanIn; k++) {
              dot += (double) w[k * out + i] * w[k * out + j];
            }
            expected += i == j ? 0 : dot * dot;
          }
        }
      }
      expected *= beta;
      try (Result r = gan.session().runner().fetch(gan.model.scalars().get("penalty/orthogonal")).run()) {
        float penalty = ((TFloat32) r.get(0)).getFloat();
        assertEquals(expected, penalty, 1e-4 * expected);
      }
    }
    try (GanHarness gan = new GanHarness(new BigganArchitecture(), LABELLED, BATCH, BigganArchitectureTest.TINY, 3)) {
      assertFalse(gan.model.scalars().containsKey("penalty/orthogonal"), "off by default");
    }
  }

  @Test
  void truncationToZeroGivesEveryLatentTheSameSampleOfItsClass() {
    Map<String, Object> values = new HashMap<>(BigganArchitectureTest.TINY);
    values.put("ema_beta", 0.5);
    try (GanHarness gan = new GanHarness(new BigganArchitecture(), LABELLED, BATCH, values, 3)) {
      AdamTrainer trainer = new AdamTrainer(gan);
      SplittableRandom random = new SplittableRandom(5);
      for (int i = 0; i < 2; i++) {
        trainer.stepLabelled(() -> new AdamTrainer.LabelledBatch(gan.uniformRealBatch(random),
            random.ints(BATCH, 0, 10).toArray()));
      }
      int[] classes = {3, 3, 3, 7, 7, 7};
      float[][] plain = sample(gan, 1, classes, 1f);
      float[][] truncated = sample(gan, 1, classes, 0f);
      float[][] otherLatents = sample(gan, 2, classes, 0f);
      for (int i = 0; i < classes.length; i++) {
        for (int j = 0; j < classes.length; j++) {
          if (classes[i] == classes[j]) {
            assertArrayEquals(truncated[i], truncated[j], 1e-6f, "psi 0: samples " + i + " and " + j);
            if (i != j) {
              assertFalse(Arrays.equals(plain[i], plain[j]), "psi 1: samples " + i + " and " + j + " are equal");
            }
          }
        }
        assertArrayEquals(truncated[i], otherLatents[i], 1e-6f, "psi 0: sample " + i + " of other latents");
      }
      assertFalse(Arrays.equals(truncated[0], truncated[3]), "psi 0: two classes look alike");
    }
  }

  /** The variables' values, flattened, read in one run: each new fetch costs the session a plan. */
  static List<float[]> read(GanHarness gan, List<Variable<TFloat32>> variables) {
    Session.Runner runner = gan.session().runner();
    variables.forEach(runner::fetch);
    try (Result r = runner.run()) {
      List<float[]> values = new ArrayList<>();
      for (int i = 0; i < variables.size(); i++) {
        TFloat32 t = (TFloat32) r.get(i);
        float[] flat = new float[(int) t.size()];
        t.copyTo(DataBuffers.of(flat, false, false));
        values.add(flat);
      }
      return values;
    }
  }

  /** Samples of the averaged generator at truncation psi, for latents drawn from N(0, 1) with {@code seed}. */
  private static float[][] sample(GanHarness gan, long seed, int[] classes, float psi) {
    int latentSize = gan.model.latentSize();
    int count = classes.length;
    SplittableRandom random = new SplittableRandom(seed);
    float[] latent = new float[count * latentSize];
    for (int i = 0; i < latent.length; i++) {
      latent[i] = (float) random.nextGaussian();
    }
    float[] oneHot = new float[count * 10];
    for (int i = 0; i < count; i++) {
      oneHot[i * 10 + classes[i]] = 1;
    }
    try (TFloat32 z = TFloat32.tensorOf(Shape.of(count, latentSize), DataBuffers.of(latent));
        TFloat32 c = TFloat32.tensorOf(Shape.of(count, 10), DataBuffers.of(oneHot));
        TFloat32 truncation = TFloat32.scalarOf(psi);
        Result r = gan.session().runner().feed(gan.model.latent(), z)
            .feed(gan.condition.labels("test").sampling(), c)
            .feed(gan.model.sampling().truncation(), truncation)
            .fetch(gan.model.generated()).run()) {
      TFloat32 images = (TFloat32) r.get(0);
      float[] flat = new float[(int) images.size()];
      images.copyTo(DataBuffers.of(flat, false, false));
      float[][] samples = new float[count][];
      int size = flat.length / count;
      for (int i = 0; i < count; i++) {
        samples[i] = Arrays.copyOfRange(flat, i * size, (i + 1) * size);
      }
      return samples;
    }
  }
}
