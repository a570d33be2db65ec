package org.ganymede.biggan.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;
import org.ganymede.api.Architecture;
import org.ganymede.api.DataSpec;
import org.ganymede.api.ModelContext;
import org.ganymede.api.OptimizerSpec;
import org.ganymede.testing.AdamTrainer;
import org.ganymede.testing.GanHarness;
import org.junit.jupiter.api.Test;

/** BigGAN learns what its classes look like: dark images in class 0, bright ones in class 1. */
class BigganConditionalTest {
  private static final DataSpec TWO_CLASSES = DataSpec.image(32, 32, 1, 2);
  private static final int BATCH = 16;
  /**
   * Measured at learning rate 1e-3: seeds 1 to 8 all put the class means more than 1 apart after
   * 100 steps (about 10 s); at 2e-4 some seeds take 250.
   */
  private static final int STEPS = 100;
  private static final double LEARNING_RATE = 1e-3;

  @Test
  void samplesOfTheBrightClassAreBrighterThanThoseOfTheDarkOne() {
    // Tiny networks, the reference's embedding size (small ones leave the class pathway slow).
    Map<String, Object> values = Map.of("channels", 4, "latent_size", 8, "embedding_size", 128, "ema_beta", 0.9);
    // A faster learning rate, as an experiment's training.optimizers would set it.
    Architecture faster = context -> new BigganArchitecture().build(new ModelContext(context.tf(), context.data(),
        context.real(), context.batchSize(), context.parameters(), context.loss(), context.regularizers(),
        context.random(), context.seed(), (name, spec) -> new OptimizerSpec(spec.type(), LEARNING_RATE, spec.beta1(),
            spec.beta2(), spec.epsilon()), context.criticSteps(), context.secondDomain(), context.condition()));
    long seed = 1;
    try (GanHarness gan = GanHarness.twoDomains(faster, TWO_CLASSES, null, BATCH, new HingeLoss(), values, seed)) {
      AdamTrainer trainer = new AdamTrainer(gan);
      SplittableRandom random = new SplittableRandom(seed);
      double[] before = classMeans(gan);
      long start = System.nanoTime();
      for (int step = 0; step < STEPS; step++) {
        trainer.stepLabelled(() -> batch(random));
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      double[] after = classMeans(gan);
      System.out.printf("biggan dark/bright: class means %.3f and %.3f at first, %.3f and %.3f after %d steps"
          + " (%.1f s)%n", before[0], before[1], after[0], after[1], STEPS, seconds);
      assertTrue(after[1] - after[0] > 0.8, "class 0 mean " + after[0] + ", class 1 mean " + after[1]);
    }
  }

  /** The mean pixel of the samples of each class, from one batch of 32 that holds both, as sample grids do. */
  private static double[] classMeans(GanHarness gan) {
    int count = 32;
    int[] classes = new int[count];
    for (int i = 0; i < count; i++) {
      classes[i] = i % 2;
    }
    float[] pixels = gan.generate(count, 99, classes).values();
    int size = pixels.length / count;
    double[] means = new double[2];
    for (int i = 0; i < pixels.length; i++) {
      means[classes[i / size]] += pixels[i] / (size * count / 2.0);
    }
    return means;
  }

  /** Class 0: images of mean -0.6, class 1: of mean 0.6; each image shifted by up to 0.2, each pixel by 0.05. */
  private static AdamTrainer.LabelledBatch batch(SplittableRandom random) {
    int size = TWO_CLASSES.sampleSize();
    float[] samples = new float[BATCH * size];
    int[] labels = new int[BATCH];
    for (int i = 0; i < BATCH; i++) {
      labels[i] = random.nextInt(2);
      double level = (labels[i] == 0 ? -0.6 : 0.6) + random.nextDouble(-0.2, 0.2);
      for (int j = 0; j < size; j++) {
        samples[i * size + j] = (float) (level + random.nextDouble(-0.05, 0.05));
      }
    }
    return new AdamTrainer.LabelledBatch(samples, labels);
  }
}
