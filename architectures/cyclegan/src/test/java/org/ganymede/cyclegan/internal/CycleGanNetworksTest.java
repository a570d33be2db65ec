package org.ganymede.cyclegan.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.ganymede.nn.Gradients;
import org.ganymede.nn.ImageToImageLayout;
import org.ganymede.nn.Network;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
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

class CycleGanNetworksTest {
  private static final int BATCH = 2;

  @BeforeAll
  static void register() {
    Gradients.registerMissing();
  }

  @ParameterizedTest(name = "ResNet, {0} px, {1} channels")
  @CsvSource({"32, 1, 6", "64, 3, 6"})
  void resnetGeneratorKeepsTheImageShape(int size, int channels, int blocks) {
    float[] out = assertOutputShape(size, channels, new long[] {BATCH, size, size, channels},
        tf -> CycleGanNetworks.resnetGenerator(tf, 1, size, channels, channels, 64, blocks));
    assertInTanhRange(out);
  }

  @ParameterizedTest(name = "U-Net, {0} px, {1} channels, {2} levels")
  @CsvSource({"32, 1, 5", "64, 3, 6"})
  void unetGeneratorKeepsTheImageShape(int size, int channels, int downs) {
    float[] out = assertOutputShape(size, channels, new long[] {BATCH, size, size, channels},
        tf -> CycleGanNetworks.unetGenerator(tf, 1, size, channels, channels, 64, downs));
    assertInTanhRange(out);
  }

  @ParameterizedTest(name = "PatchGAN, {0} px, {1} channels: {2}x{2} patches")
  @CsvSource({"32, 1, 2", "64, 3, 6"})
  void patchDiscriminatorGivesOneLogitPerPatch(int size, int channels, int grid) {
    // Per side: stride-2 layers 32 -> 16 -> 8 -> 4 (64 -> 32 -> 16 -> 8), stride-1 layers s -> s - 1, twice.
    assertEquals(grid, ImageToImageLayout.patchGridSide(size, 3));
    assertOutputShape(size, channels, new long[] {BATCH, grid, grid, 1},
        tf -> CycleGanNetworks.patchDiscriminator(tf, 1, channels, 64, 3));
  }

  @Test
  void patchGridOfTheReferenceSizes() {
    assertEquals(14, ImageToImageLayout.patchGridSide(128, 3));
    assertEquals(30, ImageToImageLayout.patchGridSide(256, 3));
  }

  @Test
  void resnetGeneratorHasTheReferenceParameterCount() {
    // The reference's ResnetGenerator(3, 3, ngf 64, instance norm, 9 blocks).
    assertEquals(11_378_179L, count(tf -> CycleGanNetworks.resnetGenerator(tf, 1, 256, 3, 3, 64, 9)));
    assertEquals(resnetClosedForm(3, 3, 64, 9), 11_378_179L);
    assertEquals(resnetClosedForm(1, 1, 32, 6), count(tf -> CycleGanNetworks.resnetGenerator(tf, 1, 32, 1, 1, 32, 6)));
  }

  @Test
  void patchDiscriminatorHasTheReferenceParameterCount() {
    // The reference's NLayerDiscriminator(3, ndf 64, 3 layers, instance norm).
    assertEquals(2_764_737L, count(tf -> CycleGanNetworks.patchDiscriminator(tf, 1, 3, 64, 3)));
    long oneChannelFiveLayers = conv(4, 1, 16) + conv(4, 16, 32) + conv(4, 32, 64) + conv(4, 64, 128)
        + conv(4, 128, 128) + conv(4, 128, 128) + conv(4, 128, 1);
    assertEquals(oneChannelFiveLayers, count(tf -> CycleGanNetworks.patchDiscriminator(tf, 1, 1, 16, 5)));
  }

