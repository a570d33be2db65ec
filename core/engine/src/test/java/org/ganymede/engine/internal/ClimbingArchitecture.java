package org.ganymede.engine.internal;

import java.util.List;
import java.util.Map;
import org.ganymede.api.Architecture;
import org.ganymede.api.GanModel;
import org.ganymede.api.ModelContext;
import org.ganymede.api.Objective;
import org.ganymede.api.OptimizerSpec;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/** Two scalar variables, each raised by its own objective with a constant gradient, and a step counter. */
final class ClimbingArchitecture implements Architecture {
  static final float LEARNING_RATE = 0.1f;

  @Override
  public GanModel build(ModelContext context) {
    Ops tf = context.tf();
    Variable<TFloat32> every = tf.withName("every").variable(tf.constant(0f));
    Variable<TFloat32> lazy = tf.withName("lazy").variable(tf.constant(0f));
    Variable<TFloat32> steps = tf.withName("steps").variable(tf.constant(0f));
    OptimizerSpec adam = OptimizerSpec.adam(LEARNING_RATE, 0.9, 0.999);
    OptimizerSpec decaying = context.optimizer("every", adam);
    Placeholder<TFloat32> latent = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 1)));
    Operand<TFloat32> generated = tf.math.add(latent, tf.math.add(every, lazy));
    return new GanModel(List.of(
        new Objective("every", tf.math.neg(every), List.of(every), decaying, 1),
        new Objective("lazy", tf.math.neg(lazy), List.of(lazy), adam, 1, 3)),
        Map.of(), latent, generated, List.of(tf.assignAdd(steps, tf.constant(1f))));
  }
}
