package org.ganymede.metrics.internal.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.ganymede.api.DataSpec;
import org.ganymede.api.FeatureExtractor.Extraction;
import org.ganymede.api.FeatureExtractor.Features;
import org.ganymede.api.Parameters;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * A SavedModel built here, with known weights: the extractor must give exactly what the weights
 * compute, and name what is wrong when the parameters do not fit the model.
 */
class SavedModelExtractorTest {
  private static final int PIXELS = 28 * 28;
  private static final int FEATURES = 16;
  private static final int CLASSES = 5;
  private static final DataSpec IMAGES = DataSpec.image(28, 28, 1, 10);

  @TempDir
  static Path folder;
  private static Path model;
  private static float[][] kernel;
  private static float[] bias;
  private static float[][] classifier;

  /**
   * Signatures: {@code serving_default} (image -> features, logits, probabilities: a linear map and
   * a softmax), {@code classify} (image -> scores), {@code pooled} (one vector for a whole batch) and
   * {@code pixels} (an 8x8 RGB image, flattened) and {@code shifted} (two inputs).
   */
  @BeforeAll
  static void exportModel() throws Exception {
    Random random = new Random(7);
    kernel = matrix(random, PIXELS, FEATURES, 0.05f);
    bias = matrix(random, 1, FEATURES, 0.5f)[0];
    classifier = matrix(random, FEATURES, CLASSES, 0.5f);
    model = folder.resolve("model");
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Placeholder<TFloat32> image = tf.withName("image").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 28, 28, 1)));
      // A variable, as real models have: the export saves it and the load restores it.
      Variable<TFloat32> w = tf.withName("w").variable(tf.constant(kernel));
      Operand<TFloat32> flat = tf.reshape(image, tf.constant(new int[] {-1, PIXELS}));
      Operand<TFloat32> features = tf.withName("features").math.add(tf.linalg.matMul(flat, w), tf.constant(bias));
      Operand<TFloat32> logits = tf.withName("logits").linalg.matMul(features, tf.constant(classifier));
      Operand<TFloat32> probabilities = tf.withName("probabilities").nn.softmax(logits);
      Operand<TFloat32> pooled = tf.withName("pooled").math.mean(features, tf.constant(0));
      Placeholder<TFloat32> rgb = tf.withName("rgb").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 8, 8, 3)));
      Operand<TFloat32> values = tf.withName("values").reshape(rgb, tf.constant(new int[] {-1, 8 * 8 * 3}));
      Placeholder<TFloat32> shift = tf.withName("shift").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
      Operand<TFloat32> shifted = tf.withName("shifted").math.add(features, shift);
      try (Session session = new Session(graph)) {
        session.initialize();
        SavedModelBundle.exporter(model.toString()).withSession(session).withSignatures(
            Signature.builder().key("serving_default").input("image", image).output("features", features)
                .output("logits", logits).output("probabilities", probabilities).build(),
            Signature.builder().key("classify").input("image", image).output("scores", probabilities).build(),
            Signature.builder().key("pooled").input("image", image).output("mean", pooled).build(),
            Signature.builder().key("pixels").input("rgb", rgb).output("values", values).build(),
            Signature.builder().key("shifted").input("image", image).input("shift", shift).output("shifted", shifted).build())
            .export();
      }
    }
  }

  @Test
  void givesWhatTheModelComputes() throws Exception {
    float[][] samples = samples(new Random(3), 700); // more than one batch
    try (Extraction e = open(IMAGES, Map.of("features", "features", "probabilities", "probabilities"))) {
      assertEquals(FEATURES, e.featureSize());
      assertEquals(CLASSES, e.classes());
      Features f = e.extract(samples);
      for (int i = 0; i < samples.length; i++) {
        double[] expected = new double[FEATURES];
        for (int j = 0; j < FEATURES; j++) {
          double sum = bias[j];
          for (int k = 0; k < PIXELS; k++) {
            sum += samples[i][k] * kernel[k][j];
          }
          expected[j] = sum;
          assertEquals(sum, f.features()[i][j], 1e-4 * (1 + Math.abs(sum)), "feature " + j + " of sample " + i);
        }
        double[] softmax = softmax(expected);
        for (int c = 0; c < CLASSES; c++) {
          assertEquals(softmax[c], f.classProbabilities()[i][c], 1e-5, "probability " + c + " of sample " + i);
        }
      }
    }
  }

  @Test
  void theOnlyOutputIsTheFeaturesAndThereAreNoProbabilitiesUnlessAsked() throws Exception {
    try (Extraction e = open(IMAGES, Map.of("signature", "classify"))) {
      assertEquals(CLASSES, e.featureSize());
      assertEquals(0, e.classes());
      Features f = e.extract(samples(new Random(4), 3));
      assertNull(f.classProbabilities());
      assertEquals(3, f.features().length);
    }
  }

  @Test
  void resizesRepeatsTheChannelAndMapsTheRange() throws Exception {
    // A horizontal ramp from -1 to 1: bilinear interpolation reproduces it exactly inside the image.
    float[] ramp = new float[PIXELS];
    for (int row = 0; row < 28; row++) {
      for (int column = 0; column < 28; column++) {
        ramp[row * 28 + column] = -1 + 2 * column / 27f;
      }
    }
    try (Extraction e = open(IMAGES, Map.of("signature", "pixels", "size", 8, "channels", 3, "range", List.of(0, 255)))) {
      assertEquals(8 * 8 * 3, e.featureSize());
      float[] values = e.extract(new float[][] {ramp}).features()[0];
      for (int row = 0; row < 8; row++) {
        for (int column = 0; column < 8; column++) {
          // Half-pixel centres: output column c samples the input at (c + 0.5) * 28 / 8 - 0.5.
          double source = (column + 0.5) * 28 / 8 - 0.5;
          double expected = ((-1 + 2 * source / 27) + 1) / 2 * 255;
          for (int channel = 0; channel < 3; channel++) {
            assertEquals(expected, values[(row * 8 + column) * 3 + channel], 1e-3,
                "row " + row + ", column " + column + ", channel " + channel);
          }
        }
      }
    }
    try (Extraction e = open(IMAGES, Map.of("signature", "pixels", "size", 8, "channels", 3, "range", "[0, 1]"))) {
      float[] gray = new float[PIXELS];
      java.util.Arrays.fill(gray, 0.5f);
      for (float v : e.extract(new float[][] {gray}).features()[0]) {
        assertEquals(0.75f, v, 1e-6);
      }
    }
  }

  @Test
  void aMissingPathOrFolderSaysWhatIsNeeded() {
    assertMessage(Map.of(), "'path' is missing", "saved_model.pb");
    assertMessage(Map.of("path", folder.resolve("absent").toString()), "not a folder");
  }

  @Test
  void aFolderWithoutSavedModelIsNoSavedModel() throws Exception {
    Path empty = Files.createDirectories(folder.resolve("empty"));
    assertMessage(Map.of("path", empty.toString()), "not a SavedModel", "saved_model.pb");
  }

  @Test
  void unknownTagsListTheTagSetsThere() {
    assertMessage(Map.of("path", model.toString(), "tags", "gpu"), "[gpu]", "the tag sets there: [serve]");
  }

  @Test
  void anUnknownSignatureListsTheSignatures() {
    assertMessage(Map.of("path", model.toString(), "signature", "predict"),
        "'signature' is 'predict'", "its signatures: classify, pixels, pooled, serving_default, shifted");
  }

  @Test
  void unknownKeysListTheOnesThatExist() {
    assertMessage(Map.of("path", model.toString(), "features", "embedding"),
        "'features' is 'embedding'", "its outputs: features, logits, probabilities");
    assertMessage(Map.of("path", model.toString(), "features", "features", "probabilities", "softmax"),
        "'probabilities' is 'softmax'", "its outputs: features, logits, probabilities");
    assertMessage(Map.of("path", model.toString(), "input", "pixels"), "'input' is 'pixels'", "its inputs: image");
  }

  @Test
  void severalOutputsNeedTheFeaturesNamed() {
    assertMessage(Map.of("path", model.toString()), "3 outputs", "'features' must name", "features, logits, probabilities");
  }

  @Test
  void severalInputsNeedTheImagesInputNamedAndTheOthersFail() {
    assertMessage(Map.of("path", model.toString(), "signature", "shifted"), "2 inputs", "'input' must name", "image, shift");
    assertMessage(Map.of("path", model.toString(), "signature", "shifted", "input", "image"),
        "signature 'shifted' fails on a batch of 2 samples", "shift");
  }

  @Test
  void logitsAreNoProbabilities() {
    assertMessage(Map.of("path", model.toString(), "features", "features", "probabilities", "logits"),
        "'logits' is no probability vector");
  }

  @Test
  void anOutputThatIsNotOneVectorASampleIsAWidthMismatch() {
    assertMessage(Map.of("path", model.toString(), "signature", "pooled"), "output width mismatch", "'mean'");
  }

  @Test
  void samplesOfAnotherShapeThanTheInputSayHowToFit() {
    assertMessage(DataSpec.image(32, 32, 1, 10), Map.of("path", model.toString(), "features", "features"),
        "takes [-1, 28, 28, 1]", "[n, 32, 32, 1]", "'size'");
    assertMessage(Map.of("path", model.toString(), "signature", "pixels"), "takes [-1, 8, 8, 3]", "'size'", "'channels: 3'");
  }

  @Test
  void badPreprocessingParametersListWhatIsAllowed() {
    assertMessage(Map.of("path", model.toString(), "range", "[0, 2]"), "'range' is '[0, 2]'", "allowed: [-1, 1], [0, 1], [0, 255]");
    assertMessage(Map.of("path", model.toString(), "channels", 2), "'channels' is 2", "allowed: 1", "3");
    assertMessage(DataSpec.vector(2), Map.of("path", model.toString(), "size", 8), "'size' applies to images");
  }

  private static Extraction open(DataSpec spec, Map<String, Object> values) throws Exception {
    Map<String, Object> all = new LinkedHashMap<>(values);
    all.putIfAbsent("path", model.toString());
    return new SavedModelExtractor().open(spec, new Parameters("feature extractor 'saved-model'", all));
  }

  private static void assertMessage(Map<String, Object> values, String... parts) {
    assertMessage(IMAGES, values, parts);
  }

  private static void assertMessage(DataSpec spec, Map<String, Object> values, String... parts) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new SavedModelExtractor().open(spec, new Parameters("feature extractor 'saved-model'", values)).close());
    for (String part : parts) {
      assertTrue(e.getMessage().contains(part), "'" + part + "' missing from: " + e.getMessage());
    }
  }

  private static float[][] samples(Random random, int n) {
    float[][] samples = new float[n][PIXELS];
    for (float[] s : samples) {
      for (int i = 0; i < s.length; i++) {
        s[i] = random.nextFloat() * 2 - 1;
      }
    }
    return samples;
  }

  private static float[][] matrix(Random random, int rows, int columns, float scale) {
    float[][] m = new float[rows][columns];
    for (float[] row : m) {
      for (int j = 0; j < columns; j++) {
        row[j] = (float) random.nextGaussian() * scale;
      }
    }
    return m;
  }

  private static double[] softmax(double[] features) {
    double[] logits = new double[CLASSES];
    double max = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < CLASSES; c++) {
      for (int j = 0; j < FEATURES; j++) {
        logits[c] += features[j] * classifier[j][c];
      }
      max = Math.max(max, logits[c]);
    }
    double sum = 0;
    for (int c = 0; c < CLASSES; c++) {
      logits[c] = Math.exp(logits[c] - max);
      sum += logits[c];
    }
    for (int c = 0; c < CLASSES; c++) {
      logits[c] /= sum;
    }
    return logits;
  }
}
