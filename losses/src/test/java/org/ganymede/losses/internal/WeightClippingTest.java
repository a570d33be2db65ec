package org.ganymede.losses.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import org.ganymede.api.Parameters;
import org.ganymede.api.Regularizer;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

class WeightClippingTest {
  @Test
  void afterEachStepEveryVariableLiesInsideTheClip() {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Variable<TFloat32> w = tf.variable(tf.constant(new float[] {0.5f, -0.003f, -2f, 0.02f}));
      Variable<TFloat32> b = tf.variable(tf.constant(new float[] {0f, 0.009f}));
      // A stand-in for an optimizer's step that pushes the weights far out of the clip.
      Op step = tf.withControlDependencies(List.of(tf.assignAdd(w, tf.constant(new float[] {1f, 0f, -1f, 0f})),
          tf.assignAdd(b, tf.constant(new float[] {-0.5f, 0f})))).noOp();
      List<Op> clips = new WeightClipping().afterCriticStep(new Regularizer.CriticStep(
          tf.withControlDependencies(List.of(step)), List.of(w, b),
          new Parameters("regularizer 'weight-clipping'", Map.of("clip", 0.01))));
      Op constrained = tf.withControlDependencies(clips).noOp();
      s.initialize();
      s.runner().addTarget(constrained).run().close();
      try (Result r = s.runner().fetch(w).fetch(b).run()) {
        assertArrayEquals(new float[] {0.01f, -0.003f, -0.01f, 0.01f}, values((TFloat32) r.get(0)), 0f);
        assertArrayEquals(new float[] {-0.01f, 0.009f}, values((TFloat32) r.get(1)), 0f);
      }
    }
  }

  @Test
  void itAddsNothingToTheLoss() {
    assertNull(new WeightClipping().penalty(null));
  }

  private static float[] values(TFloat32 t) {
    float[] v = new float[(int) t.shape().size()];
    t.copyTo(org.tensorflow.ndarray.buffer.DataBuffers.of(v, false, false));
    return v;
  }
}
