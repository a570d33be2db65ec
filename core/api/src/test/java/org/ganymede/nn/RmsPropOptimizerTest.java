package org.ganymede.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/** RMSProp's steps against TensorFlow's documented update, computed here in doubles. */
class RmsPropOptimizerTest {
  private static final float RATE = 0.01f;
  private static final float DECAY = 0.9f;
  private static final float MOMENTUM = 0.5f;
  private static final float EPSILON = 1e-10f;

  @Test
  void aQuadraticFollowsTheUpdateRule() {
    try (Graph graph = new Graph(); Session session = new Session(graph)) {
      Ops tf = Ops.create(graph);
      Variable<TFloat32> x = tf.withName("x").variable(tf.withInitScope().constant(0f));
      // loss 0.5 (x - 3)^2: gradient x - 3
      Operand<TFloat32> loss = tf.math.mul(tf.constant(0.5f), tf.math.square(tf.math.sub(x, tf.constant(3f))));
      Output<?>[] gradient = graph.addGradients(loss.asOutput(), new Output<?>[] {x.asOutput()});
      @SuppressWarnings("unchecked")
      Operand<TFloat32> g = (Output<TFloat32>) gradient[0];
      Op step = RmsPropOptimizer.step(tf, "rmsprop", List.of(x), List.of(g), tf.constant(RATE), DECAY, MOMENTUM,
          EPSILON);
      session.initialize();
      double value = 0;
      double ms = 1;
      double mom = 0;
      for (int t = 1; t <= 30; t++) {
        session.runner().addTarget(step).run().close();
        double grad = value - 3;
        ms = DECAY * ms + (1 - DECAY) * grad * grad;
        mom = MOMENTUM * mom + RATE * grad / Math.sqrt(ms + EPSILON);
        value -= mom;
        try (TFloat32 v = (TFloat32) session.runner().fetch(x).run().get(0)) {
          assertEquals(value, v.getFloat(), 1e-4, "after step " + t);
        }
      }
    }
  }
}
