package org.ganymede.losses.internal;

import java.util.List;
import org.ganymede.api.Critic;
import org.ganymede.nn.Gradients;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** The critic's gradient with respect to its input, as gradient penalties need it. */
final class InputGradients {
  private InputGradients() {}

  /**
   * The gradient of the critic at each sample of {@code input}, same shape as {@code input}. Each
   * output of the critic depends on its own sample only, so differentiating the sum over the
   * batch gives every sample its own gradient. The result can be differentiated again, with
   * respect to the critic's variables.
   */
  static Operand<TFloat32> of(Ops tf, Critic critic, Operand<TFloat32> input) {
    Gradients.registerMissing();
    Operand<TFloat32> total = Reductions.sumOfAll(tf, critic.apply(input));
    return tf.gradients(total, List.of(input)).dy(0);
  }
}
