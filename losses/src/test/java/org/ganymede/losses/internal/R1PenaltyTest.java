package org.ganymede.losses.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ganymede.api.Critic;
import org.ganymede.api.ParameterException;
import org.ganymede.api.Parameters;
import org.ganymede.api.PenaltyContext;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

class R1PenaltyTest {
  // Squared norms 0.25 and 9.
  private static final float[][] REAL = {{0.3f, 0.4f, 0f}, {1f, 2f, 2f}};
  // The penalty must not look at generated samples.
  private static final float[][] FAKE = {{7f, -7f, 7f}, {-7f, 7f, -7f}};

  @Test
  void quadraticCriticHasGradientTwiceTheSample() {
    // gamma / 2 * mean(||2x||^2) = 10 / 2 * (4 * 0.25 + 4 * 9) / 2.
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> real = Feeds.batchOf(tf, 3);
      Placeholder<TFloat32> fake = Feeds.batchOf(tf, 3);
      Operand<TFloat32> penalty = penalty(tf, Critics.quadratic(tf), real, fake, Map.of());
      assertEquals(0, penalty.shape().numDimensions(), "the penalty is a scalar");
      try (Session s = new Session(g);
          TFloat32 realValues = Feeds.tensor(REAL);
          TFloat32 fakeValues = Feeds.tensor(FAKE);
          Result r = s.runner().feed(real, realValues).feed(fake, fakeValues).fetch(penalty).run()) {
        assertEquals(10 / 2.0 * (4 * 0.25 + 4 * 9) / 2, ((TFloat32) r.get(0)).getFloat(), 1e-4);
      }
    }
  }

  @Test
  void gradientWithRespectToTheCriticsWeightsIsTheClosedForm() {
    // D(x) = sum(w * x^2) has gradient 2wx: the penalty is gamma / 2 * mean_i sum_j 4 w_j^2 x_ij^2,
    // and its derivative along w_j is 4 * gamma * w_j * mean_i x_ij^2.
    float[] w0 = {1f, -0.5f, 2f};
    double gamma = 0.5;
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Variable<TFloat32> w = tf.variable(tf.constant(w0));
      Placeholder<TFloat32> real = Feeds.batchOf(tf, 3);
      Placeholder<TFloat32> fake = Feeds.batchOf(tf, 3);
      Operand<TFloat32> penalty =
          penalty(tf, Critics.weightedQuadratic(tf, w), real, fake, Map.of("gamma", gamma));
      Operand<TFloat32> dw = tf.gradients(penalty, List.of(w)).dy(0);
      try (Session s = new Session(g);
          TFloat32 realValues = Feeds.tensor(REAL);
          TFloat32 fakeValues = Feeds.tensor(FAKE)) {
        s.initialize();
        try (Result r = s.runner().feed(real, realValues).feed(fake, fakeValues).fetch(dw).run()) {
          TFloat32 gradient = (TFloat32) r.get(0);
          for (int j = 0; j < w0.length; j++) {
            double meanSquare = (REAL[0][j] * REAL[0][j] + REAL[1][j] * REAL[1][j]) / 2.0;
            assertEquals(4 * gamma * w0[j] * meanSquare, gradient.getFloat(j), 1e-4, "d/dw" + j);
          }
        }
      }
    }
  }

  @Test
  void negativeGammaIsRefusedWithWhatIsAllowed() {
    ParameterException e = assertThrows(ParameterException.class, () -> {
      try (Graph g = new Graph()) {
        Ops tf = Ops.create(g);
        penalty(tf, Critics.quadratic(tf), Feeds.batchOf(tf, 3), Feeds.batchOf(tf, 3), Map.of("gamma", -0.1));
      }
    });
    assertTrue(e.getMessage().contains("'gamma'") && e.getMessage().contains("zero or a positive number"),
        e.getMessage());
  }

  @Test
  void readsGammaSoThatOtherKeysAreCaught() {
    Parameters parameters = new Parameters("regularizer 'r1'", Map.of("lambda", 5));
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      new R1Penalty().penalty(new PenaltyContext(tf, Critics.quadratic(tf),
          Feeds.batchOf(tf, 3), Feeds.batchOf(tf, 3), parameters, new StatelessRandom(tf)));
    }
    assertEquals(Set.of("gamma"), parameters.knownKeys());
    assertEquals(Set.of("lambda"), parameters.unknownKeys());
  }

  /** The penalty as the engine builds it: in a sub-scope, with the experiment's parameters. */
  private static Operand<TFloat32> penalty(
      Ops tf, Critic critic, Operand<TFloat32> real, Operand<TFloat32> fake, Map<String, ?> parameters) {
    return new R1Penalty().penalty(new PenaltyContext(tf.withSubScope("penalty"), critic, real, fake,
        new Parameters("regularizer 'r1'", parameters), new StatelessRandom(tf)));
  }
}
