package org.ganymede.datasets.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Builds small IDX files for tests. */
final class IdxFiles {
  private IdxFiles() {}

  /** An IDX image file whose pixel {@code p} of image {@code i} is {@code (i + p) % 256}. */
  static byte[] images(int count, int rows, int columns) {
    ByteBuffer buffer = ByteBuffer.allocate(16 + count * rows * columns);
    buffer.putInt(IdxReader.IMAGES_MAGIC).putInt(count).putInt(rows).putInt(columns);
    for (int i = 0; i < count; i++) {
      for (int p = 0; p < rows * columns; p++) {
        buffer.put((byte) (i + p));
      }
    }
    return buffer.array();
  }

  static byte[] labels(int... labels) {
    ByteBuffer buffer = ByteBuffer.allocate(8 + labels.length);
    buffer.putInt(IdxReader.LABELS_MAGIC).putInt(labels.length);
    for (int label : labels) {
      buffer.put((byte) label);
    }
    return buffer.array();
  }

  static byte[] gzip(byte[] content) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
      out.write(content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static Path write(Path file, byte[] content) throws IOException {
    return Files.write(file, content);
  }
}
