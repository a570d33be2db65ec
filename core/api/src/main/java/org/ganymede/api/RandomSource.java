package org.ganymede.api;

import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Random numbers inside the graph that depend only on the run's seed and the training step, so
 * that a resumed run draws exactly what an uninterrupted one would. Each call creates an op with
 * its own stream.
 */
public interface RandomSource {
  /** Standard normal values of the given shape (the shape may be computed in the graph). */
  Operand<TFloat32> normal(Operand<TInt32> shape);

  /** Uniform values in [0, 1) of the given shape. */
  Operand<TFloat32> uniform(Operand<TInt32> shape);
}
