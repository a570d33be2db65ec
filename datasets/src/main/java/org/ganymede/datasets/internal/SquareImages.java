package org.ganymede.datasets.internal;

/**
 * Square images of one size held as bytes, each {@code side} x {@code side} x {@code channels},
 * row by row, the channels of a pixel side by side.
 */
record SquareImages(int count, int side, int channels, byte[] pixels) {

  int imageSize() {
    return side * side * channels;
  }
}
