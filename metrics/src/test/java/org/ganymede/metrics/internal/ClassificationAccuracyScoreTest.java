package org.ganymede.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.ganymede.api.DataSpec;
import org.ganymede.api.Metric.Input;
import org.ganymede.api.Metric.Labels;
import org.ganymede.api.Metric.MetricSamples;
import org.ganymede.api.Parameters;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Classification Accuracy Score on real Fashion-MNIST images standing in for generated ones:
 * three disjoint parts of the embedded test split, 2,000 "generated", 2,000 real and 2,000 to test
 * on, at 28x28. So few images need smaller batches and larger steps than the metric's defaults,
 * which are for tens of thousands: {@link #BUDGET}, 63 steps an epoch.
 */
class ClassificationAccuracyScoreTest {
  private static final int PART = 2_000;
  private static final Map<String, Object> BUDGET = Map.of("epochs", 2, "batch", 64, "learning_rate", 2e-3);

  private static FashionMnistSamples generated;
  private static FashionMnistSamples real;
  private static FashionMnistSamples test;

  @BeforeAll
  static void cutTheTestSplit() throws Exception {
    FashionMnistSamples all = FashionMnistSamples.testSplit(28);
    generated = all.part(0, PART);
    real = all.part(PART, 2 * PART);
    test = all.part(2 * PART, 3 * PART);
  }

  @Test
  void casOfRealSamplesIsCloseToTheRealDataAccuracy() throws Exception {
    Parameters parameters = parameters(BUDGET);
    Map<String, Double> values = new ClassificationAccuracyScore().compute(samples(generated.labels()), parameters);
    print("real images as generated ones", values);
    double cas = values.get("cas");
    double realAccuracy = values.get("real_accuracy");
    assertTrue(cas > 0.7 && realAccuracy > 0.7, values.toString());
    assertTrue(Math.abs(cas - realAccuracy) < 0.03, values.toString());
    // Twice the data: at least about as good as either.
    assertTrue(values.get("augmented_accuracy") > Math.min(cas, realAccuracy) - 0.01, values.toString());
    assertEquals(cas / realAccuracy, values.get("cas_ratio"), 1e-12);
    assertEquals(PART, values.get("train_generated"));
    assertEquals(PART, values.get("train_real"));
    assertEquals(PART, values.get("test_samples"));
    assertTrue(values.get("seconds") > 0, values.toString());
    assertEquals(List.of("cas", "real_accuracy", "augmented_accuracy", "cas_ratio", "train_generated", "train_real",
        "test_samples", "seconds"), List.copyOf(values.keySet()));
    assertEquals(Set.of("batch", "epochs", "learning_rate", "learning_rate_decay", "seed", "which"),
        parameters.knownKeys());
  }

  @Test
  void generatedSamplesWithTheWrongClassesScoreNearChance() throws Exception {
    int[] shuffled = generated.labels().clone();
    SplittableRandom random = new SplittableRandom(5);
    for (int i = shuffled.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = shuffled[i];
      shuffled[i] = shuffled[j];
      shuffled[j] = t;
    }
    Map<String, Double> values = new ClassificationAccuracyScore().compute(samples(shuffled),
        parameters(with(BUDGET, "which", List.of("real", "generated"))));
    print("generated with shuffled classes", values);
    assertTrue(values.get("cas") < 0.3, values.toString());
    assertTrue(values.get("real_accuracy") > 0.7, values.toString());
    assertFalse(values.containsKey("augmented_accuracy"), values.toString());
  }

  @Test
  void otherShapesAndClassCountsTrainTheSameNetwork() throws Exception {
    // 32x32 colour images of 3 classes, each brighter in its own channel, with noise: easy to learn.
    int side = 32;
    int channels = 3;
    DataSpec spec = DataSpec.image(side, side, channels, 3);
    SplittableRandom random = new SplittableRandom(9);
    float[][] rows = new float[300][side * side * channels];
    int[] labels = new int[rows.length];
    for (int i = 0; i < rows.length; i++) {
      labels[i] = i % 3;
      for (int p = 0; p < side * side; p++) {
        for (int c = 0; c < channels; c++) {
          rows[i][p * channels + c] = (c == labels[i] ? 0.3f : -0.3f) + (float) random.nextDouble(-0.5, 0.5);
        }
      }
    }
    float[][] train = java.util.Arrays.copyOfRange(rows, 0, 200);
    int[] trainLabels = java.util.Arrays.copyOfRange(labels, 0, 200);
    float[][] held = java.util.Arrays.copyOfRange(rows, 200, 300);
    int[] heldLabels = java.util.Arrays.copyOfRange(labels, 200, 300);
    MetricSamples samples = new MetricSamples(train, train, spec,
        new Labels(trainLabels, trainLabels, held, heldLabels, List.of("red", "green", "blue")));
    Map<String, Double> values = new ClassificationAccuracyScore().compute(samples,
        parameters(Map.of("which", "generated", "epochs", 2, "batch", 32)));
    print("32x32x3, 3 classes", values);
    assertTrue(values.get("cas") > 0.9, values.toString());
    assertEquals(Set.of("cas", "train_generated", "train_real", "test_samples", "seconds"), values.keySet());
  }

  @Test
  void theSameSeedGivesTheSameScore() throws Exception {
    MetricSamples small = new MetricSamples(generated.part(0, 256).rows(), real.rows(), generated.spec(),
        new Labels(generated.part(0, 256).labels(), real.labels(), test.part(0, 500).rows(),
            test.part(0, 500).labels(), generated.names()));
    Map<String, Object> given = Map.of("which", "generated", "epochs", 1, "batch", 64, "seed", 4);
    double first = new ClassificationAccuracyScore().compute(small, parameters(given)).get("cas");
    double second = new ClassificationAccuracyScore().compute(small, parameters(given)).get("cas");
    // TensorFlow's CPU kernels may sum in another order: a test image or two may differ.
    assertEquals(first, second, 0.005);
  }

  @Test
  void samplesWithoutClassesAreRejected() {
    MetricSamples unlabelled = new MetricSamples(generated.rows(), real.rows(), generated.spec());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ClassificationAccuracyScore().compute(unlabelled, parameters(Map.of())));
    assertTrue(e.getMessage().contains("labelled samples") && e.getMessage().contains("conditional model"),
        e.getMessage());
  }

  @Test
  void anUnknownTrainingIsRejectedWithTheAllowedOnes() {
    for (Object which : new Object[] {"fake", List.of("generated", "both"), List.of()}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> new ClassificationAccuracyScore().compute(samples(generated.labels()),
              parameters(Map.of("which", which))));
      assertTrue(e.getMessage().contains("'which'") && e.getMessage().contains("generated, real, augmented"),
          e.getMessage());
    }
  }

  @Test
  void aSideThatIsNoMultipleOfFourIsRejectedWithWhatIsAllowed() {
    for (DataSpec spec : new DataSpec[] {
        DataSpec.image(30, 30, 1, 10), DataSpec.image(28, 32, 1, 10), DataSpec.vector(784)}) {
      float[][] rows = new float[4][spec.sampleSize()];
      int[] labels = {0, 1, 2, 3};
      MetricSamples samples = new MetricSamples(rows, rows, spec,
          new Labels(labels, labels, rows, labels, generated.names()));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> new ClassificationAccuracyScore().compute(samples, parameters(Map.of())));
      assertTrue(e.getMessage().contains("square images whose side is a multiple of 4"), e.getMessage());
      assertTrue(e.getMessage().contains(java.util.Arrays.toString(spec.shape())), e.getMessage());
    }
  }

  @Test
  void classesOutOfRangeAndMissingClassesAreRejected() {
    int[] wrong = generated.labels().clone();
    wrong[7] = 10;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ClassificationAccuracyScore().compute(samples(wrong), parameters(Map.of())));
    assertTrue(e.getMessage().contains("generated sample 7 is of class 10; classes run from 0 to 9"), e.getMessage());

    MetricSamples short_ = new MetricSamples(generated.rows(), real.rows(), generated.spec(),
        new Labels(new int[3], real.labels(), test.rows(), test.labels(), generated.names()));
    e = assertThrows(IllegalArgumentException.class,
        () -> new ClassificationAccuracyScore().compute(short_, parameters(Map.of())));
    assertTrue(e.getMessage().contains("2000 generated samples and 3 classes"), e.getMessage());
  }

  @Test
  void readsLabelledSamples() {
    assertEquals(Input.LABELLED_SAMPLES, new ClassificationAccuracyScore().input());
  }

  /** "Generated" samples with {@code generatedLabels}, the real part with its own, tested on the test part. */
  private static MetricSamples samples(int[] generatedLabels) {
    return new MetricSamples(generated.rows(), real.rows(), generated.spec(),
        new Labels(generatedLabels, real.labels(), test.rows(), test.labels(), generated.names()));
  }

  private static Map<String, Object> with(Map<String, Object> values, String key, Object value) {
    Map<String, Object> more = new LinkedHashMap<>(values);
    more.put(key, value);
    return more;
  }

  private static Parameters parameters(Map<String, ?> values) {
    return new Parameters("metric '" + ClassificationAccuracyScore.NAME + "'", new LinkedHashMap<>(values));
  }

  private static void print(String what, Map<String, Double> values) {
    StringBuilder b = new StringBuilder();
    values.forEach((k, v) -> b.append(' ').append(k).append('=').append(String.format(Locale.ROOT, "%.4f", v)));
    System.out.println("classification-accuracy-score, " + what + ":" + b);
  }
}
