package org.ganymede.engine.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
    try (BatchStream stream = new BatchStream(NUMBERED, 5, 3, 0)) {
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
    try (BatchStream stream = new BatchStream(NUMBERED, 4, 7, 0)) {
      for (int b = 0; b < 9; b++) {
        straight[b] = take(stream);
      }
    }
    try (BatchStream resumed = new BatchStream(NUMBERED, 4, 7, 5)) {
      for (int b = 5; b < 9; b++) {
        assertArrayEquals(straight[b], take(resumed), "batch " + b);
      }
      assertEquals(9, resumed.position());
    }
  }

  private static float[] take(BatchStream stream) {
    try (TFloat32 t = stream.next()) {
      float[] values = new float[(int) t.size()];
      t.asRawTensor().data().asFloats().read(values);
      return values;
    }
  }
}
