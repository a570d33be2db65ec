package org.ganymede.datasets.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
  @TempDir Path folder;

  @Test
  void readsGzipAndPlainFilesAlike() throws IOException {
    byte[] content = IdxFiles.images(3, 4, 5);
    IdxImages plain = IdxReader.readImages(IdxFiles.write(folder.resolve("images.idx"), content));
    IdxImages gzip = IdxReader.readImages(IdxFiles.write(folder.resolve("images.idx.gz"), IdxFiles.gzip(content)));

    for (IdxImages images : new IdxImages[] {plain, gzip}) {
      assertEquals(3, images.count());
      assertEquals(4, images.rows());
      assertEquals(5, images.columns());
      assertArrayEquals(Arrays.copyOfRange(content, 16, content.length), images.pixels());
    }
    IdxLabels labels = IdxReader.readLabels(IdxFiles.write(folder.resolve("labels.gz"), IdxFiles.gzip(IdxFiles.labels(7, 0, 200))));
    assertEquals(3, labels.count());
    assertEquals(200, labels.label(2));
  }

  @Test
  void missingFile() {
    Path missing = folder.resolve("absent-images-idx3-ubyte.gz");
    assertProblem(missing, "no such file", () -> IdxReader.readImages(missing));
  }

  @Test
  void truncatedPlainFile() throws IOException {
    byte[] content = IdxFiles.images(3, 4, 5);
    Path file = IdxFiles.write(folder.resolve("short.idx"), Arrays.copyOf(content, content.length - 7));
    assertProblem(file, "truncated: the header announces 3 images of 4x5 (60 bytes) but the data end after 53 bytes",
        () -> IdxReader.readImages(file));
  }

  @Test
  void truncatedGzipFile() throws IOException {
    byte[] gzip = IdxFiles.gzip(IdxFiles.images(50, 28, 28));
    Path file = IdxFiles.write(folder.resolve("short.gz"), Arrays.copyOf(gzip, gzip.length / 2));
    assertProblem(file, "truncated", () -> IdxReader.readImages(file));
  }

  @Test
  void fileEndingInsideTheHeader() throws IOException {
    Path file = IdxFiles.write(folder.resolve("header.idx"), Arrays.copyOf(IdxFiles.images(1, 2, 2), 10));
    assertProblem(file, "truncated: the file ends inside the header, at the row count", () -> IdxReader.readImages(file));
  }

  @Test
  void moreDataThanTheHeaderAnnounces() throws IOException {
    byte[] content = IdxFiles.labels(1, 2, 3);
    Path file = IdxFiles.write(folder.resolve("long.idx"), Arrays.copyOf(content, content.length + 1));
    assertProblem(file, "more bytes than the header announces", () -> IdxReader.readLabels(file));
  }

  @Test
  void wrongMagicNumber() throws IOException {
    Path labels = IdxFiles.write(folder.resolve("labels.gz"), IdxFiles.gzip(IdxFiles.labels(1, 2)));
    assertProblem(labels, "wrong magic number 0x00000801; expected 0x00000803", () -> IdxReader.readImages(labels));
  }

  @Test
  void plainFileNamedGz() throws IOException {
    Path file = IdxFiles.write(folder.resolve("images.gz"), IdxFiles.images(2, 3, 3));
    assertProblem(file, "not a gzip file", () -> IdxReader.readImages(file));
  }

  @Test
  void corruptGzipData() throws IOException {
    byte[] gzip = IdxFiles.gzip(IdxFiles.images(20, 28, 28));
    Arrays.fill(gzip, 12, gzip.length - 8, (byte) 0xff);
    Path file = IdxFiles.write(folder.resolve("corrupt.gz"), gzip);
    assertProblem(file, "corrupt gzip data", () -> IdxReader.readImages(file));
  }

  @Test
  void zeroImages() throws IOException {
    Path file = IdxFiles.write(folder.resolve("empty.idx"), IdxFiles.images(0, 2, 2));
    assertProblem(file, "the header gives 0 as the image count", () -> IdxReader.readImages(file));
  }

  @Test
  void imageAndLabelCountsMustMatch() throws IOException {
    Path imagesFile = IdxFiles.write(folder.resolve("images.idx"), IdxFiles.images(3, 2, 2));
    Path labelsFile = IdxFiles.write(folder.resolve("labels.idx"), IdxFiles.labels(1, 2));
    IdxImages images = IdxReader.readImages(imagesFile);
    IdxLabels labels = IdxReader.readLabels(labelsFile);

    IOException e = assertThrows(IOException.class, () -> IdxReader.requireSameCount(images, labels));
    assertEquals("image and label counts differ: " + imagesFile + " holds 3 images but " + labelsFile
        + " holds 2 labels", e.getMessage());
  }

  /** Asserts that {@code read} fails with a message that starts with the file and names the problem. */
  static void assertProblem(Path file, String problem, Executable read) {
    IOException e = assertThrows(IOException.class, read);
    assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
    assertTrue(e.getMessage().contains(problem), e.getMessage());
  }
}
