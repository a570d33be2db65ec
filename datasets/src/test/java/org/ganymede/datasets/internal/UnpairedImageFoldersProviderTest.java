package org.ganymede.datasets.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

class UnpairedImageFoldersProviderTest {
  private final UnpairedImageFoldersProvider provider = new UnpairedImageFoldersProvider();
  @TempDir Path root;
  private Path horses;
  private Path zebras;
  private Path grayZebras;

  @BeforeEach
  void folders() throws IOException {
    horses = root.resolve("trainA");
    zebras = root.resolve("trainB");
    grayZebras = root.resolve("grayB");
    for (int i = 0; i < 3; i++) {
      TestImages.write(horses.resolve("horse-" + i + ".jpg"), TestImages.rgb(48 + i, 40, 0x8b4513), "jpeg");
    }
    for (int i = 0; i < 5; i++) {
      TestImages.write(zebras.resolve("zebra-" + i + ".png"), TestImages.rgb(40, 60, 0xeeeeee), "png");
      TestImages.write(grayZebras.resolve("zebra-" + i + ".png"), TestImages.gray(40, 60, 238), "png");
    }
  }

  @Test
  void theFoldersAreDomainsAAndBOfTheirOwnSizes() throws IOException {
    Dataset unpaired = open(Map.of("a", horses.toString(), "b", zebras.toString(), "size", 32));
    Dataset b = unpaired.secondDomain().orElseThrow();
    assertEquals(3, unpaired.size());
    assertEquals(5, b.size());
    assertEquals(DataSpec.image(32, 32, 3, 0), unpaired.spec());
    assertEquals(DataSpec.image(32, 32, 3, 0), b.spec());
    assertEquals("domain A: image folder " + horses + ": 3 images loaded at 36x36, random 32x32 crops and horizontal"
        + " flips, 32x32x3; domain B: image folder " + zebras + ": 5 images loaded at 36x36, random 32x32 crops and"
        + " horizontal flips, 32x32x3", unpaired.describe());
    float[] sample = new float[32 * 32 * 3];
    b.read(4, 99, sample, 0);
    assertEquals(0xee, TestImages.value(sample[0]));
    unpaired.close();
  }

  @Test
  void theDomainsDrawTheirOwnCrops() throws IOException {
    Path ramps = root.resolve("ramps");
    Path sameRamps = root.resolve("same-ramps");
    java.awt.image.BufferedImage ramp = TestImages.gray(16, 16, 0);
    for (int y = 0; y < 16; y++) {
      for (int x = 0; x < 16; x++) {
        ramp.getRaster().setSample(x, y, 0, 16 * y + x);
      }
    }
    TestImages.write(ramps.resolve("ramp.png"), ramp, "png");
    TestImages.write(sameRamps.resolve("ramp.png"), ramp, "png");
    Dataset unpaired = open(Map.of("a", ramps.toString(), "b", sameRamps.toString(), "size", 8, "load_size", 16));
    Dataset b = unpaired.secondDomain().orElseThrow();
    float[] fromA = new float[64];
    float[] fromB = new float[64];
    int same = 0;
    for (long draw = 0; draw < 100; draw++) {
      unpaired.read(0, draw, fromA, 0);
      b.read(0, draw, fromB, 0);
      same += Arrays.equals(fromA, fromB) ? 1 : 0;
    }
    // 81 windows, flipped or not: equal by chance about once in 162 draws.
    assertTrue(same < 10, same + " of 100 draws alike in both domains");
  }

  @Test
  void grayAAndColourBNeedChannelsToBeChosen() {
    ParameterException e = assertThrows(ParameterException.class,
        () -> open(Map.of("a", grayZebras.toString(), "b", horses.toString())));
    assertEquals("dataset 'unpaired-image-folders': the images of domain A (" + grayZebras + ") are grayscale and"
        + " those of domain B (" + horses + ") colour; the domains need the same channels: set 'channels: 1' to"
        + " train on grayscale (colour turned to gray) or 'channels: 3' to train in colour (gray copied to red,"
        + " green and blue)", e.getMessage());
  }

  @Test
  void channelsMakesGrayAndColourDomainsAgree() throws IOException {
    for (int channels : new int[] {1, 3}) {
      Dataset unpaired = open(Map.of("a", horses.toString(), "b", grayZebras.toString(), "channels", channels,
          "size", 16));
      assertEquals(DataSpec.image(16, 16, channels, 0), unpaired.spec());
      assertEquals(DataSpec.image(16, 16, channels, 0), unpaired.secondDomain().orElseThrow().spec());
    }
  }

  @Test
  void theSameFolderTwiceIsRejected() {
    ParameterException e = assertThrows(ParameterException.class,
        () -> open(Map.of("a", horses.toString(), "b", horses.resolve("../trainA").toString())));
    assertEquals("dataset 'unpaired-image-folders': 'a' and 'b' are both " + horses + ", which would put every image"
        + " in both domains; allowed: two different folders", e.getMessage());
  }

  @Test
  void missingParametersAndFoldersAreNamed() {
    ParameterException missing = assertThrows(ParameterException.class, () -> open(Map.of("a", horses.toString())));
    assertEquals("dataset 'unpaired-image-folders': 'b' is missing; it must name a folder of images", missing.getMessage());
    Path absent = root.resolve("testB");
    IdxReaderTest.assertProblem(absent, "no such folder; 'b' must name a folder of images",
        () -> open(Map.of("a", horses.toString(), "b", absent.toString())));
  }

  @Test
  void everySupportedKeyIsRead() throws IOException {
    Parameters parameters = parameters(Map.of("a", horses.toString(), "b", zebras.toString(), "size", 16,
        "load_size", 16, "flip", false, "channels", 1));
    provider.open(parameters, 0).close();
    assertEquals(Set.of("a", "b", "size", "load_size", "flip", "channels", "brightness", "contrast", "saturation"), parameters.knownKeys());
    parameters.rejectUnknownKeys();
  }

  private Dataset open(Map<String, ?> values) throws IOException {
    return provider.open(parameters(values), 0);
  }

  private static Parameters parameters(Map<String, ?> values) {
    return new Parameters("dataset 'unpaired-image-folders'", values);
  }
}
