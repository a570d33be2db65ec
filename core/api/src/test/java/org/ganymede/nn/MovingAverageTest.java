package org.ganymede.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/** The shadow copy follows the live weights by shadow = beta shadow + (1 - beta) live. */
class MovingAverageTest {
  @Test
  void aSecondCopyWithTheSameSeedStartsEqualAndFollowsTheRule() {
    try (Graph graph = new Graph(); Session session = new Session(graph)) {
      Ops tf = Ops.create(graph);
      Network live = Network.builder(tf, 9).dense(3, 4, 0.5f).build();
      Network shadow = Network.builder(tf, 9).dense(3, 4, 0.5f).build();
      float beta = 0.75f;
      Op update = MovingAverage.update(tf, "ema", shadow.variables(), live.variables(), beta);
      Variable<TFloat32> kernel = live.variables().get(0);
      Op shift = tf.assign(kernel, tf.math.add(kernel, tf.constant(2f)));
      session.initialize();

      float[] start = values(session, shadow.variables().get(0));
      assertArrayEquals(values(session, kernel), start, 0f, "same seed, same initial weights");
      session.runner().addTarget(shift).run().close();
      session.runner().addTarget(update).run().close();
      float[] once = values(session, shadow.variables().get(0));
      for (int i = 0; i < start.length; i++) {
        assertEquals(beta * start[i] + (1 - beta) * (start[i] + 2), once[i], 1e-6);
      }
      session.runner().addTarget(update).run().close();
      float[] twice = values(session, shadow.variables().get(0));
      for (int i = 0; i < start.length; i++) {
        assertEquals(beta * once[i] + (1 - beta) * (start[i] + 2), twice[i], 1e-6);
      }
    }
  }

  @Test
  void mismatchedListsAndBetasOutsideTheRangeAreRejected() {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Network a = Network.builder(tf, 1).dense(2, 2, 0.1f).build();
      Network b = Network.builder(tf, 1).dense(2, 3, 0.1f).build();
      assertThrows(IllegalArgumentException.class, () -> MovingAverage.update(tf, "x", a.variables(), b.variables(), 0.9f));
      assertThrows(IllegalArgumentException.class,
          () -> MovingAverage.update(tf, "y", a.variables(), List.of(a.variables().get(0)), 0.9f));
      assertThrows(IllegalArgumentException.class, () -> MovingAverage.update(tf, "z", a.variables(), a.variables(), 1f));
    }
  }

  private static float[] values(Session session, Variable<TFloat32> v) {
    try (TFloat32 t = (TFloat32) session.runner().fetch(v).run().get(0)) {
      float[] out = new float[(int) t.size()];
      t.copyTo(DataBuffers.of(out, false, false));
      return out;
    }
  }
}
