package org.ganymede.datasets.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.ganymede.api.Condition;
import org.ganymede.api.DataSpec;
import org.ganymede.api.Dataset;
import org.ganymede.api.Dataset.ConditionImages;
import org.ganymede.api.ParameterException;
import org.ganymede.api.Parameters;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistPairsProviderTest {
  private static final FashionMnistPairsProvider PROVIDER = new FashionMnistPairsProvider();
  /** The embedded test split as the fashion-mnist dataset reads it, opened once: decoding takes a while. */
  private static Dataset embedded;

  @TempDir Path folder;

  @BeforeAll
  static void openEmbedded() throws IOException {
    embedded = new FashionMnistProvider().open(Parameters.empty("dataset 'fashion-mnist'"), 0);
  }

  @Test
  void lowResolutionPairsAreFashionMnistWithItsPicturesDownsampled() throws IOException {
    Dataset pairs = open(Map.of("pairing", "low-resolution"));
    ConditionImages conditions = pairs.conditionImages().orElseThrow();
    assertEquals(Condition.Images.LOW_RESOLUTION, conditions.kind());
    assertEquals(DataSpec.image(32, 32, 1, 10), pairs.spec());
    assertEquals(DataSpec.image(8, 8, 1, 10), conditions.images().spec());
    assertEquals(10_000, pairs.size());
    assertEquals(embedded.classNames(), pairs.classNames());
    assertEquals("Fashion-MNIST test split (embedded): 10000 images, 32x32x1 (10 classes); conditions: low-resolution"
        + " x4 (bicubic) of each target, 8x8x1 (10 classes)", pairs.describe());

    float[] target = new float[32 * 32];
    float[] picture = new float[32 * 32];
    float[] condition = new float[64];
    for (int i : new int[] {0, 1234, 9999}) {
      pairs.read(i, 7, target, 0);
      embedded.read(i, picture, 0);
      assertArrayEquals(picture, target);
      conditions.images().read(i, 7, condition, 0);
      float[] expected = new float[64];
      new LowResolution(4, LowResolution.BICUBIC, 32, 32).condition(picture, pairs.spec(), new SplittableRandom(0),
          expected, 0);
      assertArrayEquals(expected, condition);
      assertEquals(embedded.label(i), pairs.label(i));
      assertEquals(embedded.label(i), conditions.images().label(i));
    }
  }

  @Test
  void trainAndHeldOutPartsAreTheFirstAndTheLastSamplesInFileOrder() throws IOException {
    Dataset train = open(Map.of("pairing", "edges", "part", "train", "held_out", 300));
    Dataset heldOut = open(Map.of("pairing", "edges", "part", "held-out", "held_out", 300));
    assertEquals(9700, train.size());
    assertEquals(300, heldOut.size());
    assertEquals(9700, train.conditionImages().orElseThrow().images().size());
    assertEquals(300, heldOut.conditionImages().orElseThrow().images().size());
    // Sample i of the parts is sample i, and 9700 + i, of the split: together they are the split, once each.
    assertSameSamples(train, 0, List.of(0, 1, 5000, 9699));
    assertSameSamples(heldOut, 9700, List.of(0, 1, 299));
    assertTrue(train.describe().startsWith("Fashion-MNIST test split (embedded), training part: the first 9700 in file"
        + " order, the last 300 held out: 9700 images"), train.describe());
    assertTrue(heldOut.describe().startsWith("Fashion-MNIST test split (embedded), held-out part: the last 300 in file"
        + " order: 300 images"), heldOut.describe());
    // Every class is in both, the classes being mixed in the file.
    assertEquals(10, IntStream.range(0, heldOut.size()).map(heldOut::label).distinct().count());
  }

  @Test
  void aThousandAreHeldOutByDefault() throws IOException {
    String split = smallSplit(1100);
    assertEquals(1000, open(Map.of("pairing", "masked", "part", "held-out", "path", split)).size());
    assertEquals(100, open(Map.of("pairing", "masked", "part", "train", "path", split)).size());
    assertEquals(1100, open(Map.of("pairing", "masked", "path", split)).size());
  }

  @Test
  void edgeMapsOfThePaddingAreWhite() throws IOException {
    Dataset pairs = open(Map.of("pairing", "edges", "classes", List.of("bag"), "path", smallSplit(40)));
    ConditionImages conditions = pairs.conditionImages().orElseThrow();
    assertEquals(Condition.Images.PAIRED, conditions.kind());
    assertEquals(DataSpec.image(32, 32, 1, 10), conditions.images().spec());
    assertEquals(4, pairs.size());
    float[] edges = new float[32 * 32];
    conditions.images().read(3, edges, 0);
    int lines = 0;
    for (int p = 0; p < edges.length; p++) {
      assertTrue(edges[p] == -1f || edges[p] == 1f, "value " + edges[p]);
      if (p < 32 || p >= 31 * 32 || p % 32 == 0 || p % 32 == 31) {
        assertEquals(1f, edges[p], "border pixel " + p);
      }
      lines += edges[p] == -1f ? 1 : 0;
    }
    assertTrue(lines > 20, lines + " line pixels");
    assertTrue(pairs.describe().contains("; conditions: edges (Sobel, threshold 0.2) of each target, 32x32x1"),
        pairs.describe());
  }

  @Test
  void maskedPairsHaveTheMaskAsOneMoreChannel() throws IOException {
    Dataset pairs = open(Map.of("pairing", "masked", "mask", "centre", "resolution", 28, "path", smallSplit(20)));
    ConditionImages conditions = pairs.conditionImages().orElseThrow();
    assertEquals(Condition.Images.MASKED, conditions.kind());
    assertEquals(DataSpec.image(28, 28, 2, 10), conditions.images().spec());
    assertTrue(pairs.describe().endsWith("; conditions: masked (centre square) of each target, 28x28x2 (10 classes)"),
        pairs.describe());
  }

  @Test
  void everySupportedKeyIsRead() throws IOException {
    Set<String> common = Set.of("path", "split", "resolution", "classes", "limit_per_class", "pairing", "part");
    Map<Map<String, Object>, Set<String>> cases = Map.of(
        Map.of("pairing", "edges", "edge_threshold", 0.5), Set.of("edge_threshold"),
        Map.of("pairing", "low-resolution", "factor", 2, "downsampling", "area"), Set.of("factor", "downsampling"),
        Map.of("pairing", "masked", "mask", "boxes", "part", "train", "held_out", 5), Set.of("mask", "held_out"));
    for (Map.Entry<Map<String, Object>, Set<String>> entry : cases.entrySet()) {
      Map<String, Object> values = new HashMap<>(entry.getKey());
      values.putAll(Map.of("split", "test", "resolution", 28, "classes", List.of(1, 2), "limit_per_class", 4,
          "path", smallSplit(40)));
      Parameters parameters = parameters(values);
      PROVIDER.open(parameters, 0).close();
      Set<String> expected = new TreeSet<>(common);
      expected.addAll(entry.getValue());
      assertEquals(expected, parameters.knownKeys(), values.toString());
      parameters.rejectUnknownKeys();
    }
  }

  @Test
  void parametersOfAnotherPairingAreUnknown() throws IOException {
    Parameters parameters = parameters(Map.of("pairing", "edges", "factor", 2, "path", smallSplit(2)));
    PROVIDER.open(parameters, 0);
    ParameterException e = assertThrows(ParameterException.class, parameters::rejectUnknownKeys);
    assertTrue(e.getMessage().startsWith("dataset 'fashion-mnist-pairs': unknown parameter factor; allowed:"),
        e.getMessage());
  }

  @Test
  void badParametersNameWhatIsAllowed() throws IOException {
    assertRejected(Map.of(), "'pairing' is missing; allowed: edges (an edge map of each image as its sketch),"
        + " low-resolution (each image downsampled), masked (each image with pixels missing)");
    assertRejected(Map.of("pairing", "sketch"), "'pairing' is 'sketch'; allowed: edges, low-resolution, masked");
    assertRejected(Map.of("pairing", "low-resolution", "factor", 8), "'factor' is 8; allowed: 2, 4");
    assertRejected(Map.of("pairing", "masked", "mask", "stripes"), "'mask' is 'stripes'; allowed: boxes, centre");
    assertRejected(Map.of("pairing", "edges", "part", "test"), "'part' is 'test'; allowed: all, train, held-out");
    assertRejected(Map.of("pairing", "edges", "part", "train", "held_out", 0), "'held_out' is 0; allowed: 1 to");
    assertRejected(Map.of("pairing", "edges", "resolution", 30), "'resolution' is 30; allowed: 28 (as stored), 32");
    String small = smallSplit(20);
    assertRejected(Map.of("pairing", "edges", "part", "held-out", "path", small, "held_out", 20),
        "'held_out' is 20 but the data hold 20 samples; allowed: 1 to 19, so that both parts keep samples");
    assertRejected(Map.of("pairing", "edges", "part", "train", "path", small, "classes", List.of(3), "held_out", 2),
        "'held_out' is 2 but the data hold 2 samples; allowed: 1 to 1, so that both parts keep samples");
  }

  private static void assertSameSamples(Dataset part, int first, List<Integer> indices) {
    float[] fromPart = new float[32 * 32];
    float[] fromSplit = new float[32 * 32];
    for (int i : indices) {
      part.read(i, fromPart, 0);
      embedded.read(first + i, fromSplit, 0);
      assertArrayEquals(fromSplit, fromPart, "sample " + i);
      assertEquals(embedded.label(first + i), part.label(i), "label " + i);
    }
  }

  private static void assertRejected(Map<String, ?> values, String message) {
    ParameterException e = assertThrows(ParameterException.class, () -> open(values));
    assertTrue(e.getMessage().startsWith("dataset 'fashion-mnist-pairs': " + message), e.getMessage());
  }

  /** A folder holding a test split of {@code count} images labelled 0 to 9 in turn. */
  private String smallSplit(int count) throws IOException {
    int[] labels = IntStream.range(0, count).map(i -> i % 10).toArray();
    IdxFiles.write(folder.resolve("t10k-images-idx3-ubyte.gz"), IdxFiles.gzip(IdxFiles.images(count, 28, 28)));
    IdxFiles.write(folder.resolve("t10k-labels-idx1-ubyte.gz"), IdxFiles.gzip(IdxFiles.labels(labels)));
    return folder.toString();
  }

  private static Dataset open(Map<String, ?> values) throws IOException {
    return PROVIDER.open(parameters(values), 0);
  }

  private static Parameters parameters(Map<String, ?> values) {
    return new Parameters("dataset 'fashion-mnist-pairs'", values);
  }
}
