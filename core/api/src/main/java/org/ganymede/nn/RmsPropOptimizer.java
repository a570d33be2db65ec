package org.ganymede.nn;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.train.ApplyRmsProp;
import org.tensorflow.types.TFloat32;

/**
 * RMSProp (Tieleman and Hinton 2012) for an explicit list of variables and their gradients, as
 * TensorFlow's {@code ApplyRMSProp}: {@code ms = decay ms + (1 - decay) g^2},
 * {@code mom = momentum mom + lr g / sqrt(ms + epsilon)}, {@code var -= mom}.
 */
public final class RmsPropOptimizer {
  private RmsPropOptimizer() {}

  /**
   * Adds one RMSProp step to the graph. Its state is variables named after each variable
   * ({@code <variable>-ms} starting at 1 as TensorFlow's, {@code <variable>-momentum} at 0).
   *
   * @param name names the returned op
   * @param learningRate a scalar, constant or scheduled
   */
  public static Op step(Ops tf, String name, List<Variable<TFloat32>> variables, List<Operand<TFloat32>> gradients,
      Operand<TFloat32> learningRate, float decay, float momentum, float epsilon) {
    Optimizers.requirePairs(variables, gradients);
    Ops afterGradients = Optimizers.afterGradients(tf, gradients);
    Operand<TFloat32> rho = tf.constant(decay);
    Operand<TFloat32> mu = tf.constant(momentum);
    Operand<TFloat32> eps = tf.constant(epsilon);
    List<Op> updates = new ArrayList<>();
    for (int i = 0; i < variables.size(); i++) {
      Variable<TFloat32> v = variables.get(i);
      updates.add(afterGradients.train.applyRmsProp(v, Optimizers.slot(tf, v, "ms", 1f),
          Optimizers.slot(tf, v, "momentum", 0f), learningRate, rho, mu, eps, gradients.get(i),
          ApplyRmsProp.useLocking(true)));
    }
    return tf.withName(name).withControlDependencies(updates).noOp();
  }
}
