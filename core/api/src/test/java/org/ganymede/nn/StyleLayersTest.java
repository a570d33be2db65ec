package org.ganymede.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.exceptions.TFInvalidArgumentException;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** The StyleGAN2 blocks against hand computations and the statistics they are meant to keep. */
class StyleLayersTest {

  @Test
  void equalizedDenseMultipliesByTheRuntimeGain() {
    int in = 64;
    int out = 16;
    float lr = 0.01f;
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Weights weights = new Weights(tf, 11);
      StyleLayers.Equalized layer = StyleLayers.dense(weights, in, out, lr, 0f);
      assertEquals(lr / Math.sqrt(in), layer.weightGain(), 1e-7);
      assertEquals(lr, layer.biasGain(), 0);
      // The identity as input: the output rows are the effective weight.
      Operand<TFloat32> y = layer.apply(tf, tf.constant(identity(in)));
      // The variable's draw is N(0,1) from the seed and its position, times 1/lr.
      Operand<TFloat32> draw = tf.random.statelessRandomNormal(
          tf.constant(new long[] {in, out}), tf.constant(new long[] {11, 0}));
      try (Session s = new Session(g)) {
        s.initialize();
        float[] eff = values(s, y);
        float[] unit = values(s, draw);
        float[] variable = values(s, layer.weight());
        double sum2 = 0;
        for (int i = 0; i < eff.length; i++) {
          assertEquals(unit[i] / Math.sqrt(in), eff[i], 1e-6, "effective weight " + i);
          assertEquals(unit[i] / lr, variable[i], 1e-3 * Math.abs(unit[i] / lr) + 1e-6, "stored weight " + i);
          sum2 += eff[i] * (double) eff[i];
        }
        // The effective weights have the He scale 1/sqrt(fan in) whatever lr is.
        assertEquals(1 / Math.sqrt(in), Math.sqrt(sum2 / eff.length), 0.1 / Math.sqrt(in));
      }
    }
  }

  @Test
  void equalizedConvMultipliesByTheRuntimeGain() {
    int in = 4;
    int out = 3;
    int k = 3;
    float lr = 0.5f;
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Weights weights = new Weights(tf, 5);
      StyleLayers.Equalized layer = StyleLayers.conv2d(weights, in, out, k, lr, true);
      assertEquals(lr / Math.sqrt(in * k * k), layer.weightGain(), 1e-7);
      // A unit impulse in channel 0 at the centre of a 5x5 image: the 3x3 output around it is the
      // (flipped) filter of input channel 0.
      float[][][][] x = new float[1][5][5][in];
      x[0][2][2][0] = 1f;
      Operand<TFloat32> y = layer.apply(tf, tf.constant(x));
      Operand<TFloat32> draw = tf.random.statelessRandomNormal(
          tf.constant(new long[] {k, k, in, out}), tf.constant(new long[] {5, 0}));
      try (Session s = new Session(g)) {
        s.initialize();
        float[] response = values(s, y); // [1,5,5,out]
        float[] unit = values(s, draw); // [k,k,in,out]
        double gain = lr / Math.sqrt(in * k * k);
        for (int dy = -1; dy <= 1; dy++) {
          for (int dx = -1; dx <= 1; dx++) {
            for (int o = 0; o < out; o++) {
              float got = response[((2 + dy) * 5 + (2 + dx)) * out + o];
              float want = (float) (unit[(((1 - dy) * k + (1 - dx)) * in) * out + o] / lr * gain);
              assertEquals(want, got, 1e-5, "offset " + dy + "," + dx + " channel " + o);
            }
          }
        }
      }
    }
  }

  private static float[][] identity(int n) {
    float[][] m = new float[n][n];
    for (int i = 0; i < n; i++) {
      m[i][i] = 1f;
    }
    return m;
  }

  static float[] values(Session s, Operand<?> o) {
    try (Result r = s.runner().fetch(o).run()) {
      TFloat32 t = (TFloat32) r.get(0);
      float[] out = new float[(int) t.size()];
      int[] i = {0};
      t.scalars().forEach(v -> out[i[0]++] = v.getFloat());
      return out;
    }
  }
}