  @Test
  void unetGeneratorHasTheClosedFormParameterCount() {
    // Variables are only declared, never initialised: counting the 256 px U-Net is cheap. Its
    // count with instance norm (no affine parameters, every convolution with a bias) is
    // 54,409,603. The reference's published 54.414 M is pix2pix's default, batch norm: convolutions
    // without bias but the last, 2 parameters per normalised channel, which gives 54,413,955.
    assertEquals(unetClosedForm(3, 3, 64, 8), count(tf -> CycleGanNetworks.unetGenerator(tf, 1, 256, 3, 3, 64, 8)));
    assertEquals(54_409_603L, unetClosedForm(3, 3, 64, 8));
    assertEquals(unetClosedForm(3, 3, 64, 7), count(tf -> CycleGanNetworks.unetGenerator(tf, 1, 128, 3, 3, 64, 7)));
    assertEquals(unetClosedForm(1, 1, 16, 5), count(tf -> CycleGanNetworks.unetGenerator(tf, 1, 32, 1, 1, 16, 5)));
  }

  @Test
  void defaultsFollowTheImageSize() {
    assertEquals(6, CycleGanNetworks.defaultBlocks(32));
    assertEquals(6, CycleGanNetworks.defaultBlocks(128));
    assertEquals(9, CycleGanNetworks.defaultBlocks(256));
    assertEquals(5, ImageToImageLayout.unetDownsFor(32));
    assertEquals(6, ImageToImageLayout.unetDownsFor(64));
    assertEquals(7, ImageToImageLayout.unetDownsFor(128));
    assertEquals(8, ImageToImageLayout.unetDownsFor(256));
    assertThrows(IllegalArgumentException.class, () -> ImageToImageLayout.unetDownsFor(16));
    assertThrows(IllegalArgumentException.class, () -> ImageToImageLayout.unetDownsFor(96));
  }

