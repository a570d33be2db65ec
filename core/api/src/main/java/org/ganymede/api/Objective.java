package org.ganymede.api;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * One thing the trainer minimises: a scalar loss, the variables it trains, and with what.
 *
 * @param name e.g. {@code discriminator}; also the key under which the loss is logged
 * @param loss the scalar to minimise
 * @param variables the only variables this objective updates
 * @param optimizer the optimizer that updates them
 * @param repeats how many times the trainer runs this objective per training step, each on a
 *     fresh batch (critic steps per generator step)
 */
public record Objective(
    String name, Operand<TFloat32> loss, List<Variable<TFloat32>> variables, OptimizerSpec optimizer, int repeats) {
  public Objective {
    variables = List.copyOf(variables);
    if (variables.isEmpty()) {
      throw new IllegalArgumentException("objective '" + name + "' trains no variables");
    }
    if (repeats < 1) {
      throw new IllegalArgumentException("objective '" + name + "' must run at least once per step");
    }
  }
}
