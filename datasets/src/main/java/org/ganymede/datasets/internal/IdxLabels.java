package org.ganymede.datasets.internal;

/**
 * Labels as an IDX file stores them: one unsigned byte per sample.
 *
 * @param source the file the labels came from, for messages
 */
record IdxLabels(String source, byte[] values) {

  int count() {
    return values.length;
  }

  int label(int index) {
    return Byte.toUnsignedInt(values[index]);
  }

  int max() {
    int max = 0;
    for (byte value : values) {
      max = Math.max(max, Byte.toUnsignedInt(value));
    }
    return max;
  }

  /** The labels at {@code indices}, in that order. */
  IdxLabels select(int[] indices) {
    byte[] selected = new byte[indices.length];
    for (int i = 0; i < indices.length; i++) {
      selected[i] = values[indices[i]];
    }
    return new IdxLabels(source, selected);
  }
}
