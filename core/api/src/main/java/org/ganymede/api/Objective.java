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
 * @param interval the objective runs on steps 0, interval, 2 interval ... only: 1 for every step,
 *     16 for StyleGAN2's lazy R1 regularisation, whose loss then carries the factor 16 itself
 */
public record Objective(
    String name,
    Operand<TFloat32> loss,
    List<Variable<TFloat32>> variables,
    OptimizerSpec optimizer,
    int repeats,
    int interval) {
  public Objective {
    variables = List.copyOf(variables);
    if (variables.isEmpty()) {
      throw new IllegalArgumentException("objective '" + name + "' trains no variables");
    }
    if (repeats < 1) {
      throw new IllegalArgumentException("objective '" + name + "' must run at least once per step");
    }
    if (interval < 1) {
      throw new IllegalArgumentException("objective '" + name + "' must run every step or every n steps, not every "
          + interval);
    }
  }

  /** An objective that runs every step. */
  public Objective(
      String name, Operand<TFloat32> loss, List<Variable<TFloat32>> variables, OptimizerSpec optimizer, int repeats) {
    this(name, loss, variables, optimizer, repeats, 1);
  }

  /** Whether the objective runs at this step (counted from 0). */
  public boolean runsAt(long step) {
    return step % interval == 0;
  }
}
