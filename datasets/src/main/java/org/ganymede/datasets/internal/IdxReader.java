package org.ganymede.datasets.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads IDX files, the format of MNIST and Fashion-MNIST: a magic number that gives the element
 * type and the number of dimensions, the dimensions as big-endian ints, then the data.
 */
final class IdxReader {
  /** Unsigned bytes in three dimensions: count, rows, columns. */
  static final int IMAGES_MAGIC = 0x00000803;
  /** Unsigned bytes in one dimension: count. */
  static final int LABELS_MAGIC = 0x00000801;

  private IdxReader() {}

  static IdxImages readImages(Path file) throws IOException {
    return readImages(openFile(file), file.toString());
  }

  /** Reads images from {@code in}, which it closes; {@code source} names it in messages. */
  static IdxImages readImages(InputStream in, String source) throws IOException {
    try (IdxInput idx = IdxInput.open(in, source)) {
      idx.requireMagic(IMAGES_MAGIC, "IDX images: unsigned bytes in 3 dimensions, grayscale only");
      int count = idx.dimension("image count");
      int rows = idx.dimension("row count");
      int columns = idx.dimension("column count");
      String announced = count + " images of " + rows + "x" + columns;
      long length = (long) count * rows * columns;
      // Java arrays hold at most about 2^31 bytes.
      if (length > Integer.MAX_VALUE - 8) {
        throw idx.error("the header announces " + announced + ", more than this reader holds in memory");
      }
      return new IdxImages(source, count, rows, columns, idx.data((int) length, announced));
    }
  }

  static IdxLabels readLabels(Path file) throws IOException {
    return readLabels(openFile(file), file.toString());
  }

  /** Reads labels from {@code in}, which it closes; {@code source} names it in messages. */
  static IdxLabels readLabels(InputStream in, String source) throws IOException {
    try (IdxInput idx = IdxInput.open(in, source)) {
      idx.requireMagic(LABELS_MAGIC, "IDX labels: unsigned bytes in 1 dimension");
      int count = idx.dimension("label count");
      return new IdxLabels(source, idx.data(count, count + " labels"));
    }
  }

  /** Fails unless the two files describe the same samples. */
  static void requireSameCount(IdxImages images, IdxLabels labels) throws IOException {
    if (images.count() != labels.count()) {
      throw new IOException("image and label counts differ: " + images.source() + " holds "
          + images.count() + " images but " + labels.source() + " holds " + labels.count() + " labels");
    }
  }

  private static InputStream openFile(Path file) throws IOException {
    if (Files.isDirectory(file)) {
      throw new IOException(file + ": is a folder, not an IDX file");
    }
    try {
      return Files.newInputStream(file);
    } catch (NoSuchFileException e) {
      throw new IOException(file + ": no such file", e);
    } catch (AccessDeniedException e) {
      throw new IOException(file + ": not readable (access denied)", e);
    }
  }
}
