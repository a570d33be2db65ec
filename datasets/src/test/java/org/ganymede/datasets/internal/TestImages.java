package org.ganymede.datasets.internal;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Writes small image files for tests through ImageIO. */
final class TestImages {
  private TestImages() {}

  /** An 8-bit grayscale image of one value. */
  static BufferedImage gray(int width, int height, int value) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.getRaster().setSample(x, y, 0, value);
      }
    }
    return image;
  }

  /** An RGB image of one colour, {@code 0xRRGGBB}. */
  static BufferedImage rgb(int width, int height, int colour) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, colour);
      }
    }
    return image;
  }

  /** A grayscale image in which every row and every column differs: {@code (7 x + 3 y) % 256}. */
  static BufferedImage pattern(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.getRaster().setSample(x, y, 0, (7 * x + 3 * y) % 256);
      }
    }
    return image;
  }

  /** A palette image whose 256 colours are the grays, all pixels {@code value}. */
  static BufferedImage grayPalette(int width, int height, int value) {
    byte[] grays = new byte[256];
    for (int i = 0; i < grays.length; i++) {
      grays[i] = (byte) i;
    }
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_INDEXED,
        new IndexColorModel(8, 256, grays, grays, grays));
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.getRaster().setSample(x, y, 0, value);
      }
    }
    return image;
  }

  /** Writes {@code image} in {@code format} (png, jpeg, bmp, gif) to {@code file}, creating its folder. */
  static Path write(Path file, BufferedImage image, String format) throws IOException {
    Files.createDirectories(file.getParent());
    if (!ImageIO.write(image, format, file.toFile())) {
      throw new IOException("ImageIO has no " + format + " writer for this image");
    }
    return file;
  }

  /** The byte value a float of a sample came from. */
  static int value(float sample) {
    return Math.round((sample + 1) * 127.5f);
  }
}
