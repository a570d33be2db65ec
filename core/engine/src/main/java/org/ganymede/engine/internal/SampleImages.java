package org.ganymede.engine.internal;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.ganymede.api.DataSpec;

/** Pictures of samples: a grid or a strip for images, a scatter plot over the real data for 2-D points. */
final class SampleImages {
  private static final int PAD = 2;
  private static final int PLOT = 512;

  private SampleImages() {}

  /** Images in [-1, 1] in rows of {@code columns} (a strip when that is all of them), with a thin border. */
  static BufferedImage grid(float[][] samples, DataSpec spec, int columns) {
    int h = spec.height();
    int w = spec.width();
    int c = spec.channels();
    int rows = (samples.length + columns - 1) / columns;
    BufferedImage image = new BufferedImage(
        columns * (w + PAD) + PAD, rows * (h + PAD) + PAD, c == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
    for (int n = 0; n < samples.length; n++) {
      draw(image, samples[n], spec, PAD + (n % columns) * (w + PAD), PAD + (n / columns) * (h + PAD));
    }
    return image;
  }

  /**
   * Columns of images in [-1, 1], each column with its own sample shape (a translation's source
   * and target may differ in channels): grey when every column is grey, else RGB.
   */
  static BufferedImage table(List<float[][]> columns, List<DataSpec> specs) {
    int h = specs.stream().mapToInt(DataSpec::height).max().orElseThrow();
    int w = specs.stream().mapToInt(DataSpec::width).max().orElseThrow();
    int rows = columns.stream().mapToInt(c -> c.length).max().orElseThrow();
    boolean grey = specs.stream().allMatch(s -> s.channels() == 1);
    BufferedImage image = new BufferedImage(columns.size() * (w + PAD) + PAD, rows * (h + PAD) + PAD,
        grey ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
    for (int column = 0; column < columns.size(); column++) {
      DataSpec spec = specs.get(column);
      for (int row = 0; row < columns.get(column).length; row++) {
        draw(image, columns.get(column)[row], spec, PAD + column * (w + PAD), PAD + row * (h + PAD));
      }
    }
    return image;
  }

  /** One image in [-1, 1], without a border. */
  static BufferedImage image(float[] sample, DataSpec spec) {
    BufferedImage image = new BufferedImage(spec.width(), spec.height(),
        spec.channels() == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
    draw(image, sample, spec, 0, 0);
    return image;
  }

  /** One sample at (x0, y0); a grey sample in a colour picture as equal RGB channels. */
  private static void draw(BufferedImage image, float[] sample, DataSpec spec, int x0, int y0) {
    int c = spec.channels();
    boolean greyPicture = image.getType() == BufferedImage.TYPE_BYTE_GRAY;
    for (int y = 0; y < spec.height(); y++) {
      for (int x = 0; x < spec.width(); x++) {
        int base = (y * spec.width() + x) * c;
        if (greyPicture) {
          image.getRaster().setSample(x0 + x, y0 + y, 0, toByte(sample[base]));
        } else {
          int r = toByte(sample[base]);
          int g = c == 1 ? r : toByte(sample[base + 1]);
          int b = c == 1 ? r : toByte(sample[base + 2]);
          image.setRGB(x0 + x, y0 + y, (r << 16) | (g << 8) | b);
        }
      }
    }
  }

  /**
   * Generated points (red) over real ones (grey): the first two coordinates of vectors; 1-D values
   * are spread along the vertical axis by their order, so that their density shows.
   */
  static BufferedImage scatter(float[][] generated, float[][] real) {
    generated = asPoints(generated);
    real = asPoints(real);
    double extent = 1e-6;
    for (float[] p : real) {
      extent = Math.max(extent, Math.max(Math.abs(p[0]), Math.abs(p[1])));
    }
    extent *= 1.25;
    BufferedImage image = new BufferedImage(PLOT, PLOT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, PLOT, PLOT);
    g.setColor(new Color(180, 180, 180));
    for (float[] p : real) {
      dot(g, p, extent, 3);
    }
    g.setColor(new Color(200, 30, 30));
    for (float[] p : generated) {
      dot(g, p, extent, 3);
    }
    g.dispose();
    return image;
  }

  private static float[][] asPoints(float[][] vectors) {
    if (vectors.length == 0 || vectors[0].length >= 2) {
      return vectors;
    }
    float[][] points = new float[vectors.length][];
    for (int i = 0; i < vectors.length; i++) {
      points[i] = new float[] {vectors[i][0], vectors.length == 1 ? 0 : 2f * i / (vectors.length - 1) - 1};
    }
    return points;
  }

  /** Writes a PNG next to its final name and renames it into place. */
  static void writePng(BufferedImage image, Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
    if (!ImageIO.write(image, "png", tmp.toFile())) {
      throw new IOException("no PNG writer available");
    }
    RunDirectory.move(tmp, file);
  }

  /** Image pixels as bytes, NHWC with N = 1, for TensorBoard. */
  static byte[] pixels(BufferedImage image, int channels) {
    int w = image.getWidth();
    int h = image.getHeight();
    byte[] out = new byte[w * h * channels];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int rgb = image.getRGB(x, y);
        int i = (y * w + x) * channels;
        if (channels == 1) {
          out[i] = (byte) image.getRaster().getSample(x, y, 0);
        } else {
          out[i] = (byte) (rgb >> 16);
          out[i + 1] = (byte) (rgb >> 8);
          out[i + 2] = (byte) rgb;
        }
      }
    }
    return out;
  }

  private static void dot(Graphics2D g, float[] p, double extent, int size) {
    int x = (int) Math.round((p[0] / extent + 1) / 2 * PLOT);
    int y = (int) Math.round((1 - p[1] / extent) / 2 * PLOT);
    g.fillOval(x - size / 2, y - size / 2, size, size);
  }

  static int toByte(float v) {
    int b = Math.round((v + 1f) * 127.5f);
    return Math.max(0, Math.min(255, b));
  }
}
