package org.ganymede.stylegan.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.ganymede.api.ModelContext;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * What the live generator synthesises from while it trains: the styles of fresh latents, mixed
 * (see {@link StyleganArchitecture}), and fresh noise, all drawn from the run's stateless random
 * numbers so that training repeats and resumes exactly.
 */
final class TrainingInputs {
  private TrainingInputs() {}

  /**
   * The styles of one batch.
   *
   * @param first w of the first latents, {@code [n, styleSize]}, before any mixing
   * @param inputs what each style input reads
   */
  record Styles(Operand<TFloat32> first, List<Operand<TFloat32>> inputs) {}

  /** One w per style input for {@code n} samples: w1 before the crossover, w2 from it on. */
  static Styles styles(ModelContext context, StyleganConfig config, Generator g, int n) {
    Ops tf = context.tf();
    Operand<TInt32> zShape = tf.constant(new int[] {n, config.latentSize()});
    Operand<TFloat32> w1 = g.map(tf, context.random().normal(zShape));
    int inputs = config.styleInputs();
    List<Operand<TFloat32>> ws = new ArrayList<>();
    if (config.mixing() == 0) {
      for (int i = 0; i < inputs; i++) {
        ws.add(w1);
      }
      return new Styles(w1, ws);
    }
    Operand<TFloat32> w2 = g.map(tf, context.random().normal(zShape));
    Operand<TFloat32> draws = context.random().uniform(tf.constant(new int[] {2}));
    Operand<TFloat32> mixes = tf.slice(draws, tf.constant(new int[] {0}), tf.constant(new int[] {1}));
    Operand<TFloat32> where = tf.slice(draws, tf.constant(new int[] {1}), tf.constant(new int[] {1}));
    // Crossover uniform in {1, ..., inputs - 1} when mixing, else inputs (no input reads w2).
    Operand<TFloat32> crossover = tf.select(
        tf.math.less(mixes, tf.constant(new float[] {(float) config.mixing()})),
        tf.math.add(tf.math.floor(tf.math.mul(where, tf.constant(new float[] {inputs - 1}))),
            tf.constant(new float[] {1})),
        tf.constant(new float[] {inputs}));
    Operand<TFloat32> cut = tf.reshape(crossover, tf.constant(new int[0]));
    for (int i = 0; i < inputs; i++) {
      // 1 before the crossover, 0 from it on: w1 * keep + w2 * (1 - keep).
      Operand<TFloat32> keep = tf.dtypes.cast(tf.math.less(tf.constant((float) i), cut), TFloat32.class);
      ws.add(tf.math.add(tf.math.mul(w1, keep), tf.math.mul(w2, tf.math.sub(tf.constant(1f), keep))));
    }
    return new Styles(w1, ws);
  }

  /** Fresh noise for every conv, {@code [n, r, r, 1]}. */
  static IntFunction<Operand<TFloat32>> noise(ModelContext context, Generator g, int n) {
    List<Operand<TFloat32>> noise = new ArrayList<>();
    for (int i = 0; i < g.convCount(); i++) {
      int r = g.resolutionOf(i);
      noise.add(context.random().normal(context.tf().constant(new int[] {n, r, r, 1})));
    }
    return noise::get;
  }
}
