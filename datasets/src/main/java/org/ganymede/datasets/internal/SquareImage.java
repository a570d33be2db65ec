package org.ganymede.datasets.internal;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * One image file, decoded, scaled so that its shorter side is {@code side} and centre-cropped to
 * {@code side} x {@code side}: its pixels row by row, in the channels the file has (1 for
 * grayscale, 3 for colour, RGB). Alpha is dropped, as the CycleGAN reference's convert('RGB') does.
 */
record SquareImage(byte[] pixels, int channels) {

  static SquareImage read(Path file, int side) throws IOException {
    return of(decode(file), side);
  }

  /** {@code decoded}, an image as {@link #decode} returns it or a part of one, scaled and cropped. */
  static SquareImage of(BufferedImage decoded, int side) {
    if (isGrayscale(decoded.getColorModel())) {
      BufferedImage square = scaleAndCrop(grayBytes(decoded), side, BufferedImage.TYPE_BYTE_GRAY);
      return new SquareImage(((DataBufferByte) square.getRaster().getDataBuffer()).getData(), 1);
    }
    BufferedImage square = scaleAndCrop(opaqueSrgb(decoded), side, BufferedImage.TYPE_INT_RGB);
    int[] rgb = ((DataBufferInt) square.getRaster().getDataBuffer()).getData();
    byte[] pixels = new byte[3 * rgb.length];
    for (int i = 0; i < rgb.length; i++) {
      pixels[3 * i] = (byte) (rgb[i] >> 16);
      pixels[3 * i + 1] = (byte) (rgb[i] >> 8);
      pixels[3 * i + 2] = (byte) rgb[i];
    }
    return new SquareImage(pixels, 3);
  }

  /** The image {@code file} holds, at its own size. */
  static BufferedImage decode(Path file) throws IOException {
    if (!Files.isReadable(file)) {
      throw new IOException(file + ": not readable (access denied)");
    }
    BufferedImage image;
    try {
      image = ImageIO.read(file.toFile());
    } catch (IOException | RuntimeException e) {
      // Some decoders fail on corrupt data with runtime exceptions rather than IOExceptions.
      throw new IOException(file + ": corrupt or unsupported image (" + reason(e) + ")", e);
    }
    if (image == null) {
      throw new IOException(file + ": not an image that can be read: its content is none of PNG, JPEG,"
          + " BMP or GIF");
    }
    return image;
  }

  /** The messages of {@code e} and its causes: a decoder's own message is often generic. */
  private static String reason(Throwable e) {
    List<String> messages = new ArrayList<>();
    for (Throwable t = e; t != null; t = t.getCause()) {
      String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
      if (!messages.contains(message)) {
        messages.add(message);
      }
    }
    return String.join(": ", messages);
  }

  /** Gray colour spaces, and palettes (GIF, PNG) whose every colour is a gray. */
  private static boolean isGrayscale(ColorModel model) {
    if (model instanceof IndexColorModel palette) {
      for (int i = 0; i < palette.getMapSize(); i++) {
        if (palette.getRed(i) != palette.getGreen(i) || palette.getGreen(i) != palette.getBlue(i)) {
          return false;
        }
      }
      return true;
    }
    return model.getColorSpace().getType() == ColorSpace.TYPE_GRAY;
  }

  /**
   * A grayscale image as 8-bit gray. The values are copied, not converted: Java2D takes its gray
   * colour space as linear and would brighten them on the way to sRGB.
   */
  private static BufferedImage grayBytes(BufferedImage image) {
    if (image.getType() == BufferedImage.TYPE_BYTE_GRAY) {
      return image;
    }
    int width = image.getWidth();
    int height = image.getHeight();
    BufferedImage gray = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    byte[] target = ((DataBufferByte) gray.getRaster().getDataBuffer()).getData();
    if (image.getColorModel() instanceof IndexColorModel) {
      int[] rgb = image.getRGB(0, 0, width, height, null, 0, width);
      for (int i = 0; i < rgb.length; i++) {
        target[i] = (byte) rgb[i];
      }
      return gray;
    }
    Raster raster = image.getRaster();
    double max = (1 << image.getColorModel().getComponentSize(0)) - 1;
    int[] row = new int[width];
    for (int y = 0; y < height; y++) {
      raster.getSamples(0, y, width, 1, 0, row);
      for (int x = 0; x < width; x++) {
        target[y * width + x] = (byte) Math.round(row[x] * 255 / max);
      }
    }
    return gray;
  }

  /** A colour image as Java2D scales it without colour conversion: opaque sRGB, alpha dropped. */
  private static BufferedImage opaqueSrgb(BufferedImage image) {
    if (image.getTransparency() == Transparency.OPAQUE && image.getColorModel().getColorSpace().isCS_sRGB()) {
      return image;
    }
    int width = image.getWidth();
    int height = image.getHeight();
    BufferedImage rgb = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    rgb.setRGB(0, 0, width, height, image.getRGB(0, 0, width, height, null, 0, width), 0, width);
    return rgb;
  }

  /**
   * Scales {@code image} bilinearly so that its shorter side is {@code side} and keeps the centre
   * square. Shrinking by more than half first halves the image as often as it can: one bilinear
   * step would skip pixels and alias.
   */
  private static BufferedImage scaleAndCrop(BufferedImage image, int side, int type) {
    while (Math.min(image.getWidth(), image.getHeight()) >= 2 * side) {
      BufferedImage half = new BufferedImage(image.getWidth() / 2, image.getHeight() / 2, type);
      draw(image, half, 0, 0, half.getWidth(), half.getHeight());
      image = half;
    }
    double scale = (double) side / Math.min(image.getWidth(), image.getHeight());
    int width = Math.max(side, (int) Math.round(image.getWidth() * scale));
    int height = Math.max(side, (int) Math.round(image.getHeight() * scale));
    BufferedImage square = new BufferedImage(side, side, type);
    draw(image, square, -(width - side) / 2, -(height - side) / 2, width, height);
    return square;
  }

  private static void draw(BufferedImage source, BufferedImage target, int x, int y, int width, int height) {
    Graphics2D graphics = target.createGraphics();
    try {
      graphics.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      graphics.drawImage(source, x, y, width, height, null);
    } finally {
      graphics.dispose();
    }
  }
}
