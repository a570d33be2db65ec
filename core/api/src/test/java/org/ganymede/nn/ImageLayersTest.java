package org.ganymede.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
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
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

class ImageLayersTest {
  @BeforeAll
  static void register() {
    Gradients.registerMissing();
  }

  @Test
  void instanceNormGivesEachSampleAndChannelMeanZeroAndVarianceOne() {
    int n = 3, h = 5, w = 6, c = 4;
    float[] input = new float[n * h * w * c];
    for (int i = 0; i < input.length; i++) {
      int sample = i / (h * w * c);
      int channel = i % c;
      // Each sample and channel has its own offset and spread.
      input[i] = (float) ((1 + sample + 2 * channel) * Math.sin(0.7 * i) + 5 * sample - 3 * channel);
    }
    float[] out = run(Shape.of(n, h, w, c), input, (tf, x) -> ImageLayers.instanceNorm().apply(tf, x));
    for (int s = 0; s < n; s++) {
      for (int ch = 0; ch < c; ch++) {
        double sum = 0, squares = 0;
        for (int p = 0; p < h * w; p++) {
          double v = out[(s * h * w + p) * c + ch];
          sum += v;
          squares += v * v;
        }
        double mean = sum / (h * w);
        double variance = squares / (h * w) - mean * mean;
        assertEquals(0, mean, 1e-3, "mean of sample " + s + " channel " + ch);
        assertEquals(1, variance, 1e-3, "variance of sample " + s + " channel " + ch);
      }
    }
  }

