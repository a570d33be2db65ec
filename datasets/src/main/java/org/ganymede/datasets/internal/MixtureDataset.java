package org.ganymede.datasets.internal;

import java.util.Objects;
import org.ganymede.api.DataSpec;
import org.ganymede.api.Dataset;

/** 2-D points labelled with the mode they were drawn from. Immutable, so reads are thread-safe. */
final class MixtureDataset implements Dataset {
  private final String description;
  private final float[] points;
  private final byte[] modes;
  private final DataSpec spec;

  /**
   * @param points x and y of each point, one point after the other
   * @param modes the mode of each point
   * @param modeCount the number of modes, which become the label classes
   */
  MixtureDataset(String description, float[] points, byte[] modes, int modeCount) {
    if (points.length != 2 * modes.length) {
      throw new IllegalArgumentException(points.length / 2 + " points but " + modes.length + " modes");
    }
    this.description = description;
    this.points = points;
    this.modes = modes;
    this.spec = new DataSpec(new int[] {2}, modeCount);
  }

  @Override
  public DataSpec spec() {
    return spec;
  }

  @Override
  public int size() {
    return modes.length;
  }

  @Override
  public void read(int index, float[] target, int offset) {
    Objects.checkIndex(index, modes.length);
    target[offset] = points[2 * index];
    target[offset + 1] = points[2 * index + 1];
  }

  @Override
  public int label(int index) {
    Objects.checkIndex(index, modes.length);
    return modes[index];
  }

  @Override
  public String describe() {
    return description;
  }
}
