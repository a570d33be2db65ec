package org.ganymede.datasets.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SquareImageTest {
  @TempDir Path folder;

  @Test
  void shrinkingScalesTheShorterSideAndKeepsTheCentreColumns() throws IOException {
    // 40x20 in four stripes of 10 columns: red, green, blue, white. Scaled to 20x10, the centre
    // 10 columns are the green and the blue stripe, 5 columns each.
    BufferedImage stripes = new BufferedImage(40, 20, BufferedImage.TYPE_INT_RGB);
    int[] colours = {0xff0000, 0x00ff00, 0x0000ff, 0xffffff};
    for (int y = 0; y < 20; y++) {
      for (int x = 0; x < 40; x++) {
        stripes.setRGB(x, y, colours[x / 10]);
      }
    }
    SquareImage square = SquareImage.read(TestImages.write(folder.resolve("stripes.png"), stripes, "png"), 10);

    assertEquals(3, square.channels());
    assertEquals(10 * 10 * 3, square.pixels().length);
    for (int y = 0; y < 10; y++) {
      for (int x = 0; x < 10; x++) {
        int[] expected = x < 5 ? new int[] {0, 255, 0} : new int[] {0, 0, 255};
        assertArrayEquals(expected, rgb(square, 10, x, y), "pixel " + x + "," + y);
      }
    }
  }

  @Test
  void growingIsBilinearBetweenPixelCentres() throws IOException {
    // One row 0, 100, 200, 40 (twice) scaled to 8x4: the centre columns 2 to 5 lie at source
    // x = 0.75, 1.25, 1.75, 2.25.
    BufferedImage row = TestImages.gray(4, 2, 0);
    int[] values = {0, 100, 200, 40};
    for (int y = 0; y < 2; y++) {
      for (int x = 0; x < 4; x++) {
        row.getRaster().setSample(x, y, 0, values[x]);
      }
    }
    SquareImage square = SquareImage.read(TestImages.write(folder.resolve("row.png"), row, "png"), 4);

    assertEquals(1, square.channels());
    for (int y = 0; y < 4; y++) {
      assertArrayEquals(new int[] {75, 125, 175, 160}, unsigned(Arrays.copyOfRange(square.pixels(), 4 * y, 4 * y + 4)),
          "row " + y);
    }
  }

  @Test
  void portraitImagesKeepTheCentreRows() throws IOException {
    BufferedImage bands = new BufferedImage(10, 30, BufferedImage.TYPE_INT_RGB);
    int[] colours = {0xff0000, 0xffffff, 0x0000ff};
    for (int y = 0; y < 30; y++) {
      for (int x = 0; x < 10; x++) {
        bands.setRGB(x, y, colours[y / 10]);
      }
    }
    SquareImage square = SquareImage.read(TestImages.write(folder.resolve("bands.bmp"), bands, "bmp"), 10);
    byte[] white = new byte[300];
    Arrays.fill(white, (byte) 255);
    assertArrayEquals(white, square.pixels());
  }

  @Test
  void grayscaleFilesGiveOneChannelWithTheirValues() throws IOException {
    assertGray(TestImages.write(folder.resolve("gray.png"), TestImages.gray(12, 9, 100), "png"), 100, 0);
    assertGray(TestImages.write(folder.resolve("gray.jpg"), TestImages.gray(12, 9, 100), "jpeg"), 100, 2);
    assertGray(TestImages.write(folder.resolve("palette.gif"), TestImages.grayPalette(12, 9, 100), "gif"), 100, 0);
    assertGray(TestImages.write(folder.resolve("gray.bmp"), TestImages.gray(12, 9, 100), "bmp"), 100, 0);

    BufferedImage deep = new BufferedImage(6, 6, BufferedImage.TYPE_USHORT_GRAY);
    for (int y = 0; y < 6; y++) {
      for (int x = 0; x < 6; x++) {
        deep.getRaster().setSample(x, y, 0, 128 * 257);
      }
    }
    assertGray(TestImages.write(folder.resolve("16-bit.png"), deep, "png"), 128, 0);
  }

  @Test
  void colourFilesGiveThreeChannelsRgb() throws IOException {
    int colour = 0xc8321e;
    for (String format : new String[] {"png", "bmp", "gif", "jpeg"}) {
      Path file = TestImages.write(folder.resolve("colour." + format), TestImages.rgb(16, 16, colour), format);
      SquareImage square = SquareImage.read(file, 8);
      assertEquals(3, square.channels(), format);
      int[] pixel = rgb(square, 8, 3, 4);
      int tolerance = format.equals("jpeg") ? 6 : 0;
      assertEquals(200, pixel[0], tolerance, format);
      assertEquals(50, pixel[1], tolerance, format);
      assertEquals(30, pixel[2], tolerance, format);
    }
  }

  @Test
  void alphaIsDropped() throws IOException {
    BufferedImage translucent = new BufferedImage(4, 4, BufferedImage.TYPE_INT_ARGB);
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 4; x++) {
        translucent.setRGB(x, y, x < 2 ? 0x00ff8000 : 0x800000ff);
      }
    }
    SquareImage square = SquareImage.read(TestImages.write(folder.resolve("alpha.png"), translucent, "png"), 4);
    assertArrayEquals(new int[] {255, 128, 0}, rgb(square, 4, 0, 0));
    assertArrayEquals(new int[] {0, 0, 255}, rgb(square, 4, 3, 3));
  }

  @Test
  void aFileOfNoImageFormatIsNamed() throws IOException {
    Path file = Files.writeString(folder.resolve("notes.png"), "these are notes, not a picture");
    IdxReaderTest.assertProblem(file, "not an image that can be read: its content is none of PNG, JPEG, BMP or GIF",
        () -> SquareImage.read(file, 8));
  }

  @Test
  void aCorruptImageIsNamedWithTheReason() throws IOException {
    Path good = TestImages.write(folder.resolve("good.png"), TestImages.rgb(32, 32, 0x123456), "png");
    byte[] bytes = Files.readAllBytes(good);
    Path truncated = Files.write(folder.resolve("truncated.png"), Arrays.copyOf(bytes, bytes.length / 2));
    IOException e = assertThrows(IOException.class, () -> SquareImage.read(truncated, 8));
    assertTrue(e.getMessage().startsWith(truncated + ": corrupt or unsupported image ("), e.getMessage());
  }

  @Test
  void anUnreadableFileIsNamed() throws IOException {
    Path file = TestImages.write(folder.resolve("locked.png"), TestImages.gray(4, 4, 0), "png");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
    assumeFalse(Files.isReadable(file), "this user reads any file");
    IdxReaderTest.assertProblem(file, "not readable (access denied)", () -> SquareImage.read(file, 4));
  }

  private static void assertGray(Path file, int value, int tolerance) throws IOException {
    SquareImage square = SquareImage.read(file, 6);
    assertEquals(1, square.channels(), file.toString());
    assertEquals(36, square.pixels().length);
    for (int pixel : unsigned(square.pixels())) {
      assertEquals(value, pixel, tolerance, file.toString());
    }
  }

  private static int[] rgb(SquareImage square, int side, int x, int y) {
    int at = 3 * (y * side + x);
    return unsigned(Arrays.copyOfRange(square.pixels(), at, at + 3));
  }

  private static int[] unsigned(byte[] bytes) {
    int[] values = new int[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      values[i] = bytes[i] & 0xff;
    }
    return values;
  }
}
