package org.ganymede.losses.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.ganymede.api.Augmentation;
import org.ganymede.api.AugmentationContext;
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
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

class AugmentationTest {
  private static final int N = 4;
  private static final int H = 8;
  private static final int W = 8;
  private static final int C = 3;

  @Test
  void everyAugmentationIsTheIdentityAtStrengthZero() {
    assertIdentity(new DiffAugment(), Map.of("strength", 0));
    assertIdentity(new AdaptiveAugmentation(), Map.of("p", 0, "adaptive", false, "pipeline", "blit,geom,color,cutout"));
    assertIdentity(new InstanceNoise(), Map.of("std", 0));
  }

  @Test
  void everyAugmentationChangesImagesAtFullStrengthAndPassesGradientsBack() {
    assertDifferentiable(new DiffAugment(), Map.of());
    assertDifferentiable(new AdaptiveAugmentation(), Map.of("p", 1, "adaptive", false, "pipeline", "blit,color,cutout"));
    assertDifferentiable(new AdaptiveAugmentation(), Map.of("p", 1, "adaptive", false, "pipeline", "geom"));
    assertDifferentiable(new InstanceNoise(), Map.of("std", 0.5));
  }

  @Test
  void translationShiftsByWholePixelsWithZeroFill() {
    float[] image = images(1);
    float[] shifted = run(tf -> ImageAugments.translate(tf, constant(tf, image, 1), H, W, C,
        tf.constant(new int[] {2}), tf.constant(new int[] {-1})));
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        for (int c = 0; c < C; c++) {
          int sy = y - 2;
          int sx = x + 1;
          float expected = sy >= 0 && sy < H && sx >= 0 && sx < W ? image[(sy * W + sx) * C + c] : 0f;
          assertEquals(expected, shifted[(y * W + x) * C + c], 0f, "pixel " + y + "," + x);
        }
      }
    }
  }

  @Test
  void quarterTurnsAndFlipsMoveEveryPixelWhereTheyShould() {
    float[] image = images(1);
    float[] turned = run(tf -> ImageAugments.rotate90(tf, constant(tf, image, 1), tf.constant(new int[] {1})));
    float[] flipped = run(tf -> ImageAugments.flipX(tf, constant(tf, image, 1), tf.constant(new float[] {1f})));
    float[] fourTurns = run(tf -> {
      Operand<TFloat32> x = constant(tf, image, 1);
      for (int k = 0; k < 2; k++) {
        x = ImageAugments.rotate90(tf, x, tf.constant(new int[] {2}));
      }
      return x;
    });
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        for (int c = 0; c < C; c++) {
          // Counter-clockwise: the top row's last pixel comes to the top-left corner.
          assertEquals(image[(x * W + (W - 1 - y)) * C + c], turned[(y * W + x) * C + c], 0f);
          assertEquals(image[(y * W + (W - 1 - x)) * C + c], flipped[(y * W + x) * C + c], 0f);
        }
      }
    }
    assertArrayEquals(image, fourTurns, 0f);
  }

  /**
   * ADA's geometric maps: a quarter turn comes out exact, and a point of a rotated, scaled and
   * moved image lands where the map sends it (x right, y down, about the centre).
   */
  @Test
  void affineMapsSendEveryPointWhereTheMapDoes() {
    int side = 16;
    float[] image = new float[side * side];
    SplittableRandom random = new SplittableRandom(5);
    for (int i = 0; i < image.length; i++) {
      image[i] = (float) random.nextDouble();
    }
    float quarter = (float) (Math.PI / 2);
    float[] turned = run(tf -> ImageAugments.affine(tf, tf.constant(Shape.of(1, side, side, 1), DataBuffers.of(image)),
        side, side, rotation(tf, quarter, 1f), tf.constant(new float[] {0f}), tf.constant(new float[] {0f})));
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        // A quarter turn of x right, y down is clockwise on screen: pixel (x, y) samples (y, side - 1 - x).
        assertEquals(image[(side - 1 - x) * side + y], turned[y * side + x], 1e-5f, "pixel " + y + "," + x);
      }
    }

    float[] point = new float[side * side];
    point[5 * side + 11] = 1f; // x 11, y 5
    float angle = (float) Math.toRadians(30);
    float[] moved = run(tf -> ImageAugments.affine(tf, tf.constant(Shape.of(1, side, side, 1), DataBuffers.of(point)),
        side, side, rotation(tf, angle, 1.2f), tf.constant(new float[] {1.5f}), tf.constant(new float[] {-2f})));
    double centre = (side - 1) / 2.0;
    double px = 11 - centre;
    double py = 5 - centre;
    double expectedX = 1.2 * (Math.cos(angle) * px - Math.sin(angle) * py) + 1.5 + centre;
    double expectedY = 1.2 * (Math.sin(angle) * px + Math.cos(angle) * py) - 2 + centre;
    double mass = 0;
    double cx = 0;
    double cy = 0;
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        float v = moved[y * side + x];
        mass += v;
        cx += v * x;
        cy += v * y;
      }
    }
    assertEquals(expectedX, cx / mass, 0.3, "x of the moved point");
    assertEquals(expectedY, cy / mass, 0.3, "y of the moved point");
  }

  /** The map {@code scale * R(angle)}, R(t) = [[cos t, -sin t], [sin t, cos t]], for one sample. */
  private static List<Operand<TFloat32>> rotation(Ops tf, float angle, float scale) {
    float c = (float) Math.cos(angle) * scale;
    float s = (float) Math.sin(angle) * scale;
    return List.of(tf.constant(new float[] {c}), tf.constant(new float[] {-s}), tf.constant(new float[] {s}),
        tf.constant(new float[] {c}));
  }

  @Test
  void cutoutZeroesItsSquareClippedToTheImage() {
    float[] image = images(1);
    float[] cut = run(tf -> ImageAugments.cutout(tf, constant(tf, image, 1), H, W, tf.constant(new int[] {-1}),
        tf.constant(new int[] {5}), tf.constant(new int[] {4}), tf.constant(new int[] {4})));
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        boolean hole = y < 3 && x >= 5;
        assertEquals(hole ? 0f : image[(y * W + x) * C], cut[(y * W + x) * C], 0f, "pixel " + y + "," + x);
      }
    }
  }

  @Test
  void colourTransformsAreTheirFormulas() {
    float[] image = images(1);
    float[] contrasted = run(tf -> ImageAugments.contrast(tf, constant(tf, image, 1), tf.constant(new float[] {2f})));
    float[] saturated = run(tf -> ImageAugments.saturation(tf, constant(tf, image, 1), tf.constant(new float[] {0f})));
    double mean = 0;
    for (float v : image) {
      mean += v / image.length;
    }
    for (int i = 0; i < image.length; i++) {
      assertEquals(2 * (image[i] - mean) + mean, contrasted[i], 1e-5);
      int pixel = i / C;
      float grey = (image[pixel * C] + image[pixel * C + 1] + image[pixel * C + 2]) / 3;
      assertEquals(grey, saturated[i], 1e-5, "saturation 0 leaves each pixel's grey");
    }
  }

  @Test
  void lumaFlipAndHueRotationAreADAsColourMatrices() {
    float[] image = images(1);
    float[] flipped = run(tf -> ImageAugments.lumaFlip(tf, constant(tf, image, 1), tf.constant(new float[] {1f})));
    float[] kept = run(tf -> ImageAugments.lumaFlip(tf, constant(tf, image, 1), tf.constant(new float[] {0f})));
    float[] third = run(tf -> ImageAugments.hueRotation(tf, constant(tf, image, 1),
        tf.constant(new float[] {(float) (2 * Math.PI / 3)})));
    float[] turn = run(tf -> ImageAugments.hueRotation(tf, constant(tf, image, 1),
        tf.constant(new float[] {(float) (2 * Math.PI)})));
    float[] scaled = run(tf -> ImageAugments.scale(tf, constant(tf, image, 1), tf.constant(new float[] {0.5f})));
    assertArrayEquals(image, kept, 0f);
    assertArrayEquals(image, turn, 1e-5f, "a whole turn of hue is the identity");
    for (int pixel = 0; pixel < H * W; pixel++) {
      float grey = (image[pixel * C] + image[pixel * C + 1] + image[pixel * C + 2]) / 3;
      for (int c = 0; c < C; c++) {
        int i = pixel * C + c;
        assertEquals(image[i] - 2 * grey, flipped[i], 1e-5, "the flip negates the grey and keeps the colour");
        assertEquals(image[pixel * C + (c + 2) % 3], third[i], 1e-5, "a third of a turn: red to green to blue");
        assertEquals(image[i] / 2, scaled[i], 1e-6, "ADA's contrast scales about 0");
      }
    }
    float[] grey = new float[H * W];
    System.arraycopy(image, 0, grey, 0, grey.length);
    float[] negated = run(tf -> ImageAugments.lumaFlip(tf,
        tf.constant(Shape.of(1, H, W, 1), DataBuffers.of(grey)), tf.constant(new float[] {1f})));
    for (int i = 0; i < grey.length; i++) {
      assertEquals(-grey[i], negated[i], 1e-6, "on one channel the flip negates");
    }
    assertThrows(IllegalArgumentException.class, () -> run(tf -> ImageAugments.hueRotation(tf,
        tf.constant(Shape.of(1, H, W, 1), DataBuffers.of(grey)), tf.constant(new float[] {1f}))));
  }

  @Test
  void adaRaisesPWhileTheDiscriminatorIsSureOfTheRealDataAndLowersItAfter() {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      // Four images a batch, adjusted every 2 batches: p moves by 8 / (0.08 * 1000) = 0.1 a time.
      Augmentation.Stage ada = new AdaptiveAugmentation().build(context(tf, Map.of("interval", 2, "kimg", 0.08,
          "p", 0.25)));
      Placeholder<TFloat32> logits = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(N, 1)));
      List<Op> observe = ada.observeReal(logits);
      Operand<TFloat32> p = ada.scalars().get("ada/p");
      Operand<TFloat32> rt = ada.scalars().get("ada/r_t");
      s.initialize();
      float[] sure = {3f, 1f, 0.5f, 2f}; // r_t = 1
      float[] unsure = {3f, -1f, -0.5f, -2f}; // r_t = -0.5
      float[] expected = {0.25f, 0.35f, 0.35f, 0.45f, 0.45f, 0.35f, 0.35f, 0.25f};
      for (int batch = 0; batch < 8; batch++) {
        try (TFloat32 values = TFloat32.tensorOf(Shape.of(N, 1), DataBuffers.of(batch < 4 ? sure : unsure))) {
          Session.Runner runner = s.runner().feed(logits, values);
          observe.forEach(runner::addTarget);
          runner.run().close();
        }
        ada.afterStep().forEach(op -> s.runner().addTarget(op).run().close());
        assertEquals(expected[batch], scalar(s, p), 1e-6, "p after batch " + batch);
      }
      assertEquals(-0.5f, scalar(s, rt), 1e-6, "r_t of the last two batches");
    }
  }

  @Test
  void adaStaysBetweenZeroAndOne() {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Augmentation.Stage ada = new AdaptiveAugmentation().build(context(tf, Map.of("interval", 1, "kimg", 0.001,
          "p", 0.5)));
      Placeholder<TFloat32> logits = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(N, 1)));
      List<Op> observe = ada.observeReal(logits);
      s.initialize();
      for (float sign : new float[] {1f, -1f}) {
        for (int batch = 0; batch < 3; batch++) {
          try (TFloat32 values = TFloat32.tensorOf(Shape.of(N, 1), DataBuffers.of(sign, sign, sign, sign))) {
            Session.Runner runner = s.runner().feed(logits, values);
            observe.forEach(runner::addTarget);
            runner.run().close();
          }
          ada.afterStep().forEach(op -> s.runner().addTarget(op).run().close());
        }
        assertEquals(sign > 0 ? 1f : 0f, scalar(s, ada.scalars().get("ada/p")), 0f);
      }
    }
  }

  @Test
  void instanceNoiseFollowsItsScheduleExactly() {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Placeholder<TInt64> step = tf.placeholder(TInt64.class, Placeholder.shape(Shape.scalar()));
      Augmentation.Stage noise = new InstanceNoise().build(new AugmentationContext(tf, DataSpec.vector(2), N,
          new Parameters("augmentation 'instance-noise'", Map.of("std", 0.2, "steps", 100)),
          new org.ganymede.nn.StatelessRandom(tf, tf.constant(new long[] {7, 0})), step));
      Operand<TFloat32> std = noise.scalars().get("instance_noise/std");
      long[] steps = {0, 25, 50, 99, 100, 5000};
      double[] expected = {0.2, 0.15, 0.1, 0.002, 0, 0};
      for (int i = 0; i < steps.length; i++) {
        try (TInt64 at = TInt64.scalarOf(steps[i]); Result r = s.runner().feed(step, at).fetch(std).run()) {
          assertEquals(expected[i], ((TFloat32) r.get(0)).getFloat(), 1e-7, "std at step " + steps[i]);
        }
      }
    }
  }

  @Test
  void badParametersAndDataAreRefusedWithWhatIsAllowed() {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      ParameterException policy = assertThrows(ParameterException.class,
          () -> new DiffAugment().build(context(tf, Map.of("policy", "color,zoom"))));
      assertTrue(policy.getMessage().contains("zoom") && policy.getMessage().contains("color, translation, cutout"),
          policy.getMessage());
      ParameterException group = assertThrows(ParameterException.class,
          () -> new AdaptiveAugmentation().build(context(tf, Map.of("pipeline", "blit,zoom"))));
      assertTrue(group.getMessage().contains("zoom") && group.getMessage().contains("blit, geom, color, cutout"),
          group.getMessage());
      ParameterException vectors = assertThrows(ParameterException.class, () -> new DiffAugment().build(
          new AugmentationContext(tf, DataSpec.vector(2), N, Parameters.empty("augmentation 'diffaugment'"),
              new org.ganymede.nn.StatelessRandom(tf, tf.constant(new long[] {7, 0})), tf.constant(0L))));
      assertTrue(vectors.getMessage().contains("[2]") && vectors.getMessage().contains("instance-noise"),
          vectors.getMessage());
    }
  }

  private static void assertIdentity(Augmentation augmentation, Map<String, ?> parameters) {
    float[] image = images(N);
    float[] out = run(tf -> augmentation.build(context(tf, parameters)).apply(constant(tf, image, N)));
    assertArrayEquals(image, out, 1e-6f, augmentation.getClass().getSimpleName());
  }

  private static void assertDifferentiable(Augmentation augmentation, Map<String, ?> parameters) {
    float[] image = images(N);
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(N, H, W, C)));
      Operand<TFloat32> out = augmentation.build(context(tf, parameters)).apply(x);
      Operand<TFloat32> grad = tf.gradients(tf.reduceSum(tf.math.square(out), tf.constant(new int[] {0, 1, 2, 3})),
          List.of(x)).dy(0);
      try (TFloat32 in = TFloat32.tensorOf(Shape.of(N, H, W, C), DataBuffers.of(image));
          Result r = s.runner().feed(x, in).fetch(out).fetch(grad).run()) {
        float[] augmented = flat((TFloat32) r.get(0));
        float[] gradient = flat((TFloat32) r.get(1));
        String name = augmentation.getClass().getSimpleName();
        assertNotEquals(0, difference(image, augmented), name + " changed nothing");
        double norm = 0;
        for (float v : gradient) {
          assertTrue(Float.isFinite(v), name);
          norm += v * v;
        }
        assertTrue(norm > 0, name + ": no gradient reaches the images");
      }
    }
  }

  private static AugmentationContext context(Ops tf, Map<String, ?> parameters) {
    return new AugmentationContext(tf, DataSpec.image(H, W, C, 0), N,
        new Parameters("augmentation under test", parameters),
        new org.ganymede.nn.StatelessRandom(tf, tf.constant(new long[] {7, 0})), tf.constant(0L));
  }

  private static float[] images(int n) {
    SplittableRandom random = new SplittableRandom(3);
    float[] values = new float[n * H * W * C];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) (random.nextDouble() * 2 - 1);
    }
    return values;
  }

  private static Operand<TFloat32> constant(Ops tf, float[] values, int n) {
    return tf.constant(Shape.of(n, H, W, C), DataBuffers.of(values));
  }

  private static float[] run(java.util.function.Function<Ops, Operand<TFloat32>> build) {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Operand<TFloat32> out = build.apply(tf);
      s.initialize();
      try (Result r = s.runner().fetch(out).run()) {
        return flat((TFloat32) r.get(0));
      }
    }
  }

  private static float scalar(Session s, Operand<TFloat32> value) {
    try (Result r = s.runner().fetch(value).run()) {
      return ((TFloat32) r.get(0)).getFloat();
    }
  }

  private static float[] flat(TFloat32 t) {
    float[] values = new float[(int) t.shape().size()];
    t.copyTo(DataBuffers.of(values, false, false));
    return values;
  }

  private static double difference(float[] a, float[] b) {
    double d = 0;
    for (int i = 0; i < a.length; i++) {
      d += Math.abs(a[i] - b[i]);
    }
    return d;
  }
}
