package org.ganymede.datasets.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The images of one folder, each loaded as a {@link SquareImage}. Read are the files directly in
 * the folder whose names end in one of {@link #EXTENSIONS}, in any case; subfolders are not
 * searched, so that the usual layout of translation data (trainA, trainB, testA, testB side by
 * side) cannot mix domains, and hidden files (macOS's ._ companions) are skipped.
 */
final class ImageFolder {
  static final List<String> EXTENSIONS = List.of("png", "jpg", "jpeg", "bmp", "gif");

  private final Path folder;
  private final int side;
  private final List<SquareImage> images;

  /** @param images loaded at {@code side} x {@code side}, in the order the dataset reads them */
  ImageFolder(Path folder, int side, List<SquareImage> images) {
    this.folder = folder;
    this.side = side;
    this.images = images;
  }

  /**
   * Loads the images in parallel, in the order of their file names.
   *
   * @param parameter the parameter that named the folder, for messages
   * @param side the side of the squares the images are scaled and cropped to
   */
  static ImageFolder load(Path folder, String parameter, int side) throws IOException {
    List<Path> files = list(folder, parameter);
    try {
      List<SquareImage> images = files.parallelStream().map(file -> {
        try {
          return SquareImage.read(file, side);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }).toList();
      return new ImageFolder(folder, side, images);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  Path folder() {
    return folder;
  }

  int count() {
    return images.size();
  }

  /** 1 when every image is grayscale, 3 otherwise. */
  int channels() {
    return images.stream().allMatch(image -> image.channels() == 1) ? 1 : 3;
  }

  /**
   * All images with {@code channels} channels: a grayscale image becomes RGB with the gray in every
   * channel, a colour image becomes its luma (ITU-R BT.601, as PIL's convert('L')).
   */
  SquareImages pack(int channels) throws IOException {
    int sample = side * side * channels;
    if ((long) sample * images.size() > Integer.MAX_VALUE - 8) {
      throw new IOException(folder + ": " + images.size() + " images of " + side + "x" + side + "x" + channels
          + " take more than 2 GB, more than this dataset holds in memory; lower 'load_size'");
    }
    byte[] pixels = new byte[sample * images.size()];
    for (int i = 0; i < images.size(); i++) {
      convert(images.get(i), channels, pixels, i * sample);
    }
    return new SquareImages(images.size(), side, channels, pixels);
  }

  private static void convert(SquareImage image, int channels, byte[] target, int offset) {
    byte[] source = image.pixels();
    if (image.channels() == channels) {
      System.arraycopy(source, 0, target, offset, source.length);
    } else if (channels == 3) {
      for (int p = 0; p < source.length; p++) {
        target[offset + 3 * p] = source[p];
        target[offset + 3 * p + 1] = source[p];
        target[offset + 3 * p + 2] = source[p];
      }
    } else {
      for (int p = 0; p < source.length / 3; p++) {
        int luma = 19595 * (source[3 * p] & 0xff) + 38470 * (source[3 * p + 1] & 0xff)
            + 7471 * (source[3 * p + 2] & 0xff);
        target[offset + p] = (byte) ((luma + 0x8000) >> 16);
      }
    }
  }

  /** The image files of {@code folder} in name order; fails when it is missing or holds none. */
  static List<Path> list(Path folder, String parameter) throws IOException {
    String expected = "'" + parameter + "' must name a folder of images (" + extensions() + ")";
    if (!Files.exists(folder)) {
      throw new IOException(folder + ": no such folder; " + expected);
    }
    if (!Files.isDirectory(folder)) {
      throw new IOException(folder + ": a file, not a folder; " + expected);
    }
    List<Path> files;
    try (Stream<Path> entries = Files.list(folder)) {
      files = entries.filter(ImageFolder::isImageFile)
          .sorted(Comparator.comparing(file -> file.getFileName().toString()))
          .toList();
    }
    if (files.isEmpty()) {
      throw new IOException(folder + ": holds no images; read are the files directly in it whose names end in "
          + extensions() + " (in any case), not subfolders");
    }
    return files;
  }

  private static boolean isImageFile(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return !name.startsWith(".") && dot > 0 && Files.isRegularFile(file)
        && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  private static String extensions() {
    return EXTENSIONS.stream().map(e -> "." + e).collect(Collectors.joining(", "));
  }
}
