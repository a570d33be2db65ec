package org.ganymede.losses.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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

class WganGradientPenaltyTest {
  // Two samples of shape [2, 3], so that the norm is taken over more than one axis.
  private static final float[][][] REAL = {
    {{0.5f, -1f, 2f}, {0f, 3f, 1f}},
    {{-2f, 0.25f, 1f}, {1f, 1f, -1f}}
  };
  private static final float[][][] FAKE = {
    {{1f, 1f, 0f}, {-3f, 0f, 2f}},
    {{0.75f, -1f, 0f}, {2f, -2f, 0.5f}}
  };
  // ||W|| = sqrt(1 + 4 + 4 + 16) = 5.
  private static final float[][] W = {{1f, 2f, 2f}, {0f, 4f, 0f}};

  @Test
  void linearCriticIsPenalisedForItsWeightNormWhateverTheInterpolate() {
    assertEquals(10 * (5 - 1) * (5 - 1), penaltyOfLinearCritic(Map.of()), 1e-3);
    assertEquals(3 * (5 - 0.5) * (5 - 0.5), penaltyOfLinearCritic(Map.of("lambda", 3, "target", 0.5)), 1e-3);
  }

  @Test
  void quadraticCriticOnEqualRealAndFakeHasGradientTwiceTheSample() {
    // ||x|| is 0.5 for the first sample and 3 for the second: gradient norms 1 and 6.
    float[][] samples = {{0.3f, 0.4f, 0f}, {1f, 2f, 2f}};
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> real = Feeds.batchOf(tf, 3);
      Placeholder<TFloat32> fake = Feeds.batchOf(tf, 3);
      Operand<TFloat32> penalty = penalty(tf, Critics.quadratic(tf), real, fake, Map.of()).operand();
      try (Session s = new Session(g);
          TFloat32 x = Feeds.tensor(samples);
          Result r = s.runner().feed(real, x).feed(fake, x).fetch(penalty).run()) {
        assertEquals(10 * ((1 - 1) * (1 - 1) + (6 - 1) * (6 - 1)) / 2.0, ((TFloat32) r.get(0)).getFloat(), 1e-3);
      }
    }
  }

  @Test
  void interpolatesEachPairWithItsOwnUniformWeight() {
    // Quadratic critic, fake = 0: x_hat = eps * real, so the gradient norm is 2 * eps * ||real||.
    float[][] real = {{3f, 4f}, {0f, 1f}, {1f, 0f}};
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> realBatch = Feeds.batchOf(tf, 2);
      Placeholder<TFloat32> fakeBatch = Feeds.batchOf(tf, 2);
      Built built = penalty(tf, Critics.quadratic(tf), realBatch, fakeBatch, Map.of());
      assertEquals(1, built.random().drawn().size(), "one draw of eps");
      Operand<TFloat32> eps = built.random().drawn().get(0);
      try (Session s = new Session(g);
          TFloat32 realValues = Feeds.tensor(real);
          TFloat32 zeros = Feeds.tensor(new float[3][2]);
          Result r = s.runner().feed(realBatch, realValues).feed(fakeBatch, zeros)
              .fetch(built.operand()).fetch(eps).run()) {
        TFloat32 drawn = (TFloat32) r.get(1);
        assertArrayEquals(new long[] {3, 1}, drawn.shape().asArray(), "one eps per sample");
        double[] norms = {5, 1, 1};
        double sum = 0;
        for (int i = 0; i < norms.length; i++) {
          double e = drawn.getFloat(i, 0);
          assertTrue(e >= 0 && e < 1, "eps " + e + " in [0, 1)");
          sum += Math.pow(2 * e * norms[i] - 1, 2);
        }
        assertEquals(10 * sum / 3, ((TFloat32) r.get(0)).getFloat(), 1e-4);
      }
    }
  }

  @Test
  void gradientWithRespectToTheCriticsWeightsIsTheClosedForm() {
    // d/dw lambda * (||w|| - 1)^2 = 2 * lambda * (||w|| - 1) * w / ||w||, with ||w|| = 3.
    float[] w0 = {1f, 2f, 2f};
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Variable<TFloat32> w = tf.variable(tf.constant(w0));
      Placeholder<TFloat32> real = Feeds.batchOf(tf, 3);
      Placeholder<TFloat32> fake = Feeds.batchOf(tf, 3);
      Operand<TFloat32> penalty = penalty(tf, Critics.linear(tf, w), real, fake, Map.of("lambda", 2)).operand();
      Operand<TFloat32> dw = tf.gradients(penalty, List.of(w)).dy(0);
      try (Session s = new Session(g);
          TFloat32 realValues = Feeds.tensor(new float[][] {{1f, 0f, -1f}, {2f, 2f, 2f}});
          TFloat32 fakeValues = Feeds.tensor(new float[][] {{0f, 5f, 1f}, {-1f, 0.5f, 3f}})) {
        s.initialize();
        try (Result r = s.runner().feed(real, realValues).feed(fake, fakeValues).fetch(dw).run()) {
          TFloat32 gradient = (TFloat32) r.get(0);
          for (int j = 0; j < w0.length; j++) {
            assertEquals(2 * 2 * (3 - 1) * w0[j] / 3.0, gradient.getFloat(j), 1e-4, "d/dw" + j);
          }
        }
      }
    }
  }

  @Test
  void negativeLambdaIsRefusedWithWhatIsAllowed() {
    ParameterException e = assertThrows(ParameterException.class, () -> {
      try (Graph g = new Graph()) {
        Ops tf = Ops.create(g);
        penalty(tf, Critics.quadratic(tf), Feeds.batchOf(tf, 3), Feeds.batchOf(tf, 3), Map.of("lambda", -1));
      }
    });
    assertTrue(e.getMessage().contains("'lambda'") && e.getMessage().contains("zero or a positive number"),
        e.getMessage());
  }

  @Test
  void readsLambdaAndTargetSoThatOtherKeysAreCaught() {
    Parameters parameters = new Parameters("regularizer 'wgan-gp'", Map.of("lambda", 5, "lamda", 5));
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      new WganGradientPenalty().penalty(new PenaltyContext(tf, Critics.quadratic(tf),
          Feeds.batchOf(tf, 3), Feeds.batchOf(tf, 3), parameters, new StatelessRandom(tf)));
    }
    assertEquals(Set.of("lambda", "target"), parameters.knownKeys());
    assertEquals(Set.of("lamda"), parameters.unknownKeys());
  }

  private static double penaltyOfLinearCritic(Map<String, ?> parameters) {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> real = Feeds.batchOf(tf, 2, 3);
      Placeholder<TFloat32> fake = Feeds.batchOf(tf, 2, 3);
      Operand<TFloat32> penalty =
          penalty(tf, Critics.linear(tf, tf.constant(W)), real, fake, parameters).operand();
      assertEquals(0, penalty.shape().numDimensions(), "the penalty is a scalar");
      try (Session s = new Session(g);
          TFloat32 realValues = Feeds.tensor(REAL);
          TFloat32 fakeValues = Feeds.tensor(FAKE);
          Result r = s.runner().feed(real, realValues).feed(fake, fakeValues).fetch(penalty).run()) {
        return ((TFloat32) r.get(0)).getFloat();
      }
    }
  }

  /** The penalty as the engine builds it: in a sub-scope, with the experiment's parameters. */
  private static Built penalty(
      Ops tf, Critic critic, Operand<TFloat32> real, Operand<TFloat32> fake, Map<String, ?> parameters) {
    StatelessRandom random = new StatelessRandom(tf);
    Operand<TFloat32> penalty = new WganGradientPenalty().penalty(new PenaltyContext(tf.withSubScope("penalty"),
        critic, real, fake, new Parameters("regularizer 'wgan-gp'", parameters), random));
    return new Built(penalty, random);
  }

  private record Built(Operand<TFloat32> operand, StatelessRandom random) {}
}