  @Test
  void rejectsSizesTheNetworksCannotKeep() {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      assertThrows(IllegalArgumentException.class, () -> CycleGanNetworks.resnetGenerator(tf, 1, 30, 1, 1, 8, 2));
      assertThrows(IllegalArgumentException.class, () -> CycleGanNetworks.unetGenerator(tf, 1, 32, 1, 1, 8, 6));
      assertThrows(IllegalArgumentException.class, () -> CycleGanNetworks.unetGenerator(tf, 1, 32, 1, 1, 8, 4));
      assertThrows(IllegalArgumentException.class, () -> CycleGanNetworks.patchDiscriminator(tf, 1, 1, 8, 0));
    }
  }

  @Test
  void gradientOfTheResnetGeneratorReachesEveryVariable() {
    assertGradientReachesEveryVariable(32, 1, tf -> CycleGanNetworks.resnetGenerator(tf, 3, 32, 1, 1, 8, 2), false);
  }

  @Test
  void gradientOfTheUnetGeneratorReachesEveryVariable() {
    assertGradientReachesEveryVariable(32, 3, tf -> CycleGanNetworks.unetGenerator(tf, 3, 32, 3, 3, 4, 5), false);
  }

  @Test
  void gradientOfAnInputGradientPenaltyReachesEveryDiscriminatorVariable() {
    assertGradientReachesEveryVariable(32, 1, tf -> CycleGanNetworks.patchDiscriminator(tf, 3, 1, 8, 3), true);
  }

  // ---------------------------------------------------------------------------------------------

  private interface NetworkFactory {
    Network build(Ops tf);
  }

  private static long count(NetworkFactory factory) {
    try (Graph g = new Graph()) {
      return factory.build(Ops.create(g)).parameterCount();
    }
  }

  private static long conv(int kernel, int in, int out) {
    return (long) kernel * kernel * in * out + out;
  }

  private static long resnetClosedForm(int in, int out, int ngf, int blocks) {
    return conv(7, in, ngf) + conv(3, ngf, 2 * ngf) + conv(3, 2 * ngf, 4 * ngf)
        + blocks * 2 * conv(3, 4 * ngf, 4 * ngf)
        + conv(3, 4 * ngf, 2 * ngf) + conv(3, 2 * ngf, ngf) + conv(7, ngf, out);
  }

  /** Down and up convolution of each level, innermost first; every level but the innermost upsamples a concatenation. */
  private static long unetClosedForm(int in, int out, int ngf, int downs) {
    long n = conv(4, 8 * ngf, 8 * ngf) + conv(4, 8 * ngf, 8 * ngf);
    n += (downs - 5) * (conv(4, 8 * ngf, 8 * ngf) + conv(4, 16 * ngf, 8 * ngf));
    n += conv(4, 4 * ngf, 8 * ngf) + conv(4, 16 * ngf, 4 * ngf);
    n += conv(4, 2 * ngf, 4 * ngf) + conv(4, 8 * ngf, 2 * ngf);
    n += conv(4, ngf, 2 * ngf) + conv(4, 4 * ngf, ngf);
    return n + conv(4, in, ngf) + conv(4, 2 * ngf, out);
  }

  private static float[] assertOutputShape(int size, int channels, long[] expected, NetworkFactory factory) {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Network net = factory.build(tf);
      Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, size, size, channels)));
      Operand<TFloat32> y = net.apply(x);
      try (Session s = new Session(g); TFloat32 in = image(size, channels)) {
        s.initialize();
        try (Result r = s.runner().feed(x, in).fetch(y).run()) {
          TFloat32 out = (TFloat32) r.get(0);
          assertArrayEquals(expected, out.shape().asArray());
          return flat(out);
        }
      }
    }
  }

  private static void assertInTanhRange(float[] values) {
    boolean varies = false;
    for (float v : values) {
      assertTrue(v >= -1 && v <= 1, "tanh output out of range: " + v);
      varies |= v != values[0];
    }
    assertTrue(varies, "constant output");
  }

  /**
   * Differentiates a sum of a non-linear function of the output (or, with {@code penalty}, the squared norm of its
   * gradient with respect to the input, as gradient penalties do) with respect to every variable.
   * A bias right before an instance norm is cancelled by the norm's mean: its gradient is zero in
   * exact arithmetic (the reference keeps those biases too), so only convolution filters and the
   * biases of the last layer must get a non-zero one; every variable's must be finite.
   */
  private static void assertGradientReachesEveryVariable(
      int size, int channels, NetworkFactory factory, boolean penalty) {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Network net = factory.build(tf);
      Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, size, size, channels)));
      Operand<TFloat32> y = net.apply(x);
      Operand<TFloat32> objective = sum(tf, tf.math.sin(tf.math.add(tf.math.mul(y, tf.constant(3f)), tf.constant(0.5f))));
      if (penalty) {
        @SuppressWarnings("unchecked")
        Operand<TFloat32> dx = (Operand<TFloat32>) g.addGradients(objective.asOutput(), new Output<?>[] {x.asOutput()})[0];
        objective = sum(tf, tf.math.square(dx));
      }
      List<Variable<TFloat32>> variables = net.variables();
      List<Output<?>> outputs = new ArrayList<>();
      for (Variable<TFloat32> v : variables) {
        outputs.add(v.asOutput());
      }
      Output<?>[] grads = g.addGradients(objective.asOutput(), outputs.toArray(new Output<?>[0]));
      assertEquals(variables.size(), grads.length);
      try (Session s = new Session(g); TFloat32 in = image(size, channels)) {
        s.initialize();
        Session.Runner runner = s.runner().feed(x, in);
        for (Output<?> o : grads) {
          runner.fetch(o);
        }
        try (Result r = runner.run()) {
          for (int i = 0; i < grads.length; i++) {
            String name = variables.get(i).op().name();
            double magnitude = 0;
            for (float v : flat((TFloat32) r.get(i))) {
              magnitude += Math.abs(v);
            }
            assertTrue(Double.isFinite(magnitude), name + ": " + magnitude);
            if (name.contains("filter") || i == grads.length - 1) {
              assertTrue(magnitude > 0, "no gradient reaches " + name);
            }
          }
        }
      }
    }
  }

  private static TFloat32 image(int size, int channels) {
    return TFloat32.tensorOf(Shape.of(BATCH, size, size, channels), d -> d.scalars().forEachIndexed(
        (i, v) -> v.setFloat((float) Math.sin(0.3 * i[1] + 0.7 * i[2] + 1.1 * i[3] + 2.3 * i[0]))));
  }

  private static Operand<TFloat32> sum(Ops tf, Operand<TFloat32> x) {
    return tf.reduceSum(x, tf.constant(new int[] {0, 1, 2, 3}));
  }

  private static float[] flat(TFloat32 t) {
    List<Float> values = new ArrayList<>();
    t.scalars().forEach(v -> values.add(v.getFloat()));
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }
}
