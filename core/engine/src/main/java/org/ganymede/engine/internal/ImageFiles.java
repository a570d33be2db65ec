package org.ganymede.engine.internal;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.ganymede.api.DataSpec;
import org.ganymede.api.ParameterException;

/** Image files a person hands the command line (to translate, say), read as samples of a model's shape. */
final class ImageFiles {
  static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif");

  private ImageFiles() {}

  /** The image file itself, or the image files in a folder (not its subfolders) by name. */
  static List<Path> list(Path input) throws IOException {
    if (Files.isRegularFile(input)) {
      if (!isImage(input)) {
        throw new ParameterException(input + " is not an image file; allowed: " + allowed());
      }
      return List.of(input);
    }
    if (!Files.isDirectory(input)) {
      throw new ParameterException(input + " does not exist; give an image file or a folder of images");
    }
    try (Stream<Path> entries = Files.list(input)) {
      List<Path> images = entries.filter(p -> Files.isRegularFile(p) && isImage(p)).sorted().toList();
      if (images.isEmpty()) {
        throw new ParameterException("folder " + input + " holds no image files; allowed: " + allowed());
      }
      return images;
    }
  }

  /**
   * The shape of a folder's first image (by name): its shorter side as a square, grey when it is
   * grey, else three channels; what a folder of one's own samples is read at.
   */
  static DataSpec shapeOfFirst(Path folder, String option) throws IOException {
    Path first = list(folder).get(0);
    BufferedImage image = javax.imageio.ImageIO.read(first.toFile());
    if (image == null) {
      throw new ParameterException(option + ": " + first + " cannot be read as an image");
    }
    int side = Math.min(image.getWidth(), image.getHeight());
    boolean grey = image.getColorModel().getNumColorComponents() == 1;
    return DataSpec.image(side, side, grey ? 1 : 3, 0);
  }

  /**
   * The image scaled so that its shorter side fits the sample, centre-cropped to the sample's
   * height and width, as values in [-1, 1] with the sample's channels (grey from the mean of red,
   * green and blue, colour from grey by repeating it).
   */
  static float[] read(Path file, DataSpec spec) throws IOException {
    BufferedImage canvas = fitted(file, spec.height(), spec.width());
    int c = spec.channels();
    float[] sample = new float[spec.sampleSize()];
    for (int p = 0; p < spec.height() * spec.width(); p++) {
      setPixel(sample, p * c, c, canvas.getRGB(p % spec.width(), p / spec.width()));
    }
    return sample;
  }

  /**
   * The condition of an inpainting model: the image read as {@link #read} reads it for samples of
   * {@code target}, its transparent pixels (alpha below one half) missing: the target's channels,
   * 0 where missing, then a channel that is 1 where a pixel is known and 0 where it is missing.
   *
   * @throws ParameterException when no pixel is transparent: there is nothing to fill
   */
  static float[] readMasked(Path file, DataSpec target) throws IOException {
    BufferedImage canvas = fitted(file, target.height(), target.width());
    int c = target.channels();
    float[] condition = new float[target.height() * target.width() * (c + 1)];
    int missing = 0;
    for (int p = 0; p < target.height() * target.width(); p++) {
      int argb = canvas.getRGB(p % target.width(), p / target.width());
      if ((argb >>> 24) >= 128) {
        setPixel(condition, p * (c + 1), c, argb);
        condition[p * (c + 1) + c] = 1;
      } else {
        missing++;
      }
    }
    if (missing == 0) {
      throw new ParameterException(file + " has no transparent pixels: an inpainting run fills the transparent pixels"
          + " of its inputs (alpha below one half); give PNG images with the region to fill transparent");
    }
    return condition;
  }

  /** The image scaled to cover h x w and centre-cropped to it, transparency kept. */
  private static BufferedImage fitted(Path file, int h, int w) throws IOException {
    BufferedImage image;
    try {
      image = ImageIO.read(file.toFile());
    } catch (IOException e) {
      throw new ParameterException(file + " cannot be read as an image: " + e.getMessage());
    }
    if (image == null) {
      throw new ParameterException(file + " is not an image this reader knows; allowed: " + allowed());
    }
    double scale = Math.max((double) h / image.getHeight(), (double) w / image.getWidth());
    int scaledW = Math.max(w, (int) Math.round(image.getWidth() * scale));
    int scaledH = Math.max(h, (int) Math.round(image.getHeight() * scale));
    BufferedImage canvas = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
    Graphics2D g = canvas.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
    g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
    g.drawImage(image, -(scaledW - w) / 2, -(scaledH - h) / 2, scaledW, scaledH, null);
    g.dispose();
    return canvas;
  }

  /** One pixel's colour as c values in [-1, 1] from index i: grey as the mean of red, green and blue. */
  private static void setPixel(float[] sample, int i, int c, int rgb) {
    int r = (rgb >> 16) & 0xff;
    int gr = (rgb >> 8) & 0xff;
    int b = rgb & 0xff;
    if (c == 1) {
      sample[i] = (float) ((r + gr + b) / 3.0 / 127.5 - 1);
    } else {
      sample[i] = (float) (r / 127.5 - 1);
      sample[i + 1] = (float) (gr / 127.5 - 1);
      sample[i + 2] = (float) (b / 127.5 - 1);
    }
  }

  /** The file's name without its extension. */
  static String baseName(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }

  private static boolean isImage(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  private static String allowed() {
    return "PNG, JPEG, BMP or GIF files (" + String.join(", ", EXTENSIONS.stream().sorted().toList()) + ")";
  }
}
