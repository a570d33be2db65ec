package org.ganymede.nn;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.train.ApplyAdam;
import org.tensorflow.types.TFloat32;

/**
 * Adam (Kingma and Ba 2015) for an explicit list of variables and their gradients: TensorFlow's
 * {@code ApplyAdam}, bias-corrected with the powers beta1^t and beta2^t, which advance only after
 * every variable has been updated. tensorflow-framework 1.0.0's {@code Adam} advances them beside
 * the updates with no order between the two, so an update may read beta^(t+1) and correct with the
 * wrong t (its first step then moves a variable 0.74 of the learning rate instead of all of it).
 */
public final class AdamOptimizer {
  private AdamOptimizer() {}

  /**
   * Adds one Adam step to the graph. The moments are variables named after each variable
   * ({@code <variable>-m}, {@code <variable>-v}), the powers {@code <name>-beta1_power} and
   * {@code <name>-beta2_power}; all start with {@code Session.initialize()}.
   *
   * @param name names the powers and the returned op
   * @param variables what to update, each with a fully defined shape
   * @param gradients the loss's gradient with respect to each variable, in the same order
   * @param learningRate a scalar, constant or scheduled
   * @return the op that runs the step
   */
  public static Op step(Ops tf, String name, List<Variable<TFloat32>> variables, List<Operand<TFloat32>> gradients,
      Operand<TFloat32> learningRate, float beta1, float beta2, float epsilon) {
    Optimizers.requirePairs(variables, gradients);
    Ops init = tf.withInitScope();
    Variable<TFloat32> beta1Power = tf.withName(name + "-beta1_power").variable(init.constant(beta1));
    Variable<TFloat32> beta2Power = tf.withName(name + "-beta2_power").variable(init.constant(beta2));
    Operand<TFloat32> b1 = tf.constant(beta1);
    Operand<TFloat32> b2 = tf.constant(beta2);
    Operand<TFloat32> eps = tf.constant(epsilon);
    Ops afterGradients = Optimizers.afterGradients(tf, gradients);
    List<Op> updates = new ArrayList<>();
    for (int i = 0; i < variables.size(); i++) {
      Variable<TFloat32> v = variables.get(i);
      Variable<TFloat32> m = Optimizers.slot(tf, v, "m", 0f);
      Variable<TFloat32> s = Optimizers.slot(tf, v, "v", 0f);
      updates.add(afterGradients.train.applyAdam(v, m, s, beta1Power, beta2Power, learningRate, b1, b2, eps, gradients.get(i),
          ApplyAdam.useLocking(true)));
    }
    Ops afterUpdates = tf.withControlDependencies(updates);
    List<Op> powers = List.of(
        afterUpdates.assign(beta1Power, afterUpdates.math.mul(beta1Power, b1)),
        afterUpdates.assign(beta2Power, afterUpdates.math.mul(beta2Power, b2)));
    return tf.withName(name).withControlDependencies(powers).noOp();
  }
}
