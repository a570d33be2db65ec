package org.ganymede.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/** R1 and path-length penalties differentiate a gradient through StyleGAN2's blocks. */
class StyleGradientsTest {
  @BeforeAll
  static void register() {
    Gradients.registerMissing();
  }

  @Test
  void r1PenaltyOfAResidualDiscriminatorReachesEveryVariable() {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Weights w = new Weights(tf, 21);
      List<Layer> layers = List.of(
          StyleLayers.conv2d(w, 1, 4, 1, 1f, true), StyleLayers.leakyRelu(), // fromRGB
          StyleLayers.residualBlock(w, 4, 8), // 8x8 -> 4x4
          StyleLayers.minibatchStddev(),
          StyleLayers.conv2d(w, 9, 8, 3, 1f, true), StyleLayers.leakyRelu(),
          Layers.reshape(4 * 4 * 8),
          StyleLayers.dense(w, 4 * 4 * 8, 8, 1f, 0f), StyleLayers.leakyRelu(),
          StyleLayers.dense(w, 8, 1, 1f, 0f));
      Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 8, 8, 1)));
      Operand<TFloat32> logits = x;
      for (Layer l : layers) {
        logits = l.apply(tf, logits);
      }
      Operand<TFloat32> out = tf.reduceSum(logits, tf.constant(new int[] {0, 1}));
      Operand<TFloat32> grad = floats(g.addGradients(out.asOutput(), new Output<?>[] {x.asOutput()})[0]);
      Operand<TFloat32> r1 = tf.reduceSum(tf.math.square(grad), tf.constant(new int[] {0, 1, 2, 3}));
      List<Variable<TFloat32>> vars = w.variables();
      // After the minibatch stddev D is piecewise linear: a bias there moves D without changing
      // its slope, so R1's gradient for it is exactly 0. Before it, a bias changes the stddev's
      // slope through the leaky ReLUs' two sides and must have a gradient.
      List<Variable<TFloat32>> shiftsOnly = new ArrayList<>();
      for (Layer l : layers.subList(4, layers.size())) {
        if (l instanceof StyleLayers.Equalized e) {
          shiftsOnly.add(e.bias());
        }
      }
      assertEquals(3, shiftsOnly.size());
      try (TFloat32 input = TFloat32.tensorOf(Shape.of(4, 8, 8, 1),
          d -> d.scalars().forEachIndexed((i, v) -> v.setFloat((float) Math.sin(i[1] + 3 * i[2] + 7 * i[0]))))) {
        assertSecondOrder(g, tf, r1, vars, shiftsOnly, x, input);
      }
    }
  }

  @Test
  void pathLengthPenaltyOfASynthesisStepReachesEveryVariable() {
    int wDim = 8;
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Weights weights = new Weights(tf, 22);
      StyleLayers.Conditioned conv = StyleLayers.modulatedConv2d(weights, wDim, 4, 6, 3, true);
      StyleLayers.Conditioned noise = StyleLayers.noise(weights);
      Layer bias = StyleLayers.bias(weights, 6, 0f);
      StyleLayers.Conditioned toRgb = StyleLayers.modulatedConv2d(weights, wDim, 6, 3, 1, false);
      Layer rgbBias = StyleLayers.bias(weights, 3, 0f);
      Layer act = StyleLayers.leakyRelu();
      Placeholder<TFloat32> latent = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, wDim)));
      // A fixed input and fixed noise; the noise strength starts at 0, so set it to something.
      Operand<TFloat32> constant = tf.random.statelessRandomNormal(tf.constant(new long[] {2, 8, 8, 4}), tf.constant(new long[] {1, 1}));
      Operand<TFloat32> z = tf.random.statelessRandomNormal(tf.constant(new long[] {2, 8, 8, 1}), tf.constant(new long[] {2, 2}));
      Operand<TFloat32> y = tf.random.statelessRandomNormal(tf.constant(new long[] {2, 8, 8, 3}), tf.constant(new long[] {3, 3}));
      Operand<TFloat32> pre = bias.apply(tf, noise.apply(tf, conv.apply(tf, constant, latent), z));
      Operand<TFloat32> h = act.apply(tf, pre);
      Operand<TFloat32> image = rgbBias.apply(tf, toRgb.apply(tf, h, latent));
      Operand<TFloat32> projected = tf.reduceSum(tf.math.mul(image, y), tf.constant(new int[] {0, 1, 2, 3}));
      Operand<TFloat32> jacobianY = floats(g.addGradients(projected.asOutput(), new Output<?>[] {latent.asOutput()})[0]);
      Operand<TFloat32> pathLength = tf.reduceSum(tf.math.square(jacobianY), tf.constant(new int[] {0, 1}));
      List<Variable<TFloat32>> vars = weights.variables();
      Variable<TFloat32> strength = vars.stream().filter(v -> v.op().name().startsWith("noise_strength")).findFirst().orElseThrow();
      Operand<TFloat32> setStrength = tf.assign(strength, tf.constant(0.7f));
      // The output bias moves the image without changing its slope in w.
      List<Variable<TFloat32>> outputBias = List.of(vars.get(vars.size() - 1));
      try (TFloat32 w = TFloat32.tensorOf(Shape.of(2, wDim),
          d -> d.scalars().forEachIndexed((i, v) -> v.setFloat((float) Math.cos(1 + i[1] * 0.7 + i[0] * 2))))) {
        assertSecondOrder(g, tf, pathLength, vars, outputBias, latent, w, setStrength);
        // The noise strength is a scalar: its gradient against a central difference. The
        // penalty jumps where a pre-activation changes sign, so the step is small enough that
        // none does, which the test checks.
        Output<?> dStrength = g.addGradients(pathLength.asOutput(), new Output<?>[] {strength.asOutput()})[0];
        Placeholder<TFloat32> at = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
        Operand<TFloat32> move = tf.assign(strength, at);
        try (Session s = new Session(g)) {
          s.initialize();
          float step = 1e-4f;
          float[] penalty = new float[3];
          String[] signs = new String[3];
          float gradient = 0;
          for (int k = 0; k < 3; k++) {
            try (TFloat32 value = TFloat32.scalarOf(0.7f + (k - 1) * step)) {
              s.runner().feed(at, value).addTarget(move).run();
            }
            try (Result r = s.runner().feed(latent, w).fetch(pathLength).fetch(dStrength).fetch(pre).run()) {
              penalty[k] = ((TFloat32) r.get(0)).getFloat();
              gradient = k == 1 ? ((TFloat32) r.get(1)).getFloat() : gradient;
              StringBuilder b = new StringBuilder();
              ((TFloat32) r.get(2)).scalars().forEach(v -> b.append(v.getFloat() < 0 ? '-' : '+'));
              signs[k] = b.toString();
            }
          }
          assertEquals(signs[0], signs[2], "a pre-activation changed sign within the step");
          float difference = (penalty[2] - penalty[0]) / (2 * step);
          assertTrue(Math.abs(gradient) > 1, "gradient " + gradient);
          assertEquals(difference, gradient, 0.02 * Math.abs(difference), "against (P(s+h) - P(s-h)) / 2h");
        }
      }
    }
  }

  /** Every variable's gradient of the penalty is finite, and non-zero except those in {@code zero}, which are 0. */
  private static void assertSecondOrder(Graph g, Ops tf, Operand<TFloat32> penalty, List<Variable<TFloat32>> vars,
      List<Variable<TFloat32>> zero, Placeholder<TFloat32> in, TFloat32 value, Operand<?>... before) {
    List<Output<?>> outputs = new ArrayList<>();
    for (Variable<TFloat32> v : vars) {
      outputs.add(v.asOutput());
    }
    Output<?>[] dv = g.addGradients(penalty.asOutput(), outputs.toArray(new Output<?>[0]));
    assertEquals(vars.size(), dv.length);
    try (Session s = new Session(g)) {
      s.initialize();
      for (Operand<?> op : before) {
        s.runner().addTarget(op).run();
      }
      Session.Runner r = s.runner().feed(in, value).fetch(penalty);
      for (Output<?> o : dv) {
        r.fetch(o);
      }
      try (Result res = r.run()) {
        float p = ((TFloat32) res.get(0)).getFloat();
        assertTrue(p > 0 && Float.isFinite(p), "penalty " + p);
        for (int i = 0; i < dv.length; i++) {
          TFloat32 t = (TFloat32) res.get(i + 1);
          double[] sum = {0};
          t.scalars().forEach(v -> sum[0] += Math.abs(v.getFloat()));
          String name = vars.get(i).op().name();
          assertTrue(Double.isFinite(sum[0]), "second-order gradient of " + name + " is " + sum[0]);
          if (zero.contains(vars.get(i))) {
            assertEquals(0, sum[0], 0, "second-order gradient of " + name);
          } else {
            assertTrue(sum[0] > 0, "second-order gradient of " + name + " is " + sum[0]);
          }
        }
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static Operand<TFloat32> floats(Output<?> o) {
    return (Operand<TFloat32>) o;
  }
}
