package org.ganymede.datasets.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.ganymede.api.Condition;
import org.ganymede.api.DataSpec;
import org.ganymede.api.Dataset;
import org.ganymede.api.Dataset.ConditionImages;
import org.ganymede.api.ParameterException;
import org.ganymede.api.Parameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PairedImageFoldersProviderTest {
  private static final int SIDE = 12;
  private static final int SIZE = 8;
  private final PairedImageFoldersProvider provider = new PairedImageFoldersProvider();
  @TempDir Path root;

  @Test
  void foldersPairByNameWhateverTheExtensionAndTheirPixelsLineUpInEveryDraw() throws IOException {
    // Gray conditions whose every pixel is the red of the same pixel of the colour target.
    Path edges = root.resolve("edges");
    Path photos = root.resolve("photos");
    String[][] files = {{"a.png", "a.bmp"}, {"b.bmp", "b.png"}, {"c.png", "c.png"}};
    for (int i = 0; i < files.length; i++) {
      TestImages.write(edges.resolve(files[i][0]), gray(SIDE, SIDE, 40 * i), files[i][0].substring(2));
      TestImages.write(photos.resolve(files[i][1]), redOf(gray(SIDE, SIDE, 40 * i)), files[i][1].substring(2));
    }
    Dataset pairs = open(Map.of("conditions", edges.toString(), "targets", photos.toString(), "size", SIZE,
        "load_size", SIDE));
    ConditionImages conditions = pairs.conditionImages().orElseThrow();
    assertEquals(Condition.Images.PAIRED, conditions.kind());
    assertEquals(DataSpec.image(SIZE, SIZE, 3, 0), pairs.spec());
    assertEquals(DataSpec.image(SIZE, SIZE, 1, 0), conditions.images().spec());
    assertEquals(3, pairs.size());
    assertEquals(3, conditions.images().size());
    assertEquals("image folder " + photos + ": 3 images loaded at 12x12, random 8x8 crops and horizontal flips,"
        + " 8x8x3; conditions: image folder " + edges + ": 3 images loaded at 12x12, random 8x8 crops and horizontal"
        + " flips, 8x8x1", pairs.describe());

    for (int index = 0; index < 3; index++) {
      Set<String> crops = new HashSet<>();
      for (long draw = -1; draw < 30; draw++) {
        float[] target = read(pairs, index, draw);
        float[] condition = read(conditions.images(), index, draw);
        for (int p = 0; p < SIZE * SIZE; p++) {
          assertEquals(TestImages.value(target[3 * p]), TestImages.value(condition[p]), "draw " + draw + ", pixel " + p);
        }
        crops.add(Arrays.toString(condition));
      }
      assertTrue(crops.size() > 10, crops.size() + " different crops of image " + index);
    }
    // Pairs follow the names: b's condition is b's, not the second file of the other folder by another order.
    assertEquals(40 + 7 * 2 + 3 * 2, TestImages.value(read(conditions.images(), 1, -1)[0]));
    pairs.close();
  }

  @Test
  void channelsSetsBothSides() throws IOException {
    Path a = root.resolve("a");
    Path b = root.resolve("b");
    TestImages.write(a.resolve("x.png"), gray(SIDE, SIDE, 0), "png");
    TestImages.write(b.resolve("x.png"), redOf(gray(SIDE, SIDE, 0)), "png");
    Dataset pairs = open(Map.of("conditions", a.toString(), "targets", b.toString(), "size", SIZE, "channels", 3));
    assertEquals(DataSpec.image(SIZE, SIZE, 3, 0), pairs.conditionImages().orElseThrow().images().spec());
    Dataset gray = open(Map.of("conditions", a.toString(), "targets", b.toString(), "size", SIZE, "channels", 1));
    assertEquals(DataSpec.image(SIZE, SIZE, 1, 0), gray.spec());
  }

  @Test
  void sideBySideImagesAreCutInHalvesThatLineUpInEveryDraw() throws IOException {
    // Left half v, right half v + 100 (mod 256), v differing from pixel to pixel.
    Path facades = root.resolve("facades");
    for (int i = 0; i < 2; i++) {
      BufferedImage both = new BufferedImage(2 * SIDE, SIDE, BufferedImage.TYPE_BYTE_GRAY);
      BufferedImage half = gray(SIDE, SIDE, 50 * i);
      for (int y = 0; y < SIDE; y++) {
        for (int x = 0; x < SIDE; x++) {
          int v = half.getRaster().getSample(x, y, 0);
          both.getRaster().setSample(x, y, 0, v);
          both.getRaster().setSample(SIDE + x, y, 0, (v + 100) % 256);
        }
      }
      TestImages.write(facades.resolve(i + ".png"), both, "png");
    }
    for (String side : List.of("left", "right")) {
      Dataset pairs = open(Map.of("folder", facades.toString(), "condition", side, "size", SIZE, "load_size", SIDE));
      Dataset conditions = pairs.conditionImages().orElseThrow().images();
      assertEquals(2, pairs.size());
      assertEquals(DataSpec.image(SIZE, SIZE, 1, 0), conditions.spec());
      for (long draw = -1; draw < 30; draw++) {
        float[] target = read(pairs, 1, draw);
        float[] condition = read(conditions, 1, draw);
        for (int p = 0; p < SIZE * SIZE; p++) {
          int left = TestImages.value(side.equals("left") ? condition[p] : target[p]);
          int right = TestImages.value(side.equals("left") ? target[p] : condition[p]);
          assertEquals((left + 100) % 256, right, side + ", draw " + draw + ", pixel " + p);
        }
      }
      // The centre window starts at (2, 2) of the left half: 50 + 7 * 2 + 3 * 2.
      int corner = TestImages.value(read(conditions, 1, -1)[0]);
      assertEquals(side.equals("left") ? 70 : 170, corner, side);
      String halves = side.equals("left") ? "right halves of image folder " + facades + ": 2 images loaded at 12x12"
          : "left halves of image folder " + facades + ": 2 images loaded at 12x12";
      assertTrue(pairs.describe().startsWith(halves), pairs.describe());
    }
  }

  @Test
  void sideBySideImagesOfAnOddWidthAreNamed() throws IOException {
    Path folder = root.resolve("odd");
    TestImages.write(folder.resolve("a.png"), gray(25, SIDE, 0), "png");
    TestImages.write(folder.resolve("b.png"), gray(24, SIDE, 0), "png");
    TestImages.write(folder.resolve("c.png"), gray(23, SIDE, 0), "png");
    IdxReaderTest.assertProblem(folder, "2 images are of an odd width, which does not cut into two halves;"
        + " side-by-side images hold a condition and its target side by side, each half of the width: a.png (25x12),"
        + " c.png (23x12)", () -> open(Map.of("folder", folder.toString(), "size", SIZE)));
  }

  @Test
  void namesInOneFolderOnlyAreListedAndCounted() throws IOException {
    Path conditions = root.resolve("sketches");
    Path targets = root.resolve("shoes");
    for (String name : List.of("a", "b", "c", "x")) {
      TestImages.write(conditions.resolve(name + ".png"), gray(SIDE, SIDE, 0), "png");
    }
    for (String name : List.of("a", "b", "c", "y", "z")) {
      TestImages.write(targets.resolve(name + ".png"), gray(SIDE, SIDE, 0), "png");
    }
    Map<String, Object> values = Map.of("conditions", conditions.toString(), "targets", targets.toString());
    IOException e = assertThrows(IOException.class, () -> open(values));
    assertEquals(conditions + " and " + targets + ": 3 images have no pair: in conditions only x; in targets only y,"
        + " z; a condition and its target are files of the same name, whatever their extensions, one in each folder",
        e.getMessage());

    for (int i = 0; i < 7; i++) {
      TestImages.write(targets.resolve("more-" + i + ".png"), gray(SIDE, SIDE, 0), "png");
    }
    e = assertThrows(IOException.class, () -> open(values));
    assertTrue(e.getMessage().startsWith(conditions + " and " + targets + ": 10 images have no pair: in conditions"
        + " only x; in targets only more-0, more-1, more-2, more-3, more-4 and 4 more;"), e.getMessage());
  }

  @Test
  void pairsOfTwoSizesAreListed() throws IOException {
    Path conditions = root.resolve("labels");
    Path targets = root.resolve("photos");
    TestImages.write(conditions.resolve("a.png"), gray(SIDE, SIDE, 0), "png");
    TestImages.write(targets.resolve("a.png"), gray(SIDE, SIDE, 0), "png");
    TestImages.write(conditions.resolve("b.png"), gray(SIDE, SIDE, 0), "png");
    TestImages.write(targets.resolve("b.png"), gray(SIDE, 10, 0), "png");
    TestImages.write(conditions.resolve("c.png"), gray(14, SIDE, 0), "png");
    TestImages.write(targets.resolve("c.jpg"), TestImages.rgb(SIDE, SIDE, 0), "jpeg");
    IOException e = assertThrows(IOException.class,
        () -> open(Map.of("conditions", conditions.toString(), "targets", targets.toString(), "size", SIZE)));
    assertEquals(conditions + " and " + targets + ": 2 pairs' images differ in size; the two images of a pair must"
        + " have the same width and height, so that they line up pixel for pixel: b (condition 12x12, target 12x10),"
        + " c (condition 14x12, target 12x12)", e.getMessage());
  }

  @Test
  void oneNameForTwoImagesIsAmbiguous() throws IOException {
    Path conditions = root.resolve("labels");
    Path targets = root.resolve("photos");
    TestImages.write(conditions.resolve("a.png"), gray(SIDE, SIDE, 0), "png");
    TestImages.write(conditions.resolve("a.bmp"), gray(SIDE, SIDE, 0), "bmp");
    TestImages.write(targets.resolve("a.png"), gray(SIDE, SIDE, 0), "png");
    IdxReaderTest.assertProblem(conditions, "1 name is given to more than one image: a.bmp and a.png; a pair is found"
        + " by the name without its extension", () -> open(Map.of("conditions", conditions.toString(), "targets",
            targets.toString())));
  }

  @Test
  void anEmptyFolderIsNamed() throws IOException {
    Path empty = Files.createDirectories(root.resolve("empty"));
    Path targets = root.resolve("photos");
    TestImages.write(targets.resolve("a.png"), gray(SIDE, SIDE, 0), "png");
    IdxReaderTest.assertProblem(empty, "holds no images",
        () -> open(Map.of("conditions", empty.toString(), "targets", targets.toString())));
    IdxReaderTest.assertProblem(empty, "holds no images", () -> open(Map.of("folder", empty.toString())));
    IdxReaderTest.assertProblem(empty, "holds no images",
        () -> open(Map.of("folder", empty.toString(), "pairing", "edges")));
  }

  @Test
  void aPairingMakesPairsFromOneFolderOfTargetsCroppedAndFlippedAlike() throws IOException {
    Path photos = root.resolve("photos");
    for (int i = 0; i < 2; i++) {
      TestImages.write(photos.resolve(i + ".png"), redOf(gray(SIDE, SIDE, 90 * i)), "png");
    }
    Dataset pairs = open(Map.of("folder", photos.toString(), "pairing", "low-resolution", "factor", 2, "size", SIZE,
        "load_size", SIDE));
    ConditionImages conditions = pairs.conditionImages().orElseThrow();
    assertEquals(Condition.Images.LOW_RESOLUTION, conditions.kind());
    assertEquals(DataSpec.image(4, 4, 3, 0), conditions.images().spec());
    assertTrue(pairs.describe().startsWith("image folder " + photos + ": 2 images loaded at 12x12, random 8x8 crops"),
        pairs.describe());
    assertTrue(pairs.describe().endsWith("; conditions: low-resolution x2 (bicubic) of each target, 4x4x3"),
        pairs.describe());
    LowResolution halving = new LowResolution(2, LowResolution.BICUBIC, SIZE, SIZE);
    for (long draw = -1; draw < 20; draw++) {
      float[] target = read(pairs, 1, draw);
      float[] expected = new float[4 * 4 * 3];
      halving.condition(target, pairs.spec(), new SplittableRandom(0), expected, 0);
      assertArrayEquals(expected, read(conditions.images(), 1, draw), "draw " + draw);
    }

    Dataset masked = open(Map.of("folder", photos.toString(), "pairing", "masked", "size", SIZE));
    assertEquals(Condition.Images.MASKED, masked.conditionImages().orElseThrow().kind());
    assertEquals(DataSpec.image(SIZE, SIZE, 4, 0), masked.conditionImages().orElseThrow().images().spec());
  }

  @Test
  void aFactorMustDivideTheSize() throws IOException {
    Path photos = root.resolve("photos");
    TestImages.write(photos.resolve("a.png"), gray(SIDE, SIDE, 0), "png");
    assertRejected(Map.of("folder", photos.toString(), "pairing", "low-resolution", "size", 6),
        "'factor' is 4, which does not divide the targets' size 6x6; allowed for 6x6: 2");
    assertRejected(Map.of("folder", photos.toString(), "pairing", "low-resolution", "size", 9, "factor", 2),
        "'factor' is 2, which does not divide the targets' size 9x9; allowed for 9x9: none of 2, 4, so choose a size"
            + " that the factor divides");
  }

  @Test
  void theWaysOfGivingPairsAreOneAtATime() throws IOException {
    String folder = Files.createDirectories(root.resolve("images")).toString();
    String ways = "'conditions' and 'targets', two folders whose files pair by name; 'folder', a folder of"
        + " side-by-side images ('condition' left or right); or 'folder' with 'pairing' (edges, low-resolution,"
        + " masked), a folder of targets whose conditions are computed from them";
    assertRejected(Map.of(), "no images are given; allowed: " + ways);
    assertRejected(Map.of("folder", folder, "targets", folder), "'folder' and 'conditions' or 'targets' are both"
        + " given; allowed: one of " + ways);
    assertRejected(Map.of("conditions", folder), "'targets' is missing; it must name a folder of images");
    assertRejected(Map.of("conditions", folder, "targets", folder, "pairing", "edges"), "'pairing' computes conditions"
        + " from the images of one 'folder', and 'conditions' gives them as images; allowed: " + ways);
    assertRejected(Map.of("folder", folder, "pairing", "edges", "condition", "left"), "'condition' picks a half of"
        + " side-by-side images, and 'pairing' computes conditions from whole images; allowed: " + ways);
    assertRejected(Map.of("folder", folder, "condition", "top"), "'condition' is 'top'; allowed: left, right");
    assertRejected(Map.of("folder", folder, "pairing", "blur"), "'pairing' is 'blur'; allowed: edges, low-resolution,"
        + " masked");
    assertRejected(Map.of("conditions", folder, "targets", root.resolve("images/../images").toString()),
        "'conditions' and 'targets' are both " + folder + ", which would pair every image with itself; allowed: two"
            + " different folders");
  }

  @Test
  void everySupportedKeyIsRead() throws IOException {
    Path a = root.resolve("a");
    Path b = root.resolve("b");
    TestImages.write(a.resolve("x.png"), gray(2 * SIDE, SIDE, 0), "png");
    TestImages.write(b.resolve("x.png"), gray(2 * SIDE, SIDE, 0), "png");
    // Every way asks which of the ways' keys are given.
    Set<String> common = Set.of("conditions", "targets", "folder", "pairing", "size", "load_size", "flip", "channels",
        "brightness", "contrast", "saturation");
    Map<Map<String, Object>, Set<String>> cases = Map.of(
        Map.of("conditions", a.toString(), "targets", b.toString()), Set.of(),
        Map.of("folder", a.toString(), "condition", "right"), Set.of("condition"),
        Map.of("folder", a.toString(), "pairing", "masked", "mask", "centre"), Set.of("condition", "mask"));
    for (Map.Entry<Map<String, Object>, Set<String>> entry : cases.entrySet()) {
      Map<String, Object> values = new HashMap<>(entry.getKey());
      values.putAll(Map.of("size", 8, "load_size", 10, "flip", false, "channels", 1));
      Parameters parameters = parameters(values);
      provider.open(parameters, 0).close();
      Set<String> expected = new TreeSet<>(common);
      expected.addAll(entry.getValue());
      assertEquals(expected, parameters.knownKeys(), values.toString());
      parameters.rejectUnknownKeys();
    }
  }

  /** A grayscale image whose pixel (x, y) is {@code (shift + 7 x + 3 y) % 256}: every pixel of a row and a column differs. */
  private static BufferedImage gray(int width, int height, int shift) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.getRaster().setSample(x, y, 0, (shift + 7 * x + 3 * y) % 256);
      }
    }
    return image;
  }

  /** A colour image whose red is the gray of {@code gray}, green its negative and blue 0. */
  private static BufferedImage redOf(BufferedImage gray) {
    BufferedImage image = new BufferedImage(gray.getWidth(), gray.getHeight(), BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < gray.getHeight(); y++) {
      for (int x = 0; x < gray.getWidth(); x++) {
        int v = gray.getRaster().getSample(x, y, 0);
        image.setRGB(x, y, v << 16 | (255 - v) << 8);
      }
    }
    return image;
  }

  /** Sample {@code index} read with {@code draw}, or a plain read for a negative draw. */
  private static float[] read(Dataset dataset, int index, long draw) {
    float[] sample = new float[dataset.spec().sampleSize()];
    if (draw < 0) {
      dataset.read(index, sample, 0);
    } else {
      dataset.read(index, draw, sample, 0);
    }
    return sample;
  }

  private void assertRejected(Map<String, ?> values, String message) {
    ParameterException e = assertThrows(ParameterException.class, () -> open(values));
    assertEquals("dataset 'paired-image-folders': " + message, e.getMessage());
  }

  private Dataset open(Map<String, ?> values) throws IOException {
    return provider.open(parameters(values), 0);
  }

  private static Parameters parameters(Map<String, ?> values) {
    return new Parameters("dataset 'paired-image-folders'", values);
  }
}
