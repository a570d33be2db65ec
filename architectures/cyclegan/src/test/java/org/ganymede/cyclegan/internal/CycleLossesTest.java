package org.ganymede.cyclegan.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.ganymede.testing.LeastSquaresLoss;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** The losses as functions of small known tensors. */
class CycleLossesTest {
  /** Two 2x2 one-channel images. */
  private static final float[][][][] IMAGES = {
    {{{1f}, {-1f}}, {{0.5f}, {0f}}},
    {{{-0.25f}, {0.75f}}, {{-1f}, {1f}}}
  };

  @Test
  void cycleLossIsZeroWhenTheWayBackGivesTheImage() {
    // Identity generators give each image back unchanged.
    assertEquals(0f, evaluate(tf -> CycleLosses.cycle(tf, tf.constant(IMAGES), tf.constant(IMAGES))), 0f);
  }

  @Test
  void cycleLossIsTheMeanAbsoluteDifferenceOverEveryPixel() {
    float[][][][] reconstructed = {
      {{{0.5f}, {-1f}}, {{0.5f}, {1f}}},
      {{{-0.25f}, {0.25f}}, {{-0.5f}, {0f}}}
    };
    // |differences| 0.5, 0, 0, 1 and 0, 0.5, 0.5, 1: 3.5 over 8 pixels.
    assertEquals(0.4375f,
        evaluate(tf -> CycleLosses.cycle(tf, tf.constant(IMAGES), tf.constant(reconstructed))), 1e-7f);
  }

  @Test
  void identityLossIsTheMeanAbsoluteChange() {
    // A generator that halves its input changes each pixel by half its magnitude: mean of
    // 0.5, 0.5, 0.25, 0, 0.125, 0.375, 0.5, 0.5 is 2.75 / 8.
    assertEquals(0.34375f, evaluate(tf -> CycleLosses.identity(
        tf, tf.constant(IMAGES), tf.math.mul(tf.constant(IMAGES), tf.constant(0.5f)))), 1e-7f);
  }

  @Test
  void generatorsLossWeighsCycleByLambdaAndIdentityByLambdaTimesItsFraction() {
    // 0.3 + 0.2 + 10 (0.1 + 0.4) + 10 * 0.5 (0.2 + 0.6) = 0.5 + 5 + 4.
    assertEquals(9.5f, evaluate(tf -> CycleLosses.generators(tf, scalars(tf, 0.3f, 0.2f), scalars(tf, 0.1f, 0.4f),
        scalars(tf, 0.2f, 0.6f), 10f, 0.5f)), 1e-6f);
    assertEquals(5.5f, evaluate(tf -> CycleLosses.generators(tf, scalars(tf, 0.3f, 0.2f), scalars(tf, 0.1f, 0.4f),
        List.of(), 10f, 0.5f)), 1e-6f);
  }

  @Test
  void discriminatorLossIsHalfTheSelectedLoss() {
    // Least squares, real logits 0 and fake logits 1: 0.5 * 1 + 0.5 * 1 = 1, halved.
    float[][][][] zeros = {{{{0f}, {0f}}, {{0f}, {0f}}}};
    float[][][][] ones = {{{{1f}, {1f}}, {{1f}, {1f}}}};
    assertEquals(0.5f, evaluate(tf -> CycleLosses.discriminator(
        tf, new LeastSquaresLoss(), tf.constant(zeros), tf.constant(ones))), 1e-7f);
    assertEquals(0f, evaluate(tf -> CycleLosses.discriminator(
        tf, new LeastSquaresLoss(), tf.constant(ones), tf.constant(zeros))), 0f);
  }

  private static List<Operand<TFloat32>> scalars(Ops tf, float... values) {
    List<Operand<TFloat32>> list = new ArrayList<>();
    for (float v : values) {
      list.add(tf.constant(v));
    }
    return list;
  }

  private static float evaluate(Function<Ops, Operand<TFloat32>> loss) {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Operand<TFloat32> value = loss.apply(Ops.create(g));
      try (Result r = s.runner().fetch(value).run()) {
        return ((TFloat32) r.get(0)).getFloat();
      }
    }
  }
}
