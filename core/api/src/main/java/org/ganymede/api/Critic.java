package org.ganymede.api;

import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** The discriminator as a function: applying it again shares its variables. */
@FunctionalInterface
public interface Critic {
  Operand<TFloat32> apply(Operand<TFloat32> input);
}
