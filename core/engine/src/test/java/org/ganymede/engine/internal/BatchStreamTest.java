package org.ganymede.engine.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.HashSet;
import java.util.Set;
import org.ganymede.api.DataSpec;
import org.ganymede.api.Dataset;
import org.junit.jupiter.api.Test;
import org.tensorflow.types.TFloat32;

class BatchStreamTest {
  /** Sample i is the vector (i, -i): a batch shows which samples it holds. */
  private static final Dataset NUMBERED = new Dataset() {
    @Override
    public DataSpec spec() {
      return DataSpec.vector(2);
    }

    @Override
    public int size() {
      return 10;
    }

    @Override
    public void read(int index, float[] target, int offset) {
      target[offset] = index;
      target[offset + 1] = -index;
    }

    @Override
    public int label(int index) {
      return -1;
    }

    @Override
    public String describe() {
      return "numbers 0 to 9";
    }
  };

  @Test
  void everyEpochVisitsEverySampleOnce() {
    try (BatchStream stream = new BatchStream(NUMBERED, 5, 3, 0, BatchStream.Share.WHOLE)) {
      for (int epoch = 0; epoch < 3; epoch++) {
        Set<Float> seen = new HashSet<>();
        for (int b = 0; b < 2; b++) {
          float[] batch = take(stream);
          for (int i = 0; i < 5; i++) {
            seen.add(batch[2 * i]);
            assertEquals(batch[2 * i], -batch[2 * i + 1], 0f);
          }
        }
        assertEquals(10, seen.size(), "epoch " + epoch);
      }
    }
  }

  @Test
  void aStreamStartedAtAPositionContinuesExactlyWhereAnotherLeftOff() {
    float[][] straight = new float[9][];
    try (BatchStream stream = new BatchStream(NUMBERED, 4, 7, 0, BatchStream.Share.WHOLE)) {
      for (int b = 0; b < 9; b++) {
        straight[b] = take(stream);
      }
    }
    try (BatchStream resumed = new BatchStream(NUMBERED, 4, 7, 5, BatchStream.Share.WHOLE)) {
      for (int b = 5; b < 9; b++) {
        assertArrayEquals(straight[b], take(resumed), "batch " + b);
      }
      assertEquals(9, resumed.position());
    }
  }

  @Test
  void theSharesOfWorkersTogetherAreTheWholeBatchInOrder() {
    float[][] whole = new float[6][];
    try (BatchStream stream = new BatchStream(NUMBERED, 4, 7, 0, BatchStream.Share.WHOLE)) {
      for (int b = 0; b < 6; b++) {
        whole[b] = take(stream);
      }
    }
    try (BatchStream first = new BatchStream(NUMBERED, 4, 7, 2, new BatchStream.Share(0, 2));
        BatchStream second = new BatchStream(NUMBERED, 4, 7, 2, new BatchStream.Share(1, 2))) {
      for (int b = 2; b < 6; b++) {
        float[] a = take(first);
        float[] c = take(second);
        assertEquals(4, a.length, "two rows of two values");
        float[] joined = new float[8];
        System.arraycopy(a, 0, joined, 0, 4);
        System.arraycopy(c, 0, joined, 4, 4);
        assertArrayEquals(whole[b], joined, "batch " + b);
      }
    }
  }

  @Test
  void everyRowComesWithItsOwnLabel() {
    Dataset labelled = new Dataset() {
      @Override
      public DataSpec spec() {
        return new DataSpec(new int[] {2}, 3);
      }

      @Override
      public int size() {
        return 10;
      }

      @Override
      public void read(int index, float[] target, int offset) {
        NUMBERED.read(index, target, offset);
      }

      @Override
      public int label(int index) {
        return (index * 7) % 3;
      }

      @Override
      public String describe() {
        return "numbers 0 to 9, labelled 7i mod 3";
      }
    };
    try (BatchStream stream = new BatchStream(labelled, 4, 11, 0, BatchStream.Share.WHOLE)) {
      Set<Integer> labelsSeen = new HashSet<>();
      for (int b = 0; b < 6; b++) {
        try (BatchStream.Batch batch = stream.next()) {
          float[] values = floats(batch.samples());
          int[] labels = new int[4];
          batch.labels().asRawTensor().data().asInts().read(labels);
          for (int row = 0; row < 4; row++) {
            assertEquals(labelled.label((int) values[2 * row]), labels[row], "batch " + b + ", row " + row);
            labelsSeen.add(labels[row]);
          }
        }
      }
      assertEquals(Set.of(0, 1, 2), labelsSeen);
    }
  }

  @Test
  void unlabelledDataComeWithoutLabels() {
    try (BatchStream stream = new BatchStream(NUMBERED, 5, 3, 0, BatchStream.Share.WHOLE); BatchStream.Batch batch = stream.next()) {
      assertNull(batch.labels());
      assertNull(batch.conditions());
    }
  }

  /**
   * The condition of sample i read as draw k is (i, k): each row's condition is its own sample's,
   * read with the same draw (so that an augmentation applies to both halves of a pair alike).
   */
  @Test
  void everyRowComesWithItsOwnConditionReadWithTheSameDraw() {
    Dataset conditions = new Dataset() {
      @Override
      public DataSpec spec() {
        return DataSpec.vector(2);
      }

      @Override
      public int size() {
        return 10;
      }

      @Override
      public void read(int index, float[] target, int offset) {
        read(index, -1, target, offset);
      }

      @Override
      public void read(int index, long draw, float[] target, int offset) {
        target[offset] = index;
        target[offset + 1] = draw;
      }

      @Override
      public int label(int index) {
        return -1;
      }

      @Override
      public String describe() {
        return "conditions (i, draw)";
      }
    };
    Dataset paired = new Dataset() {
      @Override
      public DataSpec spec() {
        return NUMBERED.spec();
      }

      @Override
      public int size() {
        return 10;
      }

      @Override
      public void read(int index, float[] target, int offset) {
        NUMBERED.read(index, target, offset);
      }

      @Override
      public java.util.Optional<ConditionImages> conditionImages() {
        return java.util.Optional.of(new ConditionImages(conditions, org.ganymede.api.Condition.Images.PAIRED));
      }

      @Override
      public int label(int index) {
        return -1;
      }

      @Override
      public String describe() {
        return "numbers paired with (i, draw)";
      }
    };
    try (BatchStream stream = new BatchStream(paired, 4, 13, 2, BatchStream.Share.WHOLE)) {
      for (int b = 2; b < 7; b++) {
        try (BatchStream.Batch batch = stream.next()) {
          float[] values = floats(batch.samples());
          float[] rows = floats(batch.conditions());
          for (int row = 0; row < 4; row++) {
            assertEquals(values[2 * row], rows[2 * row], 0f, "batch " + b + ", row " + row + ": the same sample");
            assertEquals(b * 4 + row, rows[2 * row + 1], 0f, "batch " + b + ", row " + row + ": the same draw");
          }
        }
      }
    }
  }

  private static float[] take(BatchStream stream) {
    try (BatchStream.Batch batch = stream.next()) {
      return floats(batch.samples());
    }
  }

  private static float[] floats(TFloat32 t) {
    float[] values = new float[(int) t.size()];
    t.asRawTensor().data().asFloats().read(values);
    return values;
  }
}
