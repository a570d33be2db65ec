package org.ganymede.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.ganymede.api.DataSpec;
import org.ganymede.api.ParameterException;
import org.ganymede.api.Parameters;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/** The layers of a discriminator that judges samples together: packing, minibatch discrimination, maxout. */
class CriticLayersTest {
  @Test
  void packingStacksEachGroupOfSamplesAlongTheChannels() {
    int n = 4, h = 2, w = 3, c = 2, m = 2;
    float[] x = new float[n * h * w * c];
    for (int i = 0; i < x.length; i++) {
      x[i] = i;
    }
    float[] packed = run(tf -> Layers.pack(m).apply(tf, tf.constant(Shape.of(n, h, w, c), DataBuffers.of(x))),
        Shape.of(n / m, h, w, m * c));
    for (int g = 0; g < n / m; g++) {
      for (int p = 0; p < h * w; p++) {
        for (int k = 0; k < m; k++) {
          for (int ch = 0; ch < c; ch++) {
            assertEquals(x[((g * m + k) * h * w + p) * c + ch], packed[((g * h * w) + p) * m * c + k * c + ch], 0f);
          }
        }
      }
    }
    float[] vectors = {1, 2, 3, 4, 5, 6, 7, 8};
    assertArrayEquals(vectors, run(tf -> Layers.pack(4).apply(tf, tf.constant(Shape.of(4, 2), DataBuffers.of(vectors))),
        Shape.of(1, 8)), 0f);
  }

  @Test
  void packedDiscriminatorsTakeMTimesTheFeaturesOrChannelsAndJudgeGroups() {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      CriticOptions packed = new CriticOptions(4, 0, 5, false);
      Network mlp = MlpLayout.discriminator(tf, 1, new MlpLayout.Shape(2, 16, 4), 2, false, MlpLayout.Options.NONE,
          packed);
      assertEquals(Shape.of(8, 16), mlp.variables().get(0).shape(), "the first kernel reads 4 points of 2");
      assertEquals(Shape.of(2, 1), mlp.apply(tf.zeros(tf.constant(new int[] {8, 2}), TFloat32.class)).shape());
      Network conv = DcganLayout.discriminator(tf, 2, DcganLayout.Geometry.of(DataSpec.image(28, 28, 1, 0), "test"), 1,
          8, DcganLayout.CriticNorm.BATCH, false, new CriticOptions(2, 0, 5, false));
      assertEquals(Shape.of(4, 4, 2, 8), conv.variables().get(0).shape(), "the first filter reads 2 images' channels");
      assertEquals(Shape.of(3, 1), conv.apply(tf.zeros(tf.constant(new int[] {6, 28, 28, 1}), TFloat32.class)).shape());
    }
  }

  /**
   * o_b(x_i) = sum_j exp(-||M_i,b - M_j,b||_1): n for every kernel when the batch is n copies of
   * one sample, the formula's value (below n) for a diverse batch.
   */
  @Test
  void minibatchFeaturesFollowThePapersFormula() {
    int n = 3, in = 4, kernels = 2, size = 3;
    float[] diverse = {0.1f, -0.4f, 0.9f, 0.3f, -1.2f, 0.5f, 0.0f, 0.7f, 0.6f, 0.2f, -0.3f, -0.8f};
    float[] copies = new float[n * in];
    for (int i = 0; i < copies.length; i++) {
      copies[i] = diverse[i % in];
    }
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Weights w = new Weights(tf, 7);
      Layer layer = Layers.minibatchDiscrimination(w, in, kernels, size, 1f);
      Variable<TFloat32> t = w.variables().get(0);
      Operand<TFloat32> ofDiverse = layer.apply(tf, tf.constant(Shape.of(n, in), DataBuffers.of(diverse)));
      Operand<TFloat32> ofCopies = layer.apply(tf, tf.constant(Shape.of(n, in), DataBuffers.of(copies)));
      s.initialize();
      try (Result r = s.runner().fetch(t).fetch(ofDiverse).fetch(ofCopies).run()) {
        float[] kernel = flat((TFloat32) r.get(0));
        float[] outDiverse = flat((TFloat32) r.get(1));
        float[] outCopies = flat((TFloat32) r.get(2));
        double[][][] m = new double[n][kernels][size];
        for (int i = 0; i < n; i++) {
          for (int k = 0; k < kernels * size; k++) {
            for (int a = 0; a < in; a++) {
              m[i][k / size][k % size] += diverse[i * in + a] * kernel[a * kernels * size + k];
            }
          }
        }
        for (int i = 0; i < n; i++) {
          for (int a = 0; a < in; a++) {
            assertEquals(diverse[i * in + a], outDiverse[i * (in + kernels) + a], 0f, "the features pass through");
          }
          for (int b = 0; b < kernels; b++) {
            double expected = 0;
            for (int j = 0; j < n; j++) {
              double l1 = 0;
              for (int c = 0; c < size; c++) {
                l1 += Math.abs(m[i][b][c] - m[j][b][c]);
              }
              expected += Math.exp(-l1);
            }
            assertEquals(expected, outDiverse[i * (in + kernels) + in + b], 1e-5);
            assertTrue(expected < n, "a diverse batch is less close than copies");
            assertEquals(n, outCopies[i * (in + kernels) + in + b], 1e-6, "copies are as close as can be");
          }
        }
      }
    }
  }

  @Test
  void maxoutKeepsTheLargestPieceOfEachUnit() {
    float[] x = {1, -2, 3, -4, -5, -6};
    assertArrayEquals(new float[] {3, -4},
        run(tf -> Layers.maxout(2, 3).apply(tf, tf.constant(Shape.of(1, 6), DataBuffers.of(x))), Shape.of(1, 2)), 0f);
  }

  @Test
  void aPackingThatDoesNotDivideTheBatchIsRefusedWithDivisors() {
    ParameterException e = assertThrows(ParameterException.class,
        () -> CriticOptions.read(new Parameters("architecture 'dcgan'", Map.of("packing", 3)), 64));
    assertTrue(e.getMessage().contains("packing 3 does not divide the batch of 64"), e.getMessage());
    assertEquals(new CriticOptions(4, 0, 5, false),
        CriticOptions.read(new Parameters("architecture 'dcgan'", Map.of("packing", 4)), 64));
  }

  private static float[] run(java.util.function.Function<Ops, Operand<TFloat32>> build, Shape expected) {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Operand<TFloat32> out = build.apply(tf);
      try (Result r = s.runner().fetch(out).run()) {
        TFloat32 t = (TFloat32) r.get(0);
        assertEquals(expected, t.shape());
        return flat(t);
      }
    }
  }

  private static float[] flat(TFloat32 t) {
    float[] v = new float[(int) t.shape().size()];
    t.copyTo(DataBuffers.of(v, false, false));
    return v;
  }
}
