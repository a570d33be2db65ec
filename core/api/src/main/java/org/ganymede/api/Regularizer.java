package org.ganymede.api;

import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * A penalty added to the discriminator's loss that needs the critic itself and its inputs
 * (gradient penalties). A service with a {@code name}.
 */
public interface Regularizer {
  /** The scalar penalty, already multiplied by its weight. */
  Operand<TFloat32> penalty(PenaltyContext context);
}
