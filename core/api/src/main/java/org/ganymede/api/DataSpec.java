package org.ganymede.api;

import java.util.Arrays;

/**
 * The shape of one sample and the number of classes. Images are HWC ({@code [32, 32, 1]}),
 * vectors are one-dimensional ({@code [2]}). Values lie in [-1, 1] for images.
 *
 * @param shape the shape of one sample, without the batch dimension
 * @param classes the number of label classes, 0 when the data carry no labels
 */
public record DataSpec(int[] shape, int classes) {
  public DataSpec {
    if (shape.length == 0) {
      throw new IllegalArgumentException("a sample needs at least one dimension");
    }
    for (int d : shape) {
      if (d <= 0) {
        throw new IllegalArgumentException("sample dimensions must be positive: " + Arrays.toString(shape));
      }
    }
    shape = shape.clone();
  }

  public static DataSpec image(int height, int width, int channels, int classes) {
    return new DataSpec(new int[] {height, width, channels}, classes);
  }

  public static DataSpec vector(int size) {
    return new DataSpec(new int[] {size}, 0);
  }

  @Override
  public int[] shape() {
    return shape.clone();
  }

  public boolean isImage() {
    return shape.length == 3;
  }

  public int height() {
    requireImage();
    return shape[0];
  }

  public int width() {
    requireImage();
    return shape[1];
  }

  public int channels() {
    requireImage();
    return shape[2];
  }

  /** Number of floats in one sample. */
  public int sampleSize() {
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    return n;
  }

  /** The shape of a batch of {@code batch} samples. */
  public long[] batchShape(long batch) {
    long[] s = new long[shape.length + 1];
    s[0] = batch;
    for (int i = 0; i < shape.length; i++) {
      s[i + 1] = shape[i];
    }
    return s;
  }

  private void requireImage() {
    if (!isImage()) {
      throw new IllegalStateException("not image data: " + this);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DataSpec d && Arrays.equals(shape, d.shape) && classes == d.classes;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(shape) * 31 + classes;
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < shape.length; i++) {
      b.append(i == 0 ? "" : "x").append(shape[i]);
    }
    return b + (classes > 0 ? " (" + classes + " classes)" : "");
  }
}
