package org.ganymede.stylegan.internal;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * The average style w_avg (StyleGAN2-ADA's {@code w_avg}): a moving average of what the live
 * generator's mapping network puts out while it trains, and the centre truncation pulls styles
 * towards. It is a variable no optimizer trains, so checkpoints save and restore it with the rest.
 */
final class AverageStyle {
  /** The variable's name in the graph. */
  static final String NAME = "w_avg";

  private final Variable<TFloat32> value;
  private final float beta;

  /**
   * @param beta the share of itself the average keeps on each update, in [0, 1)
   */
  AverageStyle(Ops tf, int styleSize, float beta) {
    Ops init = tf.withInitScope();
    // Zero at first, as in the reference: it warms up over the first few hundred steps.
    this.value = tf.withName(NAME).variable(init.fill(init.constant(Shape.of(styleSize).asArray()), init.constant(0f)));
    this.beta = beta;
  }

  Variable<TFloat32> variable() {
    return value;
  }

  /**
   * The op that moves w_avg towards the batch mean of {@code w} {@code [n, styleSize]}:
   * {@code w_avg + (1 - beta) (mean(w) - w_avg)}, the reference's {@code mean(w).lerp(w_avg, beta)}.
   */
  Op update(Ops tf, Operand<TFloat32> w) {
    Operand<TFloat32> mean = tf.math.mean(w, tf.constant(new int[] {0}));
    return tf.withName("w_avg_update").assign(value,
        tf.math.add(value, tf.math.mul(tf.constant(1 - beta), tf.math.sub(mean, value))));
  }

  /**
   * Styles pulled towards the average by {@code psi}, a scalar: {@code psi w + (1 - psi) w_avg}
   * (w_avg + psi (w - w_avg), written so that psi 1 gives w and psi 0 gives w_avg exactly).
   */
  Operand<TFloat32> truncate(Ops tf, Operand<TFloat32> w, Operand<TFloat32> psi) {
    return tf.math.add(tf.math.mul(w, psi), tf.math.mul(value, tf.math.sub(tf.constant(1f), psi)));
  }
}
