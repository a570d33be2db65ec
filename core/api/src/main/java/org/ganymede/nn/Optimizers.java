package org.ganymede.nn;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/** What {@link AdamOptimizer} and {@link RmsPropOptimizer} share. */
final class Optimizers {
  private Optimizers() {}

  static void requirePairs(List<Variable<TFloat32>> variables, List<Operand<TFloat32>> gradients) {
    if (variables.size() != gradients.size()) {
      throw new IllegalArgumentException(variables.size() + " variables but " + gradients.size() + " gradients");
    }
  }

  /**
   * Ops whose updates wait for every gradient: gradient ops read the (reference) variables when
   * they run, and one that ran after another variable's update would see the new value.
   */
  static Ops afterGradients(Ops tf, List<Operand<TFloat32>> gradients) {
    return tf.withControlDependencies(new ArrayList<Op>(gradients));
  }

  /** A variable shaped as {@code v}, named {@code <v>-<slot>}, starting at {@code value}. */
  static Variable<TFloat32> slot(Ops tf, Variable<TFloat32> v, String slot, float value) {
    Ops init = tf.withInitScope();
    return tf.withName(v.op().name() + "-" + slot)
        .variable(init.fill(init.constant(v.shape().asArray()), init.constant(value)));
  }
}
