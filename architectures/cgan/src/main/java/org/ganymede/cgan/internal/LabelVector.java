package org.ganymede.cgan.internal;

import java.util.List;
import org.ganymede.nn.Layer;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * What one network makes of the class: {@code encode} maps class rows {@code [n, classes]} to
 * label vectors. Both ways are linear in the rows, so the blended rows of sampling's
 * interpolation blend the classes' vectors.
 *
 * @param variables the embedding's table, or none for one-hot rows
 */
record LabelVector(Layer encode, List<Variable<TFloat32>> variables) {
  LabelVector {
    variables = List.copyOf(variables);
  }
}
