package org.ganymede.cyclegan.internal;

import java.util.ArrayList;
import java.util.List;
import org.ganymede.api.RandomSource;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * A history of generated images for a discriminator to learn from (Shrivastava et al. 2017; the
 * CycleGAN reference's {@code ImagePool}), kept in graph variables so that checkpoints save it and
 * a resumed run continues with the same history.
 *
 * <p>The rule, for each fake of the batch in order: while the pool holds fewer than its capacity,
 * the fake is stored and returned itself. Once the pool is full, with probability 1/2 a stored
 * image drawn uniformly is returned and the fake takes its place; otherwise the fake is returned
 * and the pool is unchanged. A fake stored earlier in the same batch may so be returned for a
 * later one, as in the reference. The draws come from the run's stateless random numbers.
 *
 * <p>A query returns the images and the op that writes the new history. The images are computed
 * from the pool as it was before the query, and the writes wait for them, so that reading and
 * writing never race; whatever must update the pool (the discriminator's loss) has to depend on
 * {@link Query#update} through a control dependency. Reading the images alone changes nothing.
 */
final class ImagePool {
  /** Probability that a full pool swaps a stored image for the new fake. */
  static final float SWAP_PROBABILITY = 0.5f;

  private final Ops tf;
  private final int capacity;
  private final Variable<TFloat32> images;
  private final Variable<TInt32> count;

  /**
   * @param name names the variables: {@code name} holds the images, {@code name_count} how many
   *     are stored
   * @param capacity how many images the pool holds, at least 1
   * @param sampleShape the shape of one image
   */
  ImagePool(Ops tf, String name, int capacity, int[] sampleShape) {
    if (capacity < 1) {
      throw new IllegalArgumentException("an image pool holds at least one image, not " + capacity);
    }
    this.tf = tf;
    this.capacity = capacity;
    long[] shape = new long[sampleShape.length + 1];
    shape[0] = capacity;
    for (int i = 0; i < sampleShape.length; i++) {
      shape[i + 1] = sampleShape[i];
    }
    Ops init = tf.withInitScope();
    this.images = tf.withName(name).variable(init.fill(init.constant(Shape.of(shape).asArray()), init.constant(0f)));
    this.count = tf.withName(name + "_count").variable(init.constant(0));
  }

  /** The images a discriminator sees for a batch of fakes, and the op that stores the new history. */
  record Query(Operand<TFloat32> images, Op update) {}

  /**
   * @param fakes a batch of generated images
   * @param batch the number of fakes, known when the graph is built
   * @param random draws two uniform numbers per fake: whether to swap and which stored image
   */
  Query query(Operand<TFloat32> fakes, int batch, RandomSource random) {
    // Rows 0 .. capacity-1 of `candidates` are the stored images, row capacity + i is fake i: the
    // rule is worked out on row indices, and the images are gathered once at the end.
    Operand<TFloat32> candidates = tf.concat(List.of(images, fakes), tf.constant(0));
    List<Output<TFloat32>> draws =
        tf.unstack(random.uniform(tf.constant(new int[] {2 * batch})), (long) (2 * batch)).output();
    Operand<TInt32> slots = tf.range(tf.constant(0), tf.constant(capacity), tf.constant(1));
    Operand<TInt32> contents = slots;
    Operand<TInt32> stored = tf.identity(count);
    Operand<TInt32> lastSlot = tf.constant(capacity - 1);
    List<Operand<TInt32>> picks = new ArrayList<>();
    for (int i = 0; i < batch; i++) {
      Operand<TInt32> fakeRow = tf.constant(capacity + i);
      Operand<TBool> full = tf.math.greaterEqual(stored, tf.constant(capacity));
      Operand<TBool> swap = tf.math.logicalAnd(full, tf.math.less(draws.get(2 * i), tf.constant(SWAP_PROBABILITY)));
      Operand<TInt32> drawnSlot = tf.math.minimum(lastSlot, tf.dtypes.cast(
          tf.math.floor(tf.math.mul(draws.get(2 * i + 1), tf.constant((float) capacity))), TInt32.class));
      Operand<TInt32> slot = tf.select(full, drawnSlot, stored);
      Operand<TBool> write = tf.math.logicalOr(tf.math.logicalNot(full), swap);
      picks.add(tf.select(swap, tf.gather(contents, slot, tf.constant(0)), fakeRow));
      contents = tf.select(tf.math.logicalAnd(tf.math.equal(slots, slot), write), fakeRow, contents);
      stored = tf.math.minimum(tf.math.add(stored, tf.constant(1)), tf.constant(capacity));
    }
    Operand<TFloat32> returned = tf.gather(candidates, tf.stack(picks), tf.constant(0));
    Operand<TFloat32> history = tf.gather(candidates, contents, tf.constant(0));
    // Every read of the variables feeds `returned` or `history`: the writes wait for both.
    Ops afterReads = tf.withControlDependencies(List.of(returned, history));
    Op update = tf.withControlDependencies(List.of(
            afterReads.assign(images, history), afterReads.assign(count, stored)))
        .noOp();
    return new Query(returned, update);
  }
}
