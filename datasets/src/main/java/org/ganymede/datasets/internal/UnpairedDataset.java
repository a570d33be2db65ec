package org.ganymede.datasets.internal;

import java.util.Optional;
import org.ganymede.api.DataSpec;
import org.ganymede.api.Dataset;

/**
 * Unpaired two-domain data: reads as domain A and offers domain B as its second domain. The two
 * need not be the same size. Closing it closes both.
 */
final class UnpairedDataset implements Dataset {
  private final Dataset a;
  private final Dataset b;

  UnpairedDataset(Dataset a, Dataset b) {
    this.a = a;
    this.b = b;
  }

  @Override
  public DataSpec spec() {
    return a.spec();
  }

  @Override
  public int size() {
    return a.size();
  }

  @Override
  public void read(int index, float[] target, int offset) {
    a.read(index, target, offset);
  }

  @Override
  public void read(int index, long draw, float[] target, int offset) {
    a.read(index, draw, target, offset);
  }

  @Override
  public Optional<Dataset> secondDomain() {
    return Optional.of(b);
  }

  @Override
  public int label(int index) {
    return a.label(index);
  }

  @Override
  public String describe() {
    return "domain A: " + a.describe() + "; domain B: " + b.describe();
  }

  @Override
  public void close() {
    try {
      a.close();
    } finally {
      b.close();
    }
  }
}
