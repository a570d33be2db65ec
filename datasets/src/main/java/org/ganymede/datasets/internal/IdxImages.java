package org.ganymede.datasets.internal;

/**
 * Grayscale images as an IDX file stores them: one unsigned byte per pixel, row after row, image
 * after image. Kept as bytes so that a dataset takes a quarter of the memory floats would.
 *
 * @param source the file the images came from, for messages
 */
record IdxImages(String source, int count, int rows, int columns, byte[] pixels) {

  int imageSize() {
    return rows * columns;
  }

  /** The images at {@code indices}, in that order. */
  IdxImages select(int[] indices) {
    int size = imageSize();
    byte[] selected = new byte[indices.length * size];
    for (int i = 0; i < indices.length; i++) {
      System.arraycopy(pixels, indices[i] * size, selected, i * size, size);
    }
    return new IdxImages(source, indices.length, rows, columns, selected);
  }
}
