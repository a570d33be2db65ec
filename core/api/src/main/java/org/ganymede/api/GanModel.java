package org.ganymede.api;

import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * What an architecture built in the graph: the objectives the trainer runs in order, extra
 * scalars to log, and how to sample.
 *
 * @param objectives run in this order every training step
 * @param scalars values to log besides the objectives' losses (penalties, critic outputs)
 * @param latent the generator's input for sampling, shape {@code [n, latentSize]}
 * @param generated the generator's output for {@link #latent}, shape {@code [n, ...sample]}:
 *     sampling and metrics read it (from a moving average of the generator's weights, say)
 * @param afterStep ops the trainer runs after each training step's objectives, in order (the
 *     update of such a moving average, say)
 */
public record GanModel(
    List<Objective> objectives,
    Map<String, Operand<TFloat32>> scalars,
    Placeholder<TFloat32> latent,
    Operand<TFloat32> generated,
    List<Op> afterStep) {
  public GanModel {
    objectives = List.copyOf(objectives);
    scalars = Map.copyOf(scalars);
    afterStep = List.copyOf(afterStep);
    if (objectives.isEmpty()) {
      throw new IllegalArgumentException("a model needs at least one objective");
    }
  }

  /** A model with nothing to run after a step. */
  public GanModel(
      List<Objective> objectives,
      Map<String, Operand<TFloat32>> scalars,
      Placeholder<TFloat32> latent,
      Operand<TFloat32> generated) {
    this(objectives, scalars, latent, generated, List.of());
  }

  /** Size of one latent vector. */
  public int latentSize() {
    return (int) latent.shape().get(1);
  }
}
