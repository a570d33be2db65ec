package org.ganymede.engine.internal;

import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.ganymede.api.Dataset;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Batches of real samples in a repeatable order, assembled ahead of the trainer on a thread of
 * their own. Epoch e visits the samples in a permutation drawn from (seed, e); batch b takes the
 * next {@code batch} entries of that endless sequence, so any position can be resumed exactly.
 * Entry k of the sequence is read as draw k, from which an augmenting dataset derives its crop
 * and flip. Labelled data come with the label of every row, paired data with the condition image
 * of every row, read with the same draw so that both halves of a pair are cropped and flipped alike.
 * A worker of a cluster takes its share of each batch: the rows of its rank, the same rows a single
 * process training the whole batch would give it.
 */
final class BatchStream implements AutoCloseable {
  private static final int AHEAD = 4;

  private final Dataset dataset;
  /** Rows this stream hands out of each batch. */
  private final int rows;
  private final Share share;
  private final long seed;
  private final BlockingQueue<Object> ready = new ArrayBlockingQueue<>(AHEAD);
  private final Thread loader;
  private long position;
  private volatile boolean closed;

  /**
   * Which of {@code count} equal parts of each batch a stream hands out.
   *
   * @param index the part, from 0
   */
  record Share(int index, int count) {
    static final Share WHOLE = new Share(0, 1);
  }

  /**
   * @param batch the rows of a whole batch
   * @param position the number of batches already consumed (0 for a new run)
   * @param share the part of each batch to hand out ({@link Share#WHOLE} for all of it)
   */
  BatchStream(Dataset dataset, int batch, long seed, long position, Share share) {
    if (dataset.size() < 1) {
      throw new IllegalArgumentException("the dataset is empty: " + dataset.describe());
    }
    if (batch % share.count() != 0) {
      throw new IllegalArgumentException("a batch of " + batch + " does not split into " + share.count() + " parts");
    }
    this.dataset = dataset;
    this.rows = batch / share.count();
    this.share = share;
    this.seed = seed;
    this.position = position;
    this.loader = new Thread(() -> load(position), "ganymede-batches");
    loader.setDaemon(true);
    loader.start();
  }

  /**
   * A batch of samples; for labelled data the label of each row (else null); for paired data the
   * condition image of each row (else null).
   */
  record Batch(TFloat32 samples, TInt32 labels, TFloat32 conditions) implements AutoCloseable {
    @Override
    public void close() {
      samples.close();
      if (labels != null) {
        labels.close();
      }
      if (conditions != null) {
        conditions.close();
      }
    }
  }

  /** The next batch; the caller closes it. */
  Batch next() {
    try {
      Object item = ready.take();
      if (item instanceof RuntimeException e) {
        throw e;
      }
      position++;
      return (Batch) item;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for data", e);
    }
  }

  /** Batches consumed so far: where a resumed run continues. */
  long position() {
    return position;
  }

  private void load(long from) {
    int n = dataset.size();
    int sampleSize = dataset.spec().sampleSize();
    Shape shape = Shape.of(dataset.spec().batchShape(rows));
    int batch = rows * share.count();
    boolean labelled = dataset.spec().classes() > 0;
    Dataset conditions = dataset.conditionImages().map(Dataset.ConditionImages::images).orElse(null);
    int conditionSize = conditions == null ? 0 : conditions.spec().sampleSize();
    int[] order = null;
    long orderEpoch = -1;
    try {
      for (long b = from; !closed; b++) {
        float[] values = new float[rows * sampleSize];
        int[] labels = new int[rows];
        float[] conditionValues = new float[rows * conditionSize];
        for (int i = 0; i < rows; i++) {
          long k = b * batch + share.index() * rows + i;
          long epoch = k / n;
          if (epoch != orderEpoch) {
            order = permutation(n, epoch);
            orderEpoch = epoch;
          }
          int index = order[(int) (k % n)];
          dataset.read(index, k, values, i * sampleSize);
          if (labelled) {
            labels[i] = dataset.label(index);
          }
          if (conditions != null) {
            conditions.read(index, k, conditionValues, i * conditionSize);
          }
        }
        ready.put(new Batch(TFloat32.tensorOf(shape, DataBuffers.of(values, true, false)),
            labelled ? TInt32.vectorOf(labels) : null,
            conditions == null ? null : TFloat32.tensorOf(Shape.of(conditions.spec().batchShape(rows)),
                DataBuffers.of(conditionValues, true, false))));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      ready.offer(new IllegalStateException("reading " + dataset.describe() + " failed: " + e.getMessage(), e));
    }
  }

  private int[] permutation(int n, long epoch) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    SplittableRandom random = new SplittableRandom(seed * 1_000_003L + epoch);
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  @Override
  public void close() {
    closed = true;
    loader.interrupt();
    try {
      loader.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Object item : ready) {
      if (item instanceof Batch b) {
        b.close();
      }
    }
    ready.clear();
  }
}
