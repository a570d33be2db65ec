package org.ganymede.datasets.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import org.ganymede.api.DataSpec;
import org.ganymede.api.Dataset;
import org.ganymede.api.ParameterException;
import org.ganymede.api.Parameters;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderProviderTest {
  private final ImageFolderProvider provider = new ImageFolderProvider();
  @TempDir Path folder;

  @BeforeEach
  void images() throws IOException {
    TestImages.write(folder.resolve("dusk.jpg"), TestImages.rgb(300, 200, 0x204060), "jpeg");
    TestImages.write(folder.resolve("noon.png"), TestImages.gray(90, 120, 200), "png");
  }

  @Test
  void defaultsAreRandom64CropsOfImagesLoadedAt72WithFlips() throws IOException {
    Dataset dataset = open(Map.of("path", folder.toString()));
    assertEquals(DataSpec.image(64, 64, 3, 0), dataset.spec());
    assertEquals(2, dataset.size());
    assertEquals(-1, dataset.label(0));
    assertEquals("image folder " + folder + ": 2 images loaded at 72x72, random 64x64 crops and horizontal flips,"
        + " 64x64x3", dataset.describe());
    assertTrue(dataset.secondDomain().isEmpty());
  }

  @Test
  void defaultLoadSizeHasTheReferenceMargin() {
    assertEquals(286, ImageFolderOptions.defaultLoadSize(256));
    assertEquals(143, ImageFolderOptions.defaultLoadSize(128));
    assertEquals(72, ImageFolderOptions.defaultLoadSize(64));
    assertEquals(1, ImageFolderOptions.defaultLoadSize(1));
  }

  @Test
  void grayImagesGiveOneChannelUnlessThreeAreAsked() throws IOException {
    Path gray = folder.resolve("gray");
    TestImages.write(gray.resolve("one.png"), TestImages.gray(40, 40, 0), "png");
    TestImages.write(gray.resolve("two.jpg"), TestImages.gray(50, 30, 255), "jpeg");
    assertEquals(DataSpec.image(16, 16, 1, 0), open(Map.of("path", gray.toString(), "size", 16)).spec());
    Dataset colour = open(Map.of("path", gray.toString(), "size", 16, "channels", 3));
    assertEquals(DataSpec.image(16, 16, 3, 0), colour.spec());
    float[] sample = new float[16 * 16 * 3];
    colour.read(0, sample, 0);
    assertEquals(-1f, sample[100]);
  }

  @Test
  void oneChannelTurnsColourGray() throws IOException {
    Dataset dataset = open(Map.of("path", folder.toString(), "size", 8, "load_size", 8, "channels", 1));
    assertEquals(DataSpec.image(8, 8, 1, 0), dataset.spec());
    float[] sample = new float[64];
    dataset.read(1, sample, 0);
    assertEquals(200, TestImages.value(sample[27]));
  }

  @Test
  void theSeedDecidesTheDrawsSoAResumedRunSeesTheSame() throws IOException {
    Path patterned = folder.resolve("patterned");
    TestImages.write(patterned.resolve("pattern.png"), TestImages.pattern(40, 40), "png");
    Map<String, Object> values = Map.of("path", patterned.toString(), "size", 32);
    Dataset first = provider.open(parameters(values), 7);
    Dataset resumed = provider.open(parameters(values), 7);
    Dataset otherSeed = provider.open(parameters(values), 8);
    float[] a = new float[32 * 32];
    float[] b = new float[a.length];
    int differentSeedDiffers = 0;
    for (long draw = 1000; draw < 1020; draw++) {
      first.read(0, draw, a, 0);
      resumed.read(0, draw, b, 0);
      assertArrayEquals(a, b, "draw " + draw);
      otherSeed.read(0, draw, b, 0);
      differentSeedDiffers += Arrays.equals(a, b) ? 0 : 1;
    }
    assertTrue(differentSeedDiffers > 0);
  }

  @Test
  void plainReadsAreTheCentreCrop() throws IOException {
    Path ramp = folder.resolve("ramp");
    java.awt.image.BufferedImage columns = TestImages.gray(12, 12, 0);
    for (int y = 0; y < 12; y++) {
      for (int x = 0; x < 12; x++) {
        columns.getRaster().setSample(x, y, 0, 20 * x);
      }
    }
    TestImages.write(ramp.resolve("columns.png"), columns, "png");
    Dataset dataset = open(Map.of("path", ramp.toString(), "size", 4, "load_size", 12));
    float[] sample = new float[16];
    dataset.read(0, sample, 0);
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 4; x++) {
        assertEquals(20 * (x + 4), TestImages.value(sample[4 * y + x]));
      }
    }
  }

  @Test
  void everySupportedKeyIsRead() throws IOException {
    Parameters parameters = parameters(Map.of("path", folder.toString(), "size", 16, "load_size", 20, "flip", false,
        "channels", 3));
    Dataset dataset = provider.open(parameters, 0);
    assertEquals(Set.of("path", "size", "load_size", "flip", "channels", "brightness", "contrast",
        "saturation"), parameters.knownKeys());
    parameters.rejectUnknownKeys();
    assertFalse(dataset.describe().contains("flips"), dataset.describe());
  }

  @Test
  void badParametersNameWhatIsAllowed() {
    String path = folder.toString();
    assertRejected(Map.of(), "'path' is missing; it must name a folder of images");
    assertRejected(Map.of("path", path, "size", 0), "'size' is 0; allowed: 1 to 1024");
    assertRejected(Map.of("path", path, "size", -3), "'size' is -3; allowed: 1 to 1024");
    assertRejected(Map.of("path", path, "load_size", 0), "'load_size' is 0; allowed: 1 to 2048");
    assertRejected(Map.of("path", path, "size", 80, "load_size", 72), "'size' is 80 and 'load_size' 72; samples are"
        + " cut from the loaded square, so allowed: a 'size' of at most 'load_size' (which defaults to size * 286 / 256)");
    assertRejected(Map.of("path", path, "channels", 2), "'channels' is 2; allowed: 1 (grayscale), 3 (RGB), or no"
        + " 'channels' to follow the images");
    assertRejected(Map.of("path", path, "flip", "yes"), "'flip' is 'yes'; it must be true or false");
  }

  @Test
  void folderProblemsNameTheFolderAndTheParameter() {
    Path missing = folder.resolve("zebras");
    IdxReaderTest.assertProblem(missing, "no such folder; 'path' must name a folder of images",
        () -> open(Map.of("path", missing.toString())));
  }

  private void assertRejected(Map<String, ?> values, String message) {
    ParameterException e = assertThrows(ParameterException.class, () -> open(values));
    assertEquals("dataset 'image-folder': " + message, e.getMessage());
  }

  private Dataset open(Map<String, ?> values) throws IOException {
    return provider.open(parameters(values), 0);
  }

  private static Parameters parameters(Map<String, ?> values) {
    return new Parameters("dataset 'image-folder'", values);
  }
}
