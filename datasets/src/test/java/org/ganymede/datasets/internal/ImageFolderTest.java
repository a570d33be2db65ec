package org.ganymede.datasets.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderTest {
  @TempDir Path folder;

  @Test
  void readsTheImageFilesInNameOrderAndNothingElse() throws IOException {
    TestImages.write(folder.resolve("b.png"), TestImages.gray(5, 7, 20), "png");
    TestImages.write(folder.resolve("a.PNG"), TestImages.gray(9, 4, 10), "png");
    TestImages.write(folder.resolve("c.gif"), TestImages.grayPalette(8, 8, 30), "gif");
    TestImages.write(folder.resolve("d.Bmp"), TestImages.gray(3, 3, 40), "bmp");
    TestImages.write(folder.resolve("subfolder/e.png"), TestImages.gray(4, 4, 50), "png");
    Files.writeString(folder.resolve("notes.txt"), "not an image");
    Files.writeString(folder.resolve("._a.png"), "a macOS companion file, not an image");

    ImageFolder images = ImageFolder.load(folder, "path", 2);
    assertEquals(4, images.count());
    assertEquals(1, images.channels());
    SquareImages packed = images.pack(1);
    assertEquals(2, packed.side());
    assertArrayEquals(new byte[] {10, 10, 10, 10, 20, 20, 20, 20, 30, 30, 30, 30, 40, 40, 40, 40}, packed.pixels());
  }

  @Test
  void jpegFilesOfBothSpellingsAreRead() throws IOException {
    TestImages.write(folder.resolve("x.jpg"), TestImages.rgb(20, 30, 0x808080), "jpeg");
    TestImages.write(folder.resolve("y.JPEG"), TestImages.gray(30, 20, 128), "jpeg");
    ImageFolder images = ImageFolder.load(folder, "path", 8);
    assertEquals(2, images.count());
    assertEquals(3, images.channels());
  }

  @Test
  void oneColourImageMakesTheFolderColourAndGrayIsCopiedToEveryChannel() throws IOException {
    TestImages.write(folder.resolve("1-gray.png"), TestImages.gray(4, 4, 100), "png");
    TestImages.write(folder.resolve("2-red.png"), TestImages.rgb(4, 4, 0xff0000), "png");
    ImageFolder images = ImageFolder.load(folder, "path", 1);
    assertEquals(3, images.channels());
    assertArrayEquals(new byte[] {100, 100, 100, (byte) 255, 0, 0}, images.pack(3).pixels());
  }

  @Test
  void oneChannelTurnsColourIntoItsLuma() throws IOException {
    TestImages.write(folder.resolve("1-red.png"), TestImages.rgb(4, 4, 0xff0000), "png");
    TestImages.write(folder.resolve("2-green.png"), TestImages.rgb(4, 4, 0x00ff00), "png");
    TestImages.write(folder.resolve("3-white.png"), TestImages.rgb(4, 4, 0xffffff), "png");
    TestImages.write(folder.resolve("4-gray.png"), TestImages.gray(4, 4, 77), "png");
    // 0.299 * 255 = 76.2 and 0.587 * 255 = 149.7, as PIL's convert('L') rounds them.
    assertArrayEquals(new byte[] {76, (byte) 150, (byte) 255, 77}, ImageFolder.load(folder, "a", 1).pack(1).pixels());
  }

  @Test
  void aMissingFolderIsNamedWithWhatIsExpected() {
    Path missing = folder.resolve("horses");
    IdxReaderTest.assertProblem(missing, "no such folder; 'a' must name a folder of images (.png, .jpg, .jpeg, .bmp, .gif)",
        () -> ImageFolder.load(missing, "a", 8));
  }

  @Test
  void aFileWhereAFolderIsExpected() throws IOException {
    Path file = TestImages.write(folder.resolve("horse.png"), TestImages.gray(4, 4, 0), "png");
    IdxReaderTest.assertProblem(file, "a file, not a folder; 'path' must name a folder of images (.png, .jpg,",
        () -> ImageFolder.load(file, "path", 8));
  }

  @Test
  void aFolderWithoutImagesSaysWhatIsRead() throws IOException {
    TestImages.write(folder.resolve("nested/horse.png"), TestImages.gray(4, 4, 0), "png");
    Files.writeString(folder.resolve("horse.tiff"), "not read");
    IdxReaderTest.assertProblem(folder, "holds no images; read are the files directly in it whose names end in"
        + " .png, .jpg, .jpeg, .bmp, .gif (in any case), not subfolders", () -> ImageFolder.load(folder, "path", 8));
  }

  @Test
  void aCorruptImageAmongGoodOnesIsNamed() throws IOException {
    for (int i = 0; i < 20; i++) {
      TestImages.write(folder.resolve("good-" + i + ".png"), TestImages.gray(8, 8, i), "png");
    }
    Path bad = Files.write(folder.resolve("bad.jpg"), new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff, 1, 2, 3});
    IdxReaderTest.assertProblem(bad, "corrupt or unsupported image", () -> ImageFolder.load(folder, "path", 4));
  }

  @Test
  void anOddScaleKeepsTheCentreOfTheScaledImage() throws IOException {
    // 30x10 scaled to 9x3: the centre crop drops the 3 left and 3 right columns.
    java.awt.image.BufferedImage ramp = TestImages.gray(30, 10, 0);
    for (int y = 0; y < 10; y++) {
      for (int x = 0; x < 30; x++) {
        ramp.getRaster().setSample(x, y, 0, x < 10 ? 0 : x < 20 ? 128 : 255);
      }
    }
    TestImages.write(folder.resolve("ramp.png"), ramp, "png");
    byte[] pixels = ImageFolder.load(folder, "path", 3).pack(1).pixels();
    for (int row = 0; row < 3; row++) {
      assertEquals(128, pixels[3 * row + 1] & 0xff, "row " + row);
    }
  }
}
