package org.ganymede.engine.internal;

import org.ganymede.api.AdversarialLoss;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** The loss of a test architecture that builds its own objectives: calling it is a test bug. */
final class UnusedLoss implements AdversarialLoss {
  @Override
  public Operand<TFloat32> discriminatorLoss(Ops tf, Operand<TFloat32> realLogits, Operand<TFloat32> fakeLogits) {
    throw new UnsupportedOperationException("the test architecture builds its own losses");
  }

  @Override
  public Operand<TFloat32> generatorLoss(Ops tf, Operand<TFloat32> realLogits, Operand<TFloat32> fakeLogits) {
    throw new UnsupportedOperationException("the test architecture builds its own losses");
  }
}
