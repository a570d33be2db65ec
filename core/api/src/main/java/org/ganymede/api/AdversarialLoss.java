package org.ganymede.api;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * An adversarial loss: two small pure functions of the critic's outputs (logits) on a real and a
 * generated batch, each returning a scalar to minimise. A service with a {@code name}.
 */
public interface AdversarialLoss {
  Operand<TFloat32> discriminatorLoss(Ops tf, Operand<TFloat32> realLogits, Operand<TFloat32> fakeLogits);

  Operand<TFloat32> generatorLoss(Ops tf, Operand<TFloat32> realLogits, Operand<TFloat32> fakeLogits);
}
