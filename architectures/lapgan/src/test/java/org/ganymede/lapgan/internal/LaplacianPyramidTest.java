package org.ganymede.lapgan.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

class LaplacianPyramidTest {
  private static final float ROUNDING = 1e-6f;

  @Test
  void theCoarsestImageAndTheResidualsGiveTheImageBack() {
    SplittableRandom random = new SplittableRandom(3);
    float[] values = new float[2 * 32 * 32 * 3];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) random.nextDouble(-1, 1);
    }
    try (Graph graph = new Graph(); Session session = new Session(graph)) {
      Ops tf = Ops.create(graph);
      Operand<TFloat32> images = tf.constant(Shape.of(2, 32, 32, 3), DataBuffers.of(values));
      LaplacianPyramid.Decomposition pyramid = LaplacianPyramid.decompose(tf, images, 2);
      assertEquals(List.of(16, 32), pyramid.bands().stream().map(LaplacianPyramid.Band::side).toList());
      assertArrayEquals(new long[] {2, 8, 8, 3}, pyramid.coarsest().shape().asArray());
      // The decomposition's own residuals, whatever coarse image they are handed.
      List<UnaryOperator<Operand<TFloat32>>> residuals = pyramid.bands().stream()
          .map(band -> (UnaryOperator<Operand<TFloat32>>) coarse -> band.residual())
          .toList();
      List<Operand<TFloat32>> rebuilt = LaplacianPyramid.reconstruct(tf, pyramid.coarsest(), residuals);

      assertEquals(3, rebuilt.size());
      assertArrayEquals(values, fetch(session, rebuilt.get(2)), ROUNDING);
      assertArrayEquals(fetch(session, LaplacianPyramid.down(tf, images)), fetch(session, rebuilt.get(1)), ROUNDING);
      // The residuals carry what the coarser image lacks: they are no small part of the image.
      float[] finest = fetch(session, pyramid.bands().get(1).residual());
      assertTrue(rms(finest) > 0.3, "rms of the finest residual " + rms(finest));
    }
  }

  @Test
  void aConstantImageIsThatConstantAtEveryLevelWithNoResidual() {
    float[] grey = new float[16 * 16];
    Arrays.fill(grey, 0.3f);
    try (Graph graph = new Graph(); Session session = new Session(graph)) {
      Ops tf = Ops.create(graph);
      Operand<TFloat32> image = tf.constant(Shape.of(1, 16, 16, 1), DataBuffers.of(grey));
      float[] down = fetch(session, LaplacianPyramid.down(tf, image));
      assertEquals(64, down.length);
      for (float v : down) {
        assertEquals(0.3f, v, ROUNDING);
      }
      for (float v : fetch(session, LaplacianPyramid.decompose(tf, image, 2).bands().get(1).residual())) {
        assertEquals(0f, v, ROUNDING);
      }
    }
  }

  @Test
  void upSamplingCentresEachPixelsChildrenOnIt() {
    try (Graph graph = new Graph(); Session session = new Session(graph)) {
      Ops tf = Ops.create(graph);
      Operand<TFloat32> image = tf.constant(Shape.of(1, 2, 2, 1), DataBuffers.of(0f, 4f, 8f, 12f));
      // Child 2i + 1 of pixel i sits a quarter pixel to its right: 3/4 of it, 1/4 of its neighbour;
      // the edges repeat.
      assertArrayEquals(new float[] {
          0, 1, 3, 4,
          2, 3, 5, 6,
          6, 7, 9, 10,
          8, 9, 11, 12}, fetch(session, LaplacianPyramid.up(tf, image)), ROUNDING);
      assertArrayEquals(new long[] {1, 8, 8, 1}, LaplacianPyramid.enlarge(tf, image, 8).shape().asArray());
    }
  }

  private static float[] fetch(Session session, Operand<TFloat32> operand) {
    try (Result r = session.runner().fetch(operand).run()) {
      TFloat32 t = (TFloat32) r.get(0);
      float[] values = new float[(int) t.size()];
      t.copyTo(DataBuffers.of(values, false, false));
      return values;
    }
  }

  private static double rms(float[] values) {
    double sum = 0;
    for (float v : values) {
      sum += v * v;
    }
    return Math.sqrt(sum / values.length);
  }
}
