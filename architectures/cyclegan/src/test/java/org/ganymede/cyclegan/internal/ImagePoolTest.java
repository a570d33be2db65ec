package org.ganymede.cyclegan.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.ganymede.nn.StatelessRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * The pool in a real graph. Every fake is an image filled with its own id (1, 2, 3, ... in the
 * order they are fed), so that each returned image and each stored one says which fake it is.
 */
class ImagePoolTest {
  private static final int[] SAMPLE = {2, 2, 1};
  private static final int PIXELS = 4;

  @Test
  void returnsTheFakesThemselvesUntilFull() {
    try (PoolGraph pool = new PoolGraph(6, 2)) {
      for (int run = 0; run < 3; run++) {
        float[] fakes = pool.nextFakes();
        assertArrayEquals(fakes, pool.query(run, true), "run " + run);
        assertEquals(2 * (run + 1), pool.count());
      }
      assertEquals(Set.of(1f, 2f, 3f, 4f, 5f, 6f), pool.storedIds());
    }
  }

  @Test
  void readingTheImagesChangesNothing() {
    try (PoolGraph pool = new PoolGraph(4, 2)) {
      for (int run = 0; run < 3; run++) {
        pool.nextFakes();
        pool.query(run, false);
      }
      assertEquals(0, pool.count());
      assertEquals(Set.of(), pool.storedIds());
    }
  }

  /**
   * Replays the rule beside the graph: while not full, every fake must come back itself and be
   * stored; once full, every fake that does not come back itself must have been swapped for an
   * image stored before it (in an earlier batch or earlier in its own), which leaves the pool.
   * After each run the pool must hold exactly what the replay says. Swaps happen with probability
   * 1/2: over 4000 decisions the share lies within 0.5 +- 0.05, more than 6 standard deviations
   * (0.0079). Each position of the pool is drawn with probability 1/capacity: over the 1300 to
   * 1900 swaps of an image stored in an earlier batch, each position's count lies within a third
   * of its expectation (more than 7 standard deviations).
   */
  @ParameterizedTest(name = "capacity {0}, batch {1}")
  @CsvSource({"5, 2", "3, 4"})
  void onceFullReturnsAStoredImageHalfTheTimeAndOnlyOneStoredBefore(int capacity, int batch) {
    int decisions = 4000;
    try (PoolGraph pool = new PoolGraph(capacity, batch)) {
      Set<Float> replay = new HashSet<>();
      float[] layout = pool.stored();
      int full = 0;
      int swaps = 0;
      int[] drawnPositions = new int[capacity];
      for (int run = 0; full < decisions; run++) {
        float[] fakes = pool.nextFakes();
        float[] returned = pool.query(run, true);
        for (int i = 0; i < batch; i++) {
          float fake = fakes[i * PIXELS];
          float back = returned[i * PIXELS];
          for (int p = 1; p < PIXELS; p++) {
            assertEquals(back, returned[i * PIXELS + p], "one image is one fake");
          }
          if (replay.size() < capacity) {
            assertEquals(fake, back, "a pool that is not full returns the fake itself");
            replay.add(fake);
            continue;
          }
          full++;
          if (back != fake) {
            assertTrue(replay.remove(back), "returned " + back + ", which was not in the pool; it held " + replay);
            replay.add(fake);
            swaps++;
            for (int position = 0; position < capacity; position++) {
              if (layout[position * PIXELS] == back) {
                drawnPositions[position]++;
              }
            }
          }
        }
        layout = pool.stored();
        assertEquals(replay, pool.storedIds(), "after run " + run);
        assertEquals(Math.min(capacity, (run + 1) * batch), pool.count());
      }
      double share = (double) swaps / full;
      assertEquals(0.5, share, 0.05, swaps + " swaps in " + full + " decisions");
      int fromLayout = Arrays.stream(drawnPositions).sum();
      for (int position = 0; position < capacity; position++) {
        double expected = (double) fromLayout / capacity;
        assertEquals(expected, drawnPositions[position], expected / 3,
            "position " + position + " drawn " + drawnPositions[position] + " times of " + fromLayout);
      }
    }
  }

  /** A pool of images of {@link #SAMPLE} in a graph of its own, fed fakes with ids counting up. */
  private static final class PoolGraph implements AutoCloseable {
    private final Graph graph = new Graph();
    private final Session session = new Session(graph);
    private final int batch;
    private final Placeholder<TFloat32> fakes;
    private final Placeholder<TInt64> seed;
    private final ImagePool.Query query;
    private float nextId = 1;
    private float[] fed;

    PoolGraph(int capacity, int batch) {
      this.batch = batch;
      Ops tf = Ops.create(graph);
      fakes = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(batch, 2, 2, 1)));
      seed = tf.placeholder(TInt64.class, Placeholder.shape(Shape.of(2)));
      query = new ImagePool(tf, "pool", capacity, SAMPLE).query(fakes, batch, new StatelessRandom(tf, seed));
      session.initialize();
    }

    float[] nextFakes() {
      fed = new float[batch * PIXELS];
      for (int i = 0; i < batch; i++) {
        Arrays.fill(fed, i * PIXELS, (i + 1) * PIXELS, nextId++);
      }
      return fed;
    }

    /** The images returned for the last fakes, with or without the pool's update. */
    float[] query(long run, boolean update) {
      try (TFloat32 in = TFloat32.tensorOf(Shape.of(batch, 2, 2, 1), DataBuffers.of(fed));
          TInt64 s = TInt64.vectorOf(7, run)) {
        Session.Runner runner = session.runner().feed(fakes, in).feed(seed, s).fetch(query.images());
        if (update) {
          runner.addTarget(query.update());
        }
        try (Result r = runner.run()) {
          return values((TFloat32) r.get(0));
        }
      }
    }

    float[] stored() {
      try (Result r = session.runner().fetch("pool").run()) {
        return values((TFloat32) r.get(0));
      }
    }

    /** The ids of the stored fakes; an empty position holds 0, no id. */
    Set<Float> storedIds() {
      Set<Float> ids = new HashSet<>();
      for (float v : stored()) {
        if (v != 0) {
          ids.add(v);
        }
      }
      return ids;
    }

    int count() {
      try (Result r = session.runner().fetch("pool_count").run()) {
        return ((TInt32) r.get(0)).getInt();
      }
    }

    private static float[] values(TFloat32 t) {
      float[] v = new float[(int) t.size()];
      t.copyTo(DataBuffers.of(v, false, false));
      return v;
    }

    @Override
    public void close() {
      session.close();
      graph.close();
    }
  }
}
