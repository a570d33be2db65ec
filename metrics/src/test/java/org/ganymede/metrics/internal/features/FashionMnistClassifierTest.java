package org.ganymede.metrics.internal.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import org.ganymede.api.DataSpec;
import org.ganymede.api.Dataset;
import org.ganymede.api.FeatureExtractor.Extraction;
import org.ganymede.api.FeatureExtractor.Features;
import org.ganymede.api.Parameters;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The shipped classifier on the 10,000 test images, at 28x28 and padded to 32x32. */
class FashionMnistClassifierTest {
  private static final DataSpec SMALL = DataSpec.image(28, 28, 1, 10);
  private static final DataSpec PADDED = DataSpec.image(32, 32, 1, 10);

  private static int[] labels;
  private static Features small;
  private static Features padded;
  private static double seconds;

  @BeforeAll
  static void classifyTheTestSplit() throws Exception {
    float[][] smallRows;
    float[][] paddedRows;
    try (Dataset data = FashionMnistFiles.test(28); Dataset paddedData = FashionMnistFiles.test(32)) {
      smallRows = FashionMnistFiles.rows(data);
      paddedRows = FashionMnistFiles.rows(paddedData);
      labels = new int[data.size()];
      for (int i = 0; i < labels.length; i++) {
        labels[i] = data.label(i);
      }
    }
    FashionMnistClassifier classifier = new FashionMnistClassifier();
    try (Extraction e28 = classifier.open(SMALL, parameters()); Extraction e32 = classifier.open(PADDED, parameters())) {
      long started = System.nanoTime();
      small = e28.extract(smallRows);
      padded = e32.extract(paddedRows);
      seconds = (System.nanoTime() - started) / 1e9;
      System.out.printf(Locale.ROOT, "fashion-mnist-classifier: %d images in %.2f s, %.0f images/s%n",
          smallRows.length + paddedRows.length, seconds, (smallRows.length + paddedRows.length) / seconds);
    }
  }

  @Test
  void extractsTwentyThousandImagesWithinTwentySeconds() {
    assertEquals(20_000, small.features().length + padded.features().length);
    assertTrue(seconds < 20, "20,000 images took " + seconds + " s");
  }

  @Test
  void classifiesAtLeastNinetyPercentOfTheTestSplit() {
    int correct = 0;
    for (int i = 0; i < labels.length; i++) {
      if (ClassifierTraining.argmax(small.classProbabilities()[i], 0, 10) == labels[i]) {
        correct++;
      }
    }
    double accuracy = (double) correct / labels.length;
    System.out.printf(Locale.ROOT, "fashion-mnist-classifier: test accuracy %.4f%n", accuracy);
    assertEquals(10_000, labels.length);
    assertTrue(accuracy >= 0.90, "test accuracy " + accuracy);
  }

  @Test
  void paddedImagesGiveTheSameFeatures() {
    for (int i = 0; i < labels.length; i++) {
      assertArrayEquals(small.features()[i], padded.features()[i], 1e-5f, "features of image " + i);
      assertArrayEquals(small.classProbabilities()[i], padded.classProbabilities()[i], 1e-6f, "probabilities of image " + i);
    }
  }

  @Test
  void givesOneHundredTwentyEightFeaturesAndProbabilitiesThatSumToOne() throws Exception {
    try (Extraction e = new FashionMnistClassifier().open(SMALL, parameters())) {
      assertEquals(128, e.featureSize());
      assertEquals(10, e.classes());
    }
    for (int i = 0; i < labels.length; i++) {
      assertEquals(128, small.features()[i].length);
      for (float f : small.features()[i]) {
        assertTrue(f >= 0, "a feature after the ReLU is " + f);
      }
      assertEquals(10, small.classProbabilities()[i].length);
      double sum = 0;
      for (float p : small.classProbabilities()[i]) {
        assertTrue(p >= 0 && p <= 1, "probability " + p);
        sum += p;
      }
      assertEquals(1, sum, 1e-4, "probabilities of image " + i);
    }
  }

  @Test
  void anEmptyBatchGivesNoFeatures() throws Exception {
    try (Extraction e = new FashionMnistClassifier().open(PADDED, parameters())) {
      Features f = e.extract(new float[0][]);
      assertEquals(0, f.features().length);
      assertEquals(0, f.classProbabilities().length);
    }
  }

  @Test
  void otherShapesAreRejectedWithTheShapesAllowed() {
    for (DataSpec spec : new DataSpec[] {
        DataSpec.image(28, 28, 3, 10), DataSpec.image(64, 64, 1, 10), DataSpec.image(30, 30, 1, 10), DataSpec.vector(784)}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> new FashionMnistClassifier().open(spec, parameters()).close());
      assertTrue(e.getMessage().contains("[28, 28, 1] or [32, 32, 1]"), e.getMessage());
      assertTrue(e.getMessage().contains("got " + java.util.Arrays.toString(spec.shape())), e.getMessage());
    }
  }

  @Test
  void rowsOfTheWrongLengthAreRejected() throws Exception {
    try (Extraction e = new FashionMnistClassifier().open(PADDED, parameters())) {
      IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
          () -> e.extract(new float[][] {new float[32 * 32], new float[28 * 28]}));
      assertTrue(error.getMessage().contains("sample 1 has 784 values"), error.getMessage());
    }
  }

  @Test
  void readsNoParameters() throws Exception {
    Parameters parameters = parameters();
    new FashionMnistClassifier().open(SMALL, parameters).close();
    assertTrue(parameters.knownKeys().isEmpty(), "read " + parameters.knownKeys());
  }

  private static Parameters parameters() {
    return Parameters.empty("feature extractor 'fashion-mnist-classifier'");
  }
}
