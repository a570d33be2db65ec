package org.ganymede.losses.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.ganymede.api.AdversarialLoss;
import org.ganymede.api.ParameterException;
import org.ganymede.api.Parameters;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** Each loss on the logits below, against its value worked out by hand. */
class AdversarialLossesTest {
  private static final float[][] REAL = {{1.5f}, {-0.5f}, {2f}};
  private static final float[][] FAKE = {{-1f}, {0.25f}, {3f}};

  @Test
  void nonSaturating() {
    assertLosses(new NonSaturatingLoss(),
        (softplus(-1.5) + softplus(0.5) + softplus(-2)) / 3 + (softplus(-1) + softplus(0.25) + softplus(3)) / 3,
        (softplus(1) + softplus(-0.25) + softplus(-3)) / 3);
  }

  @Test
  void minimax() {
    assertLosses(new MinimaxLoss(),
        (softplus(-1.5) + softplus(0.5) + softplus(-2)) / 3 + (softplus(-1) + softplus(0.25) + softplus(3)) / 3,
        -(softplus(-1) + softplus(0.25) + softplus(3)) / 3);
  }

  /** One-sided label smoothing: real samples aim at 0.9, so the real term is 0.9 softplus(-r) + 0.1 softplus(r). */
  @Test
  void oneSidedLabelSmoothing() {
    double real = 0;
    for (double r : new double[] {1.5, -0.5, 2}) {
      real += (0.9 * softplus(-r) + 0.1 * softplus(r)) / 3;
    }
    double fake = (softplus(-1) + softplus(0.25) + softplus(3)) / 3;
    Parameters smoothed = new Parameters("loss 'non-saturating'", Map.of("real_label", 0.9));
    assertLosses(new NonSaturatingLoss().with(smoothed), real + fake, (softplus(1) + softplus(-0.25) + softplus(-3)) / 3);
    assertLosses(new MinimaxLoss().with(new Parameters("loss 'minimax'", Map.of("real_label", 0.9))), real + fake,
        -fake);
    ParameterException e = assertThrows(ParameterException.class,
        () -> new NonSaturatingLoss().with(new Parameters("loss 'non-saturating'", Map.of("real_label", 0.4))));
    assertTrue(e.getMessage().contains("(0.5, 1]") && e.getMessage().contains("0.9"), e.getMessage());
  }

  @Test
  void wasserstein() {
    assertLosses(new WassersteinLoss(), (-1 + 0.25 + 3) / 3 - (1.5 - 0.5 + 2) / 3, -(-1 + 0.25 + 3) / 3);
  }

  @Test
  void leastSquares() {
    assertLosses(new LeastSquaresLoss(),
        0.5 * (0.25 + 2.25 + 1) / 3 + 0.5 * (1 + 0.0625 + 9) / 3,
        0.5 * (4 + 0.5625 + 4) / 3);
  }

  @Test
  void hinge() {
    assertLosses(new HingeLoss(), (0 + 1.5 + 0) / 3 + (0 + 1.25 + 4) / 3, -(-1 + 0.25 + 3) / 3);
  }

  private static double softplus(double x) {
    return Math.log(1 + Math.exp(x));
  }

  private static void assertLosses(AdversarialLoss loss, double discriminator, double generator) {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> real = Feeds.batchOf(tf, 1);
      Placeholder<TFloat32> fake = Feeds.batchOf(tf, 1);
      Operand<TFloat32> d = loss.discriminatorLoss(tf, real, fake);
      Operand<TFloat32> gen = loss.generatorLoss(tf, real, fake);
      assertEquals(0, d.shape().numDimensions(), "the discriminator's loss is a scalar");
      assertEquals(0, gen.shape().numDimensions(), "the generator's loss is a scalar");
      try (Session s = new Session(g);
          TFloat32 realLogits = Feeds.tensor(REAL);
          TFloat32 fakeLogits = Feeds.tensor(FAKE);
          Result r = s.runner().feed(real, realLogits).feed(fake, fakeLogits).fetch(d).fetch(gen).run()) {
        assertEquals(discriminator, ((TFloat32) r.get(0)).getFloat(), 1e-5, "discriminator");
        assertEquals(generator, ((TFloat32) r.get(1)).getFloat(), 1e-5, "generator");
      }
    }
  }
}
