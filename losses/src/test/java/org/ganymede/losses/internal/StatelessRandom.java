package org.ganymede.losses.internal;

import java.util.ArrayList;
import java.util.List;
import org.ganymede.api.RandomSource;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** A fixed-seed random source that remembers what it drew, so tests can fetch the values used. */
final class StatelessRandom implements RandomSource {
  private final Ops tf;
  private final List<Operand<TFloat32>> drawn = new ArrayList<>();

  StatelessRandom(Ops tf) {
    this.tf = tf;
  }

  @Override
  public Operand<TFloat32> normal(Operand<TInt32> shape) {
    return remember(tf.random.statelessRandomNormal(shape, tf.constant(new long[] {1, 2})));
  }

  @Override
  public Operand<TFloat32> uniform(Operand<TInt32> shape) {
    return remember(tf.random.statelessRandomUniform(shape, tf.constant(new long[] {1, 2})));
  }

  List<Operand<TFloat32>> drawn() {
    return List.copyOf(drawn);
  }

  private Operand<TFloat32> remember(Operand<TFloat32> values) {
    drawn.add(values);
    return values;
  }
}
