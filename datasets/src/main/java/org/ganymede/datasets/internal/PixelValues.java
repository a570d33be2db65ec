package org.ganymede.datasets.internal;

/** Pixel bytes as the floats in [-1, 1] that datasets hand out. */
final class PixelValues {
  /** The float for each byte value: x / 127.5 - 1, so 0 maps to -1 and 255 to 1 exactly. */
  private static final float[] VALUES = new float[256];

  static {
    for (int i = 0; i < VALUES.length; i++) {
      VALUES[i] = (float) (i / 127.5 - 1);
    }
  }

  private PixelValues() {}

  static float of(byte pixel) {
    return VALUES[pixel & 0xff];
  }
}
