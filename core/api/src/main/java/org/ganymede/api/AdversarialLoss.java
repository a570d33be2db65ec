package org.ganymede.api;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * An adversarial loss: two small pure functions of the critic's outputs (logits) on a real and a
 * generated batch, each returning a scalar to minimise. A service with a {@code name}.
 */
public interface AdversarialLoss {
  /**
   * This loss with the experiment's parameters ({@code loss: {name: ..., real_label: 0.9}}, say):
   * it reads those it takes and the engine refuses any other. By default a loss takes none.
   *
   * @since 2.5
   */
  default AdversarialLoss with(Parameters parameters) {
    return this;
  }

  Operand<TFloat32> discriminatorLoss(Ops tf, Operand<TFloat32> realLogits, Operand<TFloat32> fakeLogits);

  Operand<TFloat32> generatorLoss(Ops tf, Operand<TFloat32> realLogits, Operand<TFloat32> fakeLogits);
}