  @Test
  void reflectionPaddingMirrorsWithoutRepeatingTheEdge() {
    float[] out = run(Shape.of(1, 3, 3, 1), new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9},
        (tf, x) -> ImageLayers.reflectionPad(1).apply(tf, x));
    assertArrayEquals(new float[] {
        5, 4, 5, 6, 5,
        2, 1, 2, 3, 2,
        5, 4, 5, 6, 5,
        8, 7, 8, 9, 8,
        5, 4, 5, 6, 5}, out);
  }

  @Test
  void reflectionPaddingHasFirstAndSecondOrderGradients() {
    // Padded rows (and columns) of a 3x3 input are [1, 0, 1, 2, 1]: 0 and 2 appear once, 1 three times.
    float[] counts = {1, 3, 1, 3, 9, 3, 1, 3, 1};
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, 3, 3, 1)));
      Operand<TFloat32> padded = ImageLayers.reflectionPad(1).apply(tf, x);
      // d/dx sum(pad(x)^2 / 2) = fold(pad(x)); sum(fold(z)) = sum(z), so d/dx of its sum is fold(1) again.
      Operand<TFloat32> energy = tf.math.mul(tf.constant(0.5f), sum(tf, tf.math.square(padded)));
      Operand<TFloat32> first = floats(g.addGradients(sum(tf, padded).asOutput(), new Output<?>[] {x.asOutput()})[0]);
      Operand<TFloat32> dEnergy = floats(g.addGradients(energy.asOutput(), new Output<?>[] {x.asOutput()})[0]);
      Operand<TFloat32> second = floats(g.addGradients(sum(tf, dEnergy).asOutput(), new Output<?>[] {x.asOutput()})[0]);
      try (Session s = new Session(g);
          TFloat32 in = TFloat32.tensorOf(Shape.of(1, 3, 3, 1), DataBuffers.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}));
          Result r = s.runner().feed(x, in).fetch(first).fetch(second).run()) {
        assertArrayEquals(counts, flat((TFloat32) r.get(0)));
        assertArrayEquals(counts, flat((TFloat32) r.get(1)));
      }
    }
  }

  @Test
  void residualBlockWithZeroWeightsIsTheIdentity() {
    int n = 2, side = 5, c = 3;
    float[] input = new float[n * side * side * c];
    for (int i = 0; i < input.length; i++) {
      input[i] = (float) Math.cos(1.3 * i);
    }
    float[] out = run(Shape.of(n, side, side, c), input, (tf, x) ->
        ImageLayers.residualBlock(new Weights(tf, 1), c, 0f).apply(tf, x));
    assertArrayEquals(input, out, 1e-6f);
    // With random weights it is not.
    float[] random = run(Shape.of(n, side, side, c), input, (tf, x) ->
        ImageLayers.residualBlock(new Weights(tf, 1), c, 0.5f).apply(tf, x));
    double difference = 0;
    for (int i = 0; i < input.length; i++) {
      difference += Math.abs(random[i] - input[i]);
    }
    assertTrue(difference > 1, "difference " + difference);
  }

  @Test
  void residualBlockOwnsTwoConvolutions() {
    try (Graph g = new Graph()) {
      Network block = Network.builder(Ops.create(g), 1).add(w -> ImageLayers.residualBlock(w, 8, 0.02f)).build();
      assertEquals(2 * (3 * 3 * 8 * 8 + 8), block.parameterCount());
    }
  }

  @Test
  void transposedConvolutionPlacesTheKernelAsATransposedConvolutionWithPaddingAndOutputPadding() {
    // out[a][b] = sum over i, j of x[i][j] W[a + p - s i][b + p - s j], W indexed where it exists.
    assertTransposedConvolution(3, 2, 1, 1);
    assertTransposedConvolution(4, 2, 1, 0);
    assertTransposedConvolution(3, 1, 1, 0);
  }

  @Test
  void convolutionSidesFollowThePaddingArithmetic() {
    assertEquals(16, ImageLayers.convSide(32, 4, 2, 1));
    assertEquals(3, ImageLayers.convSide(4, 4, 1, 1));
    assertEquals(32, ImageLayers.convSide(38, 7, 1, 0));
    assertEquals(64, ImageLayers.transposedSide(32, 3, 2, 1, 1));
    assertEquals(64, ImageLayers.transposedSide(32, 4, 2, 1, 0));
    assertThrows(IllegalArgumentException.class, () -> {
      try (Graph g = new Graph()) {
        ImageLayers.conv2dTranspose(new Weights(Ops.create(g), 1), 1, 1, 3, 2, 0, 1, 4, 0.02f);
      }
    });
  }

  private static void assertTransposedConvolution(int k, int s, int p, int op) {
    int side = 3;
    int outSide = ImageLayers.transposedSide(side, k, s, p, op);
    float[] input = new float[side * side];
    for (int i = 0; i < input.length; i++) {
      input[i] = i + 1;
    }
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Weights w = new Weights(tf, 3);
      Layer layer = ImageLayers.conv2dTranspose(w, 1, 1, k, s, p, op, side, 1f);
      Variable<TFloat32> filter = w.variables().get(0);
      Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, side, side, 1)));
      Operand<TFloat32> y = layer.apply(tf, x);
      try (Session sess = new Session(g);
          TFloat32 in = TFloat32.tensorOf(Shape.of(1, side, side, 1), DataBuffers.of(input))) {
        sess.initialize();
        try (Result r = sess.runner().feed(x, in).fetch(y).fetch(filter).run()) {
          TFloat32 out = (TFloat32) r.get(0);
          TFloat32 kernel = (TFloat32) r.get(1);
          assertArrayEquals(new long[] {1, outSide, outSide, 1}, out.shape().asArray());
          for (int a = 0; a < outSide; a++) {
            for (int b = 0; b < outSide; b++) {
              double expected = 0;
              for (int i = 0; i < side; i++) {
                for (int j = 0; j < side; j++) {
                  int u = a + p - s * i;
                  int v = b + p - s * j;
                  if (u >= 0 && u < k && v >= 0 && v < k) {
                    expected += input[i * side + j] * kernel.getFloat(u, v, 0, 0);
                  }
                }
              }
              assertEquals(expected, out.getFloat(0, a, b, 0), 1e-4,
                  "k " + k + " s " + s + " p " + p + " op " + op + " at " + a + ", " + b);
            }
          }
        }
      }
    }
  }

  private interface GraphFunction {
    Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x);
  }

  private static float[] run(Shape shape, float[] input, GraphFunction f) {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(shape));
      Operand<TFloat32> y = f.apply(tf, x);
      try (Session s = new Session(g); TFloat32 in = TFloat32.tensorOf(shape, DataBuffers.of(input))) {
        s.initialize();
        try (Result r = s.runner().feed(x, in).fetch(y).run()) {
          return flat((TFloat32) r.get(0));
        }
      }
    }
  }

  private static Operand<TFloat32> sum(Ops tf, Operand<TFloat32> x) {
    return tf.reduceSum(x, tf.constant(new int[] {0, 1, 2, 3}));
  }

  static float[] flat(TFloat32 t) {
    List<Float> values = new ArrayList<>();
    t.scalars().forEach(v -> values.add(v.getFloat()));
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Operand<TFloat32> floats(Output<?> o) {
    return (Operand<TFloat32>) o;
  }
}
