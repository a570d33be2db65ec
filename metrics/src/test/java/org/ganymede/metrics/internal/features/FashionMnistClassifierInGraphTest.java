package org.ganymede.metrics.internal.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.ganymede.api.DataSpec;
import org.ganymede.api.Dataset;
import org.ganymede.api.FeatureExtractor.Extraction;
import org.ganymede.api.FeatureExtractor.InGraph;
import org.ganymede.api.Parameters;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** The classifier built into another graph gives the shipped classifier's features, and gradients to the images. */
class FashionMnistClassifierInGraphTest {
  @Test
  void inAnotherGraphItGivesTheFrozenClassifiersFeaturesAndTheirGradients() throws Exception {
    DataSpec padded = DataSpec.image(32, 32, 1, 10);
    float[][] rows;
    try (Dataset data = FashionMnistFiles.test(32)) {
      rows = Arrays.copyOf(FashionMnistFiles.rows(data), 16);
    }
    FashionMnistClassifier classifier = new FashionMnistClassifier();
    float[][] expected;
    try (Extraction extraction = classifier.open(padded, Parameters.empty("feature-extractor"))) {
      expected = extraction.extract(rows).features();
    }
    InGraph network = classifier.inGraph(padded, Parameters.empty("feature-extractor")).orElseThrow();
    try (Graph graph = new Graph(); Session session = new Session(graph)) {
      Ops tf = Ops.create(graph);
      Placeholder<TFloat32> images = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 32, 32, 1)));
      Operand<TFloat32> features = network.features(tf.withSubScope("first"), images);
      Operand<TFloat32> again = network.features(tf.withSubScope("second"), images);
      Output<?>[] gradient = graph.addGradients(tf.sum(features, tf.constant(new int[] {0, 1})).asOutput(),
          new Output<?>[] {images.asOutput()});
      float[] flat = new float[16 * 32 * 32];
      for (int i = 0; i < 16; i++) {
        System.arraycopy(rows[i], 0, flat, i * 32 * 32, 32 * 32);
      }
      try (TFloat32 x = TFloat32.tensorOf(Shape.of(16, 32, 32, 1), DataBuffers.of(flat));
          Result r = session.runner().feed(images, x).fetch(features).fetch(again).fetch(gradient[0]).run()) {
        float[] got = new float[16 * 128];
        ((TFloat32) r.get(0)).copyTo(DataBuffers.of(got, false, false));
        for (int i = 0; i < 16; i++) {
          assertArrayEquals(expected[i], Arrays.copyOfRange(got, i * 128, (i + 1) * 128), 1e-4f, "features of image " + i);
        }
        assertEquals(16 * 128, r.get(1).shape().size(), "a second application in its own scope");
        float[] grad = new float[16 * 32 * 32];
        ((TFloat32) r.get(2)).copyTo(DataBuffers.of(grad, false, false));
        assertNotNull(gradient[0]);
        assertTrue(Arrays.stream(toDoubles(grad)).map(Math::abs).sum() > 0, "the features depend on the pixels");
        assertEquals(0f, grad[0], 0f, "the padding the classifier does not read has no gradient");
      }
    }
    assertThrows(IllegalArgumentException.class,
        () -> classifier.inGraph(DataSpec.image(16, 16, 1, 0), Parameters.empty("feature-extractor")));
  }

  private static double[] toDoubles(float[] values) {
    double[] d = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      d[i] = values[i];
    }
    return d;
  }
}
