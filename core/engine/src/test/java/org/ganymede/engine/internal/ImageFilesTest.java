package org.ganymede.engine.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.ganymede.api.DataSpec;
import org.ganymede.api.ParameterException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Images handed to the command line are listed by name, scaled, centre-cropped and given the model's channels. */
class ImageFilesTest {
  @TempDir Path folder;

  @Test
  void wideImageIsCentreCroppedToTheSampleWithItsChannels() throws Exception {
    // 8x4: left quarter black, middle half white, right quarter black; a 4x4 sample is the middle.
    BufferedImage wide = new BufferedImage(8, 4, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 4; y++) {
      for (int x = 2; x < 6; x++) {
        wide.setRGB(x, y, 0xffffff);
      }
    }
    Path file = folder.resolve("wide.png");
    ImageIO.write(wide, "png", file.toFile());

    float[] grey = ImageFiles.read(file, DataSpec.image(4, 4, 1, 0));
    float[] white = new float[16];
    java.util.Arrays.fill(white, 1f);
    assertArrayEquals(white, grey, 1e-6f);
    float[] colour = ImageFiles.read(file, DataSpec.image(4, 4, 3, 0));
    assertEquals(48, colour.length);
    assertEquals(1f, colour[0], 1e-6f);
  }

  @Test
  void folderListsItsImagesByNameAndBadInputIsExplained() throws Exception {
    BufferedImage pixel = new BufferedImage(2, 2, BufferedImage.TYPE_BYTE_GRAY);
    ImageIO.write(pixel, "png", folder.resolve("b.png").toFile());
    ImageIO.write(pixel, "jpg", folder.resolve("a.JPG").toFile());
    Files.writeString(folder.resolve("notes.txt"), "not an image");
    assertEquals(List.of(folder.resolve("a.JPG"), folder.resolve("b.png")), ImageFiles.list(folder));
    assertEquals("a", ImageFiles.baseName(folder.resolve("a.JPG")));

    Path empty = Files.createDirectory(folder.resolve("empty"));
    assertTrue(assertThrows(ParameterException.class, () -> ImageFiles.list(empty)).getMessage()
        .contains("holds no image files; allowed: PNG, JPEG"));
    assertTrue(assertThrows(ParameterException.class, () -> ImageFiles.list(folder.resolve("missing")))
        .getMessage().contains("does not exist"));
    assertTrue(assertThrows(ParameterException.class, () -> ImageFiles.list(folder.resolve("notes.txt")))
        .getMessage().contains("is not an image file"));
    Path broken = folder.resolve("broken.png");
    Files.writeString(broken, "no PNG inside");
    String message = assertThrows(ParameterException.class,
        () -> ImageFiles.read(broken, DataSpec.image(4, 4, 1, 0))).getMessage();
    assertTrue(message.startsWith(broken.toString()), message);
  }
}
