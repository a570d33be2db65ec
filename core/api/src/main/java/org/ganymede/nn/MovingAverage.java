package org.ganymede.nn;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * An exponential moving average of a network's weights, as StyleGAN's {@code G_ema}: after each
 * step {@code shadow = beta * shadow + (1 - beta) * live}. Build the shadow network as a second
 * copy of the live one with the same seed, so that both start from the same weights; sample from
 * the shadow and hand the update to {@code GanModel.afterStep}.
 */
public final class MovingAverage {
  private MovingAverage() {}

  /**
   * @param shadow the averaged variables, in the order of {@code live}
   * @param live the trained variables
   * @param beta how much of the average each update keeps, in [0, 1)
   * @return the op that moves every shadow variable towards its live one
   */
  public static Op update(Ops tf, String name, List<Variable<TFloat32>> shadow, List<Variable<TFloat32>> live,
      float beta) {
    if (shadow.size() != live.size()) {
      throw new IllegalArgumentException(shadow.size() + " shadow variables for " + live.size() + " live ones");
    }
    if (!(beta >= 0 && beta < 1)) {
      throw new IllegalArgumentException("a moving average keeps a share in [0, 1) of itself, not " + beta);
    }
    List<Op> assignments = new ArrayList<>();
    for (int i = 0; i < live.size(); i++) {
      if (!shadow.get(i).shape().equals(live.get(i).shape())) {
        throw new IllegalArgumentException("shadow " + shadow.get(i).op().name() + " has shape " + shadow.get(i).shape()
            + ", live " + live.get(i).op().name() + " has " + live.get(i).shape());
      }
      // shadow + (1 - beta) * (live - shadow): the same average, one rounding fewer.
      assignments.add(tf.assign(shadow.get(i), tf.math.add(shadow.get(i),
          tf.math.mul(tf.constant(1 - beta), tf.math.sub(live.get(i), shadow.get(i))))));
    }
    return tf.withName(name).withControlDependencies(assignments).noOp();
  }
}
