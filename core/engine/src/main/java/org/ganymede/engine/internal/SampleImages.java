package org.ganymede.engine.internal;

import java.awt.Color;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.image.AffineTransformOp;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.ganymede.api.DataSpec;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.SeriesRenderingOrder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** Pictures of samples: a grid or a strip for images, a scatter plot over the real data for 2-D points (JFreeChart's). */
final class SampleImages {
  private static final int PAD = 2;
  private static final int PLOT = 540;

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
   * Generated points (red) over real ones (grey) on axes with the data's units: the first two
   * coordinates of vectors; 1-D values are spread along the vertical axis by their order, so that
   * their density shows. Both axes span the real data's extent and a quarter more.
   */
  static BufferedImage scatter(float[][] generated, float[][] real) {
    boolean oneDimensional = real.length > 0 && real[0].length < 2;
    generated = asPoints(generated);
    real = asPoints(real);
    double extent = 1e-6;
    for (float[] p : real) {
      extent = Math.max(extent, Math.max(Math.abs(p[0]), oneDimensional ? 0 : Math.abs(p[1])));
    }
    extent *= 1.25;
    XYSeriesCollection points = new XYSeriesCollection();
    points.addSeries(series("real", real));
    points.addSeries(series("generated", generated));
    XYLineAndShapeRenderer dots = new XYLineAndShapeRenderer(false, true);
    Shape dot = new Ellipse2D.Double(-1.5, -1.5, 3, 3);
    dots.setSeriesShape(0, dot);
    dots.setSeriesShape(1, dot);
    dots.setSeriesPaint(0, new Color(180, 180, 180));
    dots.setSeriesPaint(1, new Color(200, 30, 30));
    NumberAxis x = new NumberAxis(oneDimensional ? "value" : "x₁");
    NumberAxis y = new NumberAxis(oneDimensional ? "order (spread)" : "x₂");
    x.setRange(-extent, extent);
    y.setRange(oneDimensional ? -1.25 : -extent, oneDimensional ? 1.25 : extent);
    if (!oneDimensional) { // the same ticks on both axes, so that a circle looks like one
      NumberTickUnit ticks = (NumberTickUnit) NumberAxis.createStandardTickUnits().getCeilingTickUnit(extent / 6);
      x.setTickUnit(ticks);
      y.setTickUnit(ticks);
    }
    XYPlot plot = new XYPlot(points, x, y, dots);
    plot.setSeriesRenderingOrder(SeriesRenderingOrder.FORWARD); // generated over real (JFreeChart draws in reverse)
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(new Color(225, 225, 225));
    plot.setRangeGridlinePaint(new Color(225, 225, 225));
    JFreeChart chart = new JFreeChart(null, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    return chart.createBufferedImage(PLOT, PLOT + 15, BufferedImage.TYPE_INT_RGB, null);
  }

  private static XYSeries series(String name, float[][] points) {
    XYSeries series = new XYSeries(name, false, true);
    for (float[] p : points) {
      series.add(p[0], p[1], false);
    }
    return series;
  }

  /**
   * A picture enlarged {@code factor} times by repeating its pixels, so that 32 px samples are
   * seen without blurring the pixels the model drew.
   */
  static BufferedImage enlarged(BufferedImage image, int factor) {
    if (factor == 1) {
      return image;
    }
    BufferedImage large = new BufferedImage(image.getWidth() * factor, image.getHeight() * factor, image.getType());
    new AffineTransformOp(AffineTransform.getScaleInstance(factor, factor), AffineTransformOp.TYPE_NEAREST_NEIGHBOR)
        .filter(image, large);
    return large;
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

  static int toByte(float v) {
    int b = Math.round((v + 1f) * 127.5f);
    return Math.max(0, Math.min(255, b));
  }
}
