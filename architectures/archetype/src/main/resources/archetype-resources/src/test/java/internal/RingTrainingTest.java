package ${package}.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;
import org.ganymede.api.DataSpec;
import org.ganymede.testing.AdamTrainer;
import org.ganymede.testing.GanHarness;
import org.junit.jupiter.api.Test;

/**
 * Training with the default parameters moves generated points onto a ring of 8 Gaussians, the
 * classic small GAN test, and spreads them over its modes. The harness builds the architecture
 * into a real TensorFlow graph with the non-saturating loss and trains it with Adam, as the engine
 * would. TensorFlow's CPU kernels do not repeat bit for bit from one process to the next and a GAN
 * amplifies the difference, so the thresholds leave room: over twelve seeds, 3000 steps put 87 to
 * 96% of the points on the ring and covered 5 to 8 modes.
 */
class RingTrainingTest {
  private static final long SEED = 2014;
  private static final int MODES = 8;
  private static final double RADIUS = 2;
  private static final double STDDEV = 0.02;
  private static final int BATCH = 128;
  private static final int STEPS = 3000;
  private static final int SAMPLES = 2000;
  /** A generated point counts as on the ring, or at a mode, within this distance of it. */
  private static final double TOLERANCE = 0.2;
  /** A mode counts as covered when it has this share of the points (1/8 if they were even). */
  private static final double MIN_SHARE = 0.01;

  @Test
  void movesGeneratedPointsOntoTheRingAndSpreadsThemOverItsModes() {
    SplittableRandom random = new SplittableRandom(SEED);
    try (GanHarness gan = new GanHarness(new MlpArchitecture(), DataSpec.vector(2), BATCH, Map.of(), SEED)) {
      AdamTrainer trainer = new AdamTrainer(gan); // adds its update ops: create it before the first run
      float[] untrained = gan.generate(SAMPLES, 1).values();

      long start = System.nanoTime();
      for (int step = 0; step < STEPS; step++) {
        trainer.step(() -> ring(random, BATCH));
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      float[] trained = gan.generate(SAMPLES, 1).values();
      System.out.printf("ring: on it %.0f%%, modes covered %d; after %d steps (%.1f s) %.0f%%, %d%n", 100 * shareOnRing(untrained),
          modesCovered(untrained), STEPS, seconds, 100 * shareOnRing(trained), modesCovered(trained));

      // Untrained, the generator's points scatter about the origin; trained, most lie on the ring,
      // and not all at one place on it: a generator that collapsed to one mode would fail here.
      assertTrue(shareOnRing(untrained) < 0.3, "before training, on the ring: " + shareOnRing(untrained));
      assertTrue(shareOnRing(trained) >= 0.8, "after training, on the ring: " + shareOnRing(trained));
      assertTrue(modesCovered(trained) >= 4, "after training, modes covered: " + modesCovered(trained));
    }
  }

  /** {@code count} points from the ring, flattened as x0, y0, x1, y1, ... */
  private static float[] ring(SplittableRandom random, int count) {
    float[] points = new float[2 * count];
    for (int i = 0; i < count; i++) {
      double angle = 2 * Math.PI * random.nextInt(MODES) / MODES;
      points[2 * i] = (float) (RADIUS * Math.cos(angle) + STDDEV * random.nextGaussian());
      points[2 * i + 1] = (float) (RADIUS * Math.sin(angle) + STDDEV * random.nextGaussian());
    }
    return points;
  }

  /** The share of the points (x0, y0, x1, y1, ...) within TOLERANCE of the ring's circle. */
  private static double shareOnRing(float[] points) {
    int on = 0;
    for (int i = 0; i < points.length; i += 2) {
      if (Math.abs(Math.hypot(points[i], points[i + 1]) - RADIUS) <= TOLERANCE) {
        on++;
      }
    }
    return (double) on / (points.length / 2);
  }

  /** How many of the modes have at least MIN_SHARE of the points within TOLERANCE of them. */
  private static int modesCovered(float[] points) {
    int[] hits = new int[MODES];
    for (int i = 0; i < points.length; i += 2) {
      for (int mode = 0; mode < MODES; mode++) {
        double angle = 2 * Math.PI * mode / MODES;
        if (Math.hypot(points[i] - RADIUS * Math.cos(angle), points[i + 1] - RADIUS * Math.sin(angle)) <= TOLERANCE) {
          hits[mode]++;
        }
      }
    }
    int covered = 0;
    for (int count : hits) {
      if (count >= MIN_SHARE * points.length / 2) {
        covered++;
      }
    }
    return covered;
  }
}
