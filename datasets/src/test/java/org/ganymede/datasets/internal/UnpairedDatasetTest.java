package org.ganymede.datasets.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ganymede.api.DataSpec;
import org.ganymede.api.Dataset;
import org.junit.jupiter.api.Test;

class UnpairedDatasetTest {

  @Test
  void readsAsDomainAWithBAsSecondDomain() {
    Recording a = new Recording("A", 3);
    Recording b = new Recording("B", 5);
    UnpairedDataset unpaired = new UnpairedDataset(a, b);

    assertEquals(3, unpaired.size());
    assertEquals(a.spec(), unpaired.spec());
    assertSame(b, unpaired.secondDomain().orElseThrow());
    float[] sample = new float[1];
    unpaired.read(2, sample, 0);
    assertArrayEquals(new float[] {2}, sample);
    unpaired.read(1, 40, sample, 0);
    assertArrayEquals(new float[] {41}, sample);
    assertEquals(2, unpaired.label(2));
    assertEquals("domain A: A; domain B: B", unpaired.describe());
  }

  @Test
  void closingClosesBothDomainsEvenWhenAFails() {
    Recording b = new Recording("B", 1);
    Recording failing = new Recording("A", 1) {
      @Override
      public void close() {
        super.close();
        throw new IllegalStateException("A cannot close");
      }
    };
    UnpairedDataset unpaired = new UnpairedDataset(failing, b);
    assertThrows(IllegalStateException.class, unpaired::close);
    assertTrue(failing.closed);
    assertTrue(b.closed);
  }

  /** Samples of one value, the index plus the draw; remembers being closed. */
  private static class Recording implements Dataset {
    private final String name;
    private final int size;
    boolean closed;

    Recording(String name, int size) {
      this.name = name;
      this.size = size;
    }

    @Override
    public DataSpec spec() {
      return DataSpec.vector(1);
    }

    @Override
    public int size() {
      return size;
    }

    @Override
    public void read(int index, float[] target, int offset) {
      target[offset] = index;
    }

    @Override
    public void read(int index, long draw, float[] target, int offset) {
      target[offset] = index + draw;
    }

    @Override
    public int label(int index) {
      return index;
    }

    @Override
    public String describe() {
      return name;
    }

    @Override
    public void close() {
      closed = true;
    }
  }
}
