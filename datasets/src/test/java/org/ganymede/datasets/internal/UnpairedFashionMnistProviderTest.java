package org.ganymede.datasets.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ganymede.api.DataSpec;
import org.ganymede.api.Dataset;
import org.ganymede.api.ParameterException;
import org.ganymede.api.Parameters;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnpairedFashionMnistProviderTest {
  private static final UnpairedFashionMnistProvider PROVIDER = new UnpairedFashionMnistProvider();
  /** The default pair from the embedded test split, opened once: decoding takes a while. */
  private static Dataset pair;

  @BeforeAll
  static void openDefault() throws IOException {
    pair = PROVIDER.open(Parameters.empty("dataset 'unpaired-fashion-mnist'"), 0);
  }

  @Test
  void sneakersAreDomainAAndAnkleBootsDomainB() {
    Dataset b = pair.secondDomain().orElseThrow();
    assertEquals(1000, pair.size());
    assertEquals(1000, b.size());
    assertEquals(DataSpec.image(32, 32, 1, 10), pair.spec());
    assertEquals(DataSpec.image(32, 32, 1, 10), b.spec());
    for (int i = 0; i < 1000; i++) {
      assertEquals(7, pair.label(i));
      assertEquals(9, b.label(i));
    }
    assertEquals("domain A: Fashion-MNIST test split (embedded), class 7 (sneaker): 1000 images, 32x32x1 (10 classes);"
        + " domain B: Fashion-MNIST test split (embedded), class 9 (ankle-boot): 1000 images, 32x32x1 (10 classes)",
        pair.describe());
  }

  @Test
  void noImageIsInBothDomains() {
    Dataset b = pair.secondDomain().orElseThrow();
    Set<FloatBuffer> imagesOfB = new HashSet<>();
    for (int i = 0; i < b.size(); i++) {
      imagesOfB.add(FloatBuffer.wrap(sample(b, i)));
    }
    for (int i = 0; i < pair.size(); i++) {
      assertFalse(imagesOfB.contains(FloatBuffer.wrap(sample(pair, i))), "sneaker " + i + " is also an ankle boot");
    }
  }

  @Test
  void domainsAreTheFashionMnistClassesAtTheSameResolution() throws IOException {
    for (int resolution : new int[] {28, 32}) {
      Dataset all = new FashionMnistProvider().open(
          new Parameters("dataset 'fashion-mnist'", Map.of("resolution", resolution)), 0);
      Dataset unpaired = open(Map.of("resolution", resolution));
      assertEquals(DataSpec.image(resolution, resolution, 1, 10), unpaired.spec());
      assertSameImages(all, 7, unpaired);
      assertSameImages(all, 9, unpaired.secondDomain().orElseThrow());
    }
  }

  @Test
  void classesByIdOrNameInAnyCase() throws IOException {
    Dataset tops = open(Map.of("a", "T-Shirt", "b", 1));
    assertEquals(0, tops.label(0));
    assertEquals(1, tops.secondDomain().orElseThrow().label(0));
    Dataset bags = open(Map.of("a", "8", "b", "dress"));
    assertEquals(8, bags.label(999));
    assertEquals(3, bags.secondDomain().orElseThrow().label(999));
  }

  @Test
  void readingADrawIsReadingTheImage() {
    float[] plain = sample(pair, 12);
    float[] drawn = new float[plain.length];
    pair.read(12, 123_456L, drawn, 0);
    assertArrayEquals(plain, drawn);
  }

  @Test
  void everySupportedKeyIsReadAndPathNamesAFolder(@TempDir Path folder) throws IOException {
    IdxFiles.write(folder.resolve("t10k-images-idx3-ubyte.gz"), IdxFiles.gzip(IdxFiles.images(5, 28, 28)));
    IdxFiles.write(folder.resolve("t10k-labels-idx1-ubyte.gz"), IdxFiles.gzip(IdxFiles.labels(4, 6, 4, 6, 4)));
    Parameters parameters = parameters(Map.of("a", "coat", "b", "shirt", "split", "test", "resolution", 28,
        "path", folder.toString()));
    Dataset coatsAndShirts = PROVIDER.open(parameters, 0);
    assertEquals(Set.of("a", "b", "split", "resolution", "path"), parameters.knownKeys());
    parameters.rejectUnknownKeys();

    assertEquals(3, coatsAndShirts.size());
    assertEquals(2, coatsAndShirts.secondDomain().orElseThrow().size());
    float[] sample = new float[28 * 28];
    // Pixel p of image i is (i + p) % 256: the first shirt is image 1.
    coatsAndShirts.secondDomain().orElseThrow().read(0, sample, 0);
    assertEquals(1 / 127.5f - 1, sample[0]);
  }

  @Test
  void theSameClassTwiceIsRejected() {
    ParameterException e = assertThrows(ParameterException.class, () -> open(Map.of("a", 7, "b", "sneaker")));
    assertEquals("dataset 'unpaired-fashion-mnist': 'a' and 'b' are both class 7 (sneaker), which would put every"
        + " image in both domains; allowed: two different classes (0 t-shirt, 1 trouser, 2 pullover, 3 dress,"
        + " 4 coat, 5 sandal, 6 shirt, 7 sneaker, 8 bag, 9 ankle-boot)", e.getMessage());
  }

  @Test
  void unknownClassesListTheNames() {
    ParameterException name = assertThrows(ParameterException.class, () -> open(Map.of("b", "boot")));
    assertEquals("dataset 'unpaired-fashion-mnist': 'b' is 'boot'; allowed: a class id or name (0 t-shirt,"
        + " 1 trouser, 2 pullover, 3 dress, 4 coat, 5 sandal, 6 shirt, 7 sneaker, 8 bag, 9 ankle-boot)", name.getMessage());
    ParameterException id = assertThrows(ParameterException.class, () -> open(Map.of("a", 10)));
    assertTrue(id.getMessage().startsWith("dataset 'unpaired-fashion-mnist': 'a' is '10'; allowed"), id.getMessage());
    ParameterException list = assertThrows(ParameterException.class, () -> open(Map.of("a", List.of(7))));
    assertTrue(list.getMessage().contains("'a' is '[7]'; it must be a string"), list.getMessage());
  }

  @Test
  void trainSplitFromTheDebianFolder() throws IOException {
    assumeTrue(Files.isDirectory(FashionMnistSplit.DEBIAN_FOLDER), "Debian's dataset-fashion-mnist is not installed");
    Dataset train = open(Map.of("split", "train"));
    assertEquals(6000, train.size());
    assertEquals(6000, train.secondDomain().orElseThrow().size());
  }

  /** Asserts that {@code domain} holds the images of class {@code label} in {@code all}, in order. */
  private static void assertSameImages(Dataset all, int label, Dataset domain) {
    int next = 0;
    for (int i = 0; i < all.size(); i++) {
      if (all.label(i) == label) {
        assertArrayEquals(sample(all, i), sample(domain, next), "image " + next + " of class " + label);
        assertEquals(label, domain.label(next));
        next++;
      }
    }
    assertEquals(next, domain.size());
  }

  private static float[] sample(Dataset dataset, int index) {
    float[] sample = new float[dataset.spec().sampleSize()];
    dataset.read(index, sample, 0);
    return sample;
  }

  private static Dataset open(Map<String, ?> values) throws IOException {
    return PROVIDER.open(parameters(values), 0);
  }

  private static Parameters parameters(Map<String, ?> values) {
    return new Parameters("dataset 'unpaired-fashion-mnist'", values);
  }
}
