package org.ganymede.engine.internal;

import org.ganymede.api.DataSpec;
import org.ganymede.api.Dataset;

/** One-value samples, all zero. */
final class ConstantData implements Dataset {
  @Override
  public DataSpec spec() {
    return DataSpec.vector(1);
  }

  @Override
  public int size() {
    return 8;
  }

  @Override
  public void read(int index, float[] target, int offset) {
    target[offset] = 0;
  }

  @Override
  public int label(int index) {
    return -1;
  }

  @Override
  public String describe() {
    return "eight zeros";
  }
}
