package org.ganymede.datasets.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.ganymede.api.DataSpec;
import org.ganymede.api.Dataset;
import org.ganymede.api.ParameterException;
import org.ganymede.api.Parameters;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistProviderTest {
  private static final FashionMnistProvider PROVIDER = new FashionMnistProvider();
  /** The embedded test split at the default resolution, opened once: decoding takes a while. */
  private static Dataset embedded;

  @TempDir Path folder;

  @BeforeAll
  static void openEmbedded() throws IOException {
    embedded = PROVIDER.open(Parameters.empty("dataset 'fashion-mnist'"), 0);
  }

  @Test
  void aLimitPerClassKeepsTheFirstSamplesOfEachClass() throws IOException {
    Dataset few = PROVIDER.open(new Parameters("dataset 'fashion-mnist'", Map.of("limit_per_class", 3,
        "classes", List.of("bag", "sneaker"))), 0);
    assertEquals(6, few.size());
    int[] firstBags = IntStream.range(0, embedded.size()).filter(i -> embedded.label(i) == 8).limit(3).toArray();
    float[] expected = new float[32 * 32];
    float[] actual = new float[32 * 32];
    int bags = 0;
    for (int i = 0; i < few.size(); i++) {
      if (few.label(i) == 8) {
        embedded.read(firstBags[bags++], expected, 0);
        few.read(i, actual, 0);
        assertArrayEquals(expected, actual, "bag " + bags);
      }
    }
    assertEquals(3, bags);
    ParameterException tooMany = assertThrows(ParameterException.class, () -> PROVIDER.open(
        new Parameters("dataset 'fashion-mnist'", Map.of("limit_per_class", -1)), 0));
    assertTrue(tooMany.getMessage().contains("'limit_per_class' is -1; allowed: 0 to"), tooMany.getMessage());
  }

  @Test
  void classesAreNamedAsTheCommandLineNamesThem() {
    assertEquals(List.of("t-shirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag",
        "ankle-boot"), embedded.classNames());
  }

  @Test
  void embeddedTestSplitIsPaddedTo32WithTenBalancedClasses() {
    assertEquals(10_000, embedded.size());
    assertEquals(DataSpec.image(32, 32, 1, 10), embedded.spec());

    int[] perClass = new int[10];
    float[] sample = new float[32 * 32];
    for (int i = 0; i < embedded.size(); i++) {
      embedded.read(i, sample, 0);
      for (int y = 0; y < 32; y++) {
        for (int x = 0; x < 32; x++) {
          float value = sample[y * 32 + x];
          assertTrue(value >= -1 && value <= 1, "sample " + i + " has " + value);
          if (y < 2 || y >= 30 || x < 2 || x >= 30) {
            assertEquals(-1f, value, "padding of sample " + i + " at " + y + "," + x);
          }
        }
      }
      perClass[embedded.label(i)]++;
    }
    assertArrayEquals(new int[] {1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000}, perClass);
  }

  @Test
  void resolution28IsTheImagesAsStored() throws IOException {
    Dataset unpadded = open(Map.of("resolution", 28));
    assertEquals(DataSpec.image(28, 28, 1, 10), unpadded.spec());
    assertEquals(10_000, unpadded.size());

    float[] small = new float[28 * 28];
    float[] padded = new float[32 * 32];
    unpadded.read(1234, small, 0);
    embedded.read(1234, padded, 0);
    for (int y = 0; y < 28; y++) {
      for (int x = 0; x < 28; x++) {
        assertEquals(small[y * 28 + x], padded[(y + 2) * 32 + x + 2]);
      }
    }
    assertEquals(embedded.label(1234), unpadded.label(1234));
  }

  @Test
  void describesSourceSplitCountAndResolution() {
    assertEquals("Fashion-MNIST test split (embedded): 10000 images, 32x32x1 (10 classes)", embedded.describe());
  }

  @Test
  void readsAtAnOffset() {
    float[] target = new float[3 * 32 * 32];
    embedded.read(7, target, 32 * 32);
    float[] alone = new float[32 * 32];
    embedded.read(7, alone, 0);
    assertArrayEquals(alone, Arrays.copyOfRange(target, 32 * 32, 2 * 32 * 32));
    assertEquals(0f, target[0]);
    assertEquals(0f, target[2 * 32 * 32]);
  }

  @Test
  void readsFromManyThreadsAsFromOne() {
    float[] sequential = new float[embedded.size() * 32 * 32];
    for (int i = 0; i < embedded.size(); i++) {
      embedded.read(i, sequential, i * 32 * 32);
    }
    float[] parallel = new float[sequential.length];
    IntStream.range(0, embedded.size()).parallel().forEach(i -> embedded.read(i, parallel, i * 32 * 32));
    assertArrayEquals(sequential, parallel);
  }

  @Test
  void classesKeepsOnlyTheGivenClassesAndTheirIds() throws IOException {
    Parameters parameters = parameters(Map.of("classes", List.of(3, 0)));
    Dataset dataset = PROVIDER.open(parameters, 0);

    assertEquals(2000, dataset.size());
    assertEquals(10, dataset.spec().classes());
    for (int i = 0; i < dataset.size(); i++) {
      assertTrue(Set.of(0, 3).contains(dataset.label(i)), "label " + dataset.label(i));
    }
    assertTrue(dataset.describe().contains("classes 0 (t-shirt), 3 (dress)"), dataset.describe());
  }

  @Test
  void classesMayBeNamed() throws IOException {
    Dataset dataset = open(Map.of("classes", List.of("Sneaker", "ankle-boot", 2)));
    assertEquals(3000, dataset.size());
    for (int i = 0; i < dataset.size(); i++) {
      assertTrue(Set.of(2, 7, 9).contains(dataset.label(i)), "label " + dataset.label(i));
    }
    assertTrue(dataset.describe().contains("classes 2 (pullover), 7 (sneaker), 9 (ankle-boot)"), dataset.describe());
  }

  @Test
  void everySupportedKeyIsRead() throws IOException {
    Parameters parameters = parameters(Map.of("split", "test", "resolution", 28, "classes", 9,
        "path", folderWith("t10k", 2, 9).toString()));
    PROVIDER.open(parameters, 0);
    assertEquals(Set.of("path", "split", "resolution", "classes", "limit_per_class"), parameters.knownKeys());
    parameters.rejectUnknownKeys();
  }

  @Test
  void pathNamesAFolderWithTheStandardFiles() throws IOException {
    Path data = folderWith("train", 3, 7);
    Dataset dataset = open(Map.of("path", data.toString(), "split", "train"));

    assertEquals(3, dataset.size());
    assertEquals(7, dataset.label(2));
    float[] sample = new float[32 * 32];
    dataset.read(1, sample, 0);
    // Pixel p of image 1 is (1 + p) % 256: the first is 1, the 255th is 0, the 254th is 255.
    assertEquals(1 / 127.5f - 1, sample[2 * 32 + 2]);
    assertEquals(1f, sample[(2 + 9) * 32 + 2 + 2]);
    assertEquals(-1f, sample[(2 + 9) * 32 + 2 + 3]);
    assertTrue(dataset.describe().startsWith("Fashion-MNIST train split from " + data), dataset.describe());
  }

  @Test
  void pathWithoutTheFilesNamesTheMissingFile() throws IOException {
    IOException e = assertThrows(IOException.class, () -> open(Map.of("path", folder.toString())));
    assertEquals(folder.resolve("t10k-images-idx3-ubyte.gz") + ": no such file", e.getMessage());
  }

  @Test
  void pathThatIsNoFolder() throws IOException {
    Path file = Files.writeString(folder.resolve("notes.txt"), "not a folder");
    IOException e = assertThrows(IOException.class, () -> open(Map.of("path", file.toString())));
    assertTrue(e.getMessage().startsWith(file + ": not a folder"), e.getMessage());
  }

  @Test
  void trainSplitFromTheDebianFolder() throws IOException {
    assumeTrue(Files.isDirectory(FashionMnistSplit.DEBIAN_FOLDER), "Debian's dataset-fashion-mnist is not installed");
    Dataset train = open(Map.of("split", "train", "resolution", 28));
    assertEquals(60_000, train.size());
    assertEquals(DataSpec.image(28, 28, 1, 10), train.spec());
  }

  @Test
  void theDebianFolderGivenAsPathHoldsTheEmbeddedTestSplit() throws IOException {
    assumeTrue(Files.isDirectory(FashionMnistSplit.DEBIAN_FOLDER), "Debian's dataset-fashion-mnist is not installed");
    Dataset test = open(Map.of("path", FashionMnistSplit.DEBIAN_FOLDER.toString()));
    assertEquals(10_000, test.size());
    float[] fromFolder = new float[32 * 32];
    float[] fromBundle = new float[32 * 32];
    for (int i : new int[] {0, 4321, 9999}) {
      test.read(i, fromFolder, 0);
      embedded.read(i, fromBundle, 0);
      assertArrayEquals(fromBundle, fromFolder);
      assertEquals(embedded.label(i), test.label(i));
    }
  }

  @Test
  void badParametersNameWhatIsAllowed() {
    assertRejected(Map.of("resolution", 30), "'resolution' is 30; allowed: 28 (as stored), 32 (padded with background)");
    assertRejected(Map.of("split", "validation"), "'split' is 'validation'; allowed: train, test");
    assertRejected(Map.of("classes", List.of(2, 10)), "'classes' contains '10'; allowed: a list of class ids from 0 to 9");
    assertRejected(Map.of("classes", List.of()), "'classes' is empty; allowed: a list of class ids from 0 to 9");
    assertRejected(Map.of("classes", List.of("shirts")),
        "'classes' contains 'shirts'; allowed: a list of class ids from 0 to 9 or their names (0 t-shirt, 1 trouser,");
    assertRejected(Map.of("classes", List.of(7.5)), "'classes' contains '7.5'; allowed");
  }

  private void assertRejected(Map<String, ?> values, String message) {
    ParameterException e = assertThrows(ParameterException.class, () -> open(values));
    assertTrue(e.getMessage().startsWith("dataset 'fashion-mnist': " + message), e.getMessage());
  }

  /** A folder holding {@code prefix}-images and -labels files of {@code count} images of one class. */
  private Path folderWith(String prefix, int count, int label) throws IOException {
    int[] labels = new int[count];
    Arrays.fill(labels, label);
    IdxFiles.write(folder.resolve(prefix + "-images-idx3-ubyte.gz"), IdxFiles.gzip(IdxFiles.images(count, 28, 28)));
    IdxFiles.write(folder.resolve(prefix + "-labels-idx1-ubyte.gz"), IdxFiles.gzip(IdxFiles.labels(labels)));
    return folder;
  }

  private static Dataset open(Map<String, ?> values) throws IOException {
    return PROVIDER.open(parameters(values), 0);
  }

  private static Parameters parameters(Map<String, ?> values) {
    return new Parameters("dataset 'fashion-mnist'", values);
  }
}
