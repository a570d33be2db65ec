package org.ganymede.api;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * A penalty added to the discriminator's loss that needs the critic itself and its inputs
 * (gradient penalties), or a constraint on the critic's variables after each of its optimizer
 * steps (the original WGAN's weight clipping). A service with a {@code name}.
 */
public interface Regularizer {
  /** The scalar penalty, already multiplied by its weight; null for a regularizer that adds none to the loss. */
  Operand<TFloat32> penalty(PenaltyContext context);

  /**
   * Ops the trainer runs after each optimizer step of every discriminator objective (an objective
   * whose name starts with {@code discriminator}), on the variables that step trained (a clip, a
   * projection); none by default.
   */
  default List<Op> afterCriticStep(CriticStep step) {
    return List.of();
  }

  /**
   * What {@link #afterCriticStep} sees.
   *
   * @param tf the graph's ops; what it makes runs after the optimizer's step
   * @param variables the variables the step trained (those frozen excluded)
   * @param parameters the experiment's parameters for this regularizer
   */
  record CriticStep(Ops tf, List<Variable<TFloat32>> variables, Parameters parameters) {
    public CriticStep {
      variables = List.copyOf(variables);
    }
  }
}
