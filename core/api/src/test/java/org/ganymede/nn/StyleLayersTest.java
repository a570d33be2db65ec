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

  @Test
  void demodulationKeepsUnitVarianceWhateverTheStyles() {
    int n = 8;
    int size = 16;
    int in = 32;
    int out = 16;
    Random random = new Random(3);
    float[][][][] x = new float[n][size][size][in];
    for (float[][][] a : x) for (float[][] b : a) for (float[] c : b) for (int i = 0; i < in; i++) c[i] = (float) random.nextGaussian();
    float[][][][] weight = new float[3][3][in][out];
    for (float[][][] a : weight) for (float[][] b : a) for (float[] c : b) for (int i = 0; i < out; i++) c[i] = (float) random.nextGaussian();
    float[][] styles = new float[n][in];
    for (float[] row : styles) for (int i = 0; i < in; i++) row[i] = (float) Math.exp(random.nextGaussian()); // log-normal: far from 1
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Operand<TFloat32> xs = tf.constant(x);
      Operand<TFloat32> w = tf.constant(weight);
      Operand<TFloat32> s = tf.constant(styles);
      Operand<TFloat32> tripled = tf.math.mul(s, tf.constant(3f));
      Operand<TFloat32> demod = StyleLayers.modulatedConv2d(tf, xs, w, s, true);
      Operand<TFloat32> demodTripled = StyleLayers.modulatedConv2d(tf, xs, w, tripled, true);
      Operand<TFloat32> plain = StyleLayers.modulatedConv2d(tf, xs, w, s, false);
      // Sample 0 convolved with its own modulated and demodulated weight, as the reference's grouped conv does.
      Operand<TFloat32> w0 = tf.math.mul(w, tf.reshape(tf.slice(s, tf.constant(new int[] {0, 0}), tf.constant(new int[] {1, in})),
          tf.constant(new long[] {1, 1, in, 1})));
      w0 = tf.math.mul(w0, tf.math.rsqrt(tf.math.add(
          tf.reduceSum(tf.math.square(w0), tf.constant(new int[] {0, 1, 2})), tf.constant(1e-8f))));
      Operand<TFloat32> sample0 = tf.nn.conv2d(
          tf.slice(xs, tf.constant(new int[] {0, 0, 0, 0}), tf.constant(new int[] {1, size, size, in})),
          w0, java.util.Arrays.asList(1L, 1L, 1L, 1L), "SAME");
      try (Session sess = new Session(g)) {
        float[] d = values(sess, demod);
        float[] d3 = values(sess, demodTripled);
        float[] p = values(sess, plain);
        float[] d0 = values(sess, sample0);
        for (int i = 0; i < d0.length; i++) {
          assertEquals(d0[i], d[i], 1e-4, "per-sample weight at " + i);
        }
        for (int i = 0; i < d.length; i++) {
          assertEquals(d[i], d3[i], 1e-4 * (1 + Math.abs(d[i])), "demodulated output depends on the style's scale at " + i);
        }
        double demodVariance = interiorMeanSquare(d, n, size, out);
        assertTrue(demodVariance > 0.85 && demodVariance < 1.15, "demodulated variance " + demodVariance);
        // Without demodulation the variance is, per sample, sum over kernel, input and output of
        // (w s)^2 divided by the number of outputs: it follows the styles.
        double expected = 0;
        for (int b = 0; b < n; b++) {
          for (float[][][] a : weight) for (float[][] row : a) for (int i = 0; i < in; i++) for (int o = 0; o < out; o++) {
            expected += row[i][o] * row[i][o] * styles[b][i] * styles[b][i];
          }
        }
        expected /= n * out;
        double plainVariance = interiorMeanSquare(p, n, size, out);
        assertTrue(plainVariance > 10, "undemodulated variance " + plainVariance);
        assertEquals(1, plainVariance / expected, 0.1, "undemodulated variance " + plainVariance + " against " + expected);
      }
    }
  }

  @Test
  void modulatedLayerFromLatentsKeepsUnitVariance() {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      StyleLayers.Conditioned conv = StyleLayers.modulatedConv2d(new Weights(tf, 9), 8, 16, 16, 3, true);
      StyleLayers.Conditioned rgb = StyleLayers.modulatedConv2d(new Weights(tf, 10), 8, 16, 3, 1, false);
      Operand<TFloat32> x = tf.random.statelessRandomNormal(tf.constant(new long[] {8, 12, 12, 16}), tf.constant(new long[] {1, 2}));
      Operand<TFloat32> w = tf.math.mul(tf.random.statelessRandomNormal(tf.constant(new long[] {8, 8}), tf.constant(new long[] {3, 4})), tf.constant(4f));
      try (Session s = new Session(g)) {
        s.initialize();
        double v = interiorMeanSquare(values(s, conv.apply(tf, x, w)), 8, 12, 16);
        assertTrue(v > 0.8 && v < 1.25, "variance " + v);
        // toRGB: 1x1, no demodulation, weights 1/sqrt(16): the variance is the mean square style.
        double rgb2 = interiorMeanSquare(values(s, rgb.apply(tf, x, w)), 8, 12, 3);
        assertTrue(rgb2 > 2, "toRGB variance " + rgb2 + " should follow styles 1 + 4 N(0,1)");
      }
    }
  }

  @Test
  void zeroNoiseStrengthLeavesTheInputAndGradientReachesIt() {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Weights weights = new Weights(tf, 1);
      StyleLayers.Conditioned noise = StyleLayers.noise(weights);
      Operand<TFloat32> x = tf.random.statelessRandomNormal(tf.constant(new long[] {2, 4, 4, 3}), tf.constant(new long[] {5, 6}));
      Operand<TFloat32> z = tf.random.statelessRandomNormal(tf.constant(new long[] {2, 4, 4, 1}), tf.constant(new long[] {7, 8}));
      Operand<TFloat32> r = tf.random.statelessRandomNormal(tf.constant(new long[] {2, 4, 4, 3}), tf.constant(new long[] {9, 9}));
      Operand<TFloat32> y = noise.with(z).apply(tf, x);
      Operand<TFloat32> loss = tf.reduceSum(tf.math.mul(y, r), tf.constant(new int[] {0, 1, 2, 3}));
      Output<?> dStrength = g.addGradients(loss.asOutput(), new Output<?>[] {weights.variables().get(0).asOutput()})[0];
      // d/dstrength sum((x + z strength) r) = sum over pixels of z times r summed over channels.
      Operand<TFloat32> expected = tf.reduceSum(tf.math.mul(z, r), tf.constant(new int[] {0, 1, 2, 3}));
      try (Session s = new Session(g)) {
        s.initialize();
        float[] in = values(s, x);
        float[] outs = values(s, y);
        for (int i = 0; i < in.length; i++) {
          assertEquals(in[i], outs[i], 0f, "at " + i);
        }
        float want = values(s, expected)[0];
        float got = values(s, dStrength)[0];
        assertTrue(Math.abs(want) > 1, "a test that can fail needs a gradient away from 0: " + want);
        assertEquals(want, got, 1e-4 * Math.abs(want));
      }
    }
  }

  @Test
  void minibatchStddevMatchesAHandComputation() {
    // n = 4, group 2: groups {0, 2} and {1, 3} as the reference's reshape(G, -1, ...) makes them.
    int n = 4;
    float[][][][] x = new float[n][2][2][2];
    for (int b = 0; b < n; b++) for (int i = 0; i < 2; i++) for (int j = 0; j < 2; j++) for (int c = 0; c < 2; c++) {
      x[b][i][j][c] = (float) Math.sin(1 + b * 1.7 + i * 0.3 + j * 2.1 + c * 0.9) * (b + 1);
    }
    double[] expected = new double[n];
    for (int grp = 0; grp < 2; grp++) {
      double sum = 0;
      for (int i = 0; i < 2; i++) for (int j = 0; j < 2; j++) for (int c = 0; c < 2; c++) {
        double a = x[grp][i][j][c];
        double b = x[grp + 2][i][j][c];
        double mean = (a + b) / 2;
        sum += Math.sqrt(((a - mean) * (a - mean) + (b - mean) * (b - mean)) / 2 + 1e-8);
      }
      expected[grp] = expected[grp + 2] = sum / 8;
    }
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> in = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 2, 2, 2)));
      Operand<TFloat32> y = StyleLayers.minibatchStddev(2, 1).apply(tf, in);
      Operand<TFloat32> whole = StyleLayers.minibatchStddev().apply(tf, in);
      org.junit.jupiter.api.Assertions.assertArrayEquals(new long[] {-1, 2, 2, 3}, y.shape().asArray());
      try (Session s = new Session(g); TFloat32 t = TFloat32.tensorOf(org.tensorflow.ndarray.StdArrays.ndCopyOf(x))) {
        float[] out = fetch(s, y, in, t);
        for (int b = 0; b < n; b++) for (int p = 0; p < 4; p++) {
          for (int c = 0; c < 2; c++) {
            assertEquals(x[b][p / 2][p % 2][c], out[(b * 4 + p) * 3 + c], 0f);
          }
          assertEquals(expected[b], out[(b * 4 + p) * 3 + 2], 1e-5, "sample " + b + " pixel " + p);
        }
        // Three samples and the default group of 4: the group is the whole batch.
        try (TFloat32 three = TFloat32.tensorOf(org.tensorflow.ndarray.StdArrays.ndCopyOf(
            new float[][][][] {x[0], x[1], x[2]}))) {
          float[] o = fetch(s, whole, in, three);
          double sum = 0;
          for (int i = 0; i < 2; i++) for (int j = 0; j < 2; j++) for (int c = 0; c < 2; c++) {
            double mean = (x[0][i][j][c] + x[1][i][j][c] + x[2][i][j][c]) / 3.0;
            double var = 0;
            for (int b = 0; b < 3; b++) var += (x[b][i][j][c] - mean) * (x[b][i][j][c] - mean);
            sum += Math.sqrt(var / 3 + 1e-8);
          }
          assertEquals(sum / 8, o[2], 1e-5);
          assertEquals(sum / 8, o[3 * 4 * 3 - 1], 1e-5);
        }
        // Six samples do not split in groups of 4.
        try (TFloat32 six = TFloat32.tensorOf(org.tensorflow.ndarray.StdArrays.ndCopyOf(
            new float[][][][] {x[0], x[1], x[2], x[3], x[0], x[1]}))) {
          RuntimeException e = assertThrows(RuntimeException.class, () -> fetch(s, whole, in, six));
          assertTrue(e.getMessage().contains("divisible"), e.getMessage());
        }
      }
    }
  }

  @Test
  void downsampleAveragesBlocksAndUpsampleRepeats() {
    float[][][][] x = new float[1][4][4][1];
    for (int i = 0; i < 4; i++) for (int j = 0; j < 4; j++) x[0][i][j][0] = i * 4 + j;
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Operand<TFloat32> down = StyleLayers.downsample().apply(tf, tf.constant(x));
      Operand<TFloat32> up = StyleLayers.upsample().apply(tf, down);
      assertEquals(Shape.of(1, 2, 2, 1), down.shape());
      assertEquals(Shape.of(1, 4, 4, 1), up.shape());
      try (Session s = new Session(g)) {
        float[] d = values(s, down);
        assertEquals(java.util.List.of(2.5f, 4.5f, 10.5f, 12.5f), java.util.List.of(d[0], d[1], d[2], d[3]));
        float[] u = values(s, up);
        for (int i = 0; i < 4; i++) for (int j = 0; j < 4; j++) {
          assertEquals(d[(i / 2) * 2 + j / 2], u[i * 4 + j], 0f);
        }
      }
    }
  }

  /** Mean square over the pixels a 3x3 'SAME' conv sees whole, for zero-mean outputs. */
  private static double interiorMeanSquare(float[] y, int n, int size, int channels) {
    double sum = 0;
    long count = 0;
    for (int b = 0; b < n; b++) for (int i = 1; i < size - 1; i++) for (int j = 1; j < size - 1; j++) for (int c = 0; c < channels; c++) {
      float v = y[((b * size + i) * size + j) * channels + c];
      sum += v * (double) v;
      count++;
    }
    return sum / count;
  }

  private static float[] fetch(Session s, Operand<TFloat32> o, Placeholder<TFloat32> in, TFloat32 value) {
    try (Result r = s.runner().feed(in, value).fetch(o).run()) {
      TFloat32 t = (TFloat32) r.get(0);
      float[] out = new float[(int) t.size()];
      int[] i = {0};
      t.scalars().forEach(v -> out[i[0]++] = v.getFloat());
      return out;
    }
  }

  @Test
  void mappingNormalisesZAndUsesTheSlowLearningRate() {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Weights weights = new Weights(tf, 4);
      Layer mapping = StyleLayers.mapping(weights, 16, 64, 3);
      assertEquals(6, weights.variables().size());
      Operand<TFloat32> z = tf.math.mul(
          tf.random.statelessRandomNormal(tf.constant(new long[] {64, 16}), tf.constant(new long[] {4, 4})), tf.constant(5f));
      Operand<TFloat32> normed = StyleLayers.pixelNorm().apply(tf, z);
      Operand<TFloat32> w = mapping.apply(tf, z);
      Operand<TFloat32> wScaled = mapping.apply(tf, tf.math.mul(z, tf.constant(7f)));
      try (Session s = new Session(g)) {
        s.initialize();
        float[] n = values(s, normed);
        for (int row = 0; row < 64; row++) {
          double sum = 0;
          for (int i = 0; i < 16; i++) {
            sum += n[row * 16 + i] * (double) n[row * 16 + i];
          }
          assertEquals(1, sum / 16, 1e-5, "row " + row);
        }
        // Pixel norm first: the scale of z does not matter.
        float[] a = values(s, w);
        float[] b = values(s, wScaled);
        double sum2 = 0;
        for (int i = 0; i < a.length; i++) {
          assertEquals(a[i], b[i], 1e-5 * (1 + Math.abs(a[i])));
          sum2 += a[i] * (double) a[i];
        }
        // He-scaled effective weights and the sqrt(2) gain keep w's second moment near z's (1).
        assertTrue(sum2 / a.length > 0.6 && sum2 / a.length < 1.6, "w's mean square " + sum2 / a.length);
        // The stored weights are 100 times the effective ones.
        float[] first = values(s, weights.variables().get(0));
        double stored = 0;
        for (float v : first) {
          stored += v * (double) v;
        }
        assertEquals(100, Math.sqrt(stored / first.length), 10);
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
