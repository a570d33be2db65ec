package org.ganymede.nn;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** One step of a network. Its variables are created once; {@link #apply} may be called many times. */
@FunctionalInterface
public interface Layer {
  Operand<TFloat32> apply(Ops tf, Operand<TFloat32> input);
}
