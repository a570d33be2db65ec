package org.ganymede.datasets.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.ganymede.api.DataSpec;
import org.ganymede.api.Dataset;
import org.ganymede.api.ParameterException;
import org.ganymede.api.Parameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxProviderTest {
  private final IdxProvider provider = new IdxProvider();
  @TempDir Path folder;

  @Test
  void imagesAloneKeepTheirSizeAndCarryNoLabels() throws IOException {
    Path images = IdxFiles.write(folder.resolve("digits-images.idx"), IdxFiles.images(4, 6, 6));
    Dataset dataset = open(Map.of("images", images.toString()));

    assertEquals(DataSpec.image(6, 6, 1, 0), dataset.spec());
    assertEquals(4, dataset.size());
    assertEquals(-1, dataset.label(0));
    float[] sample = new float[36];
    dataset.read(3, sample, 0);
    assertEquals(3 / 127.5f - 1, sample[0]);
    assertEquals(38 / 127.5f - 1, sample[35]);
    assertEquals("IDX images " + images + ": 4 images, 6x6x1", dataset.describe());
  }

  @Test
  void labelsGiveTheClassCountAndResolutionPadsAroundTheCentre() throws IOException {
    Path images = IdxFiles.write(folder.resolve("images.gz"), IdxFiles.gzip(IdxFiles.images(3, 2, 2)));
    Path labels = IdxFiles.write(folder.resolve("labels.gz"), IdxFiles.gzip(IdxFiles.labels(0, 4, 2)));
    Parameters parameters = parameters(Map.of("images", images.toString(), "labels", labels.toString(), "resolution", 4));
    Dataset dataset = provider.open(parameters, 0);
    parameters.rejectUnknownKeys();

    assertEquals(DataSpec.image(4, 4, 1, 5), dataset.spec());
    assertEquals(4, dataset.label(1));
    float[] sample = new float[16];
    dataset.read(0, sample, 0);
    float background = -1;
    float[] expected = {
      background, background, background, background,
      background, -1, 1 / 127.5f - 1, background,
      background, 2 / 127.5f - 1, 3 / 127.5f - 1, background,
      background, background, background, background
    };
    for (int i = 0; i < 16; i++) {
      assertEquals(expected[i], sample[i], 1e-7, "pixel " + i);
    }
  }

  @Test
  void mismatchedLabelsNameBothFiles() throws IOException {
    Path images = IdxFiles.write(folder.resolve("images.idx"), IdxFiles.images(3, 2, 2));
    Path labels = IdxFiles.write(folder.resolve("labels.idx"), IdxFiles.labels(1, 2, 3, 4));
    IOException e = assertThrows(IOException.class,
        () -> open(Map.of("images", images.toString(), "labels", labels.toString())));
    assertTrue(e.getMessage().contains(images + " holds 3 images but " + labels + " holds 4 labels"), e.getMessage());
  }

  @Test
  void badParametersNameWhatIsAllowed() throws IOException {
    Path images = IdxFiles.write(folder.resolve("images.idx"), IdxFiles.images(1, 28, 28));
    ParameterException small = assertThrows(ParameterException.class,
        () -> open(Map.of("images", images.toString(), "resolution", 20)));
    assertEquals("dataset 'idx': 'resolution' is 20; allowed: 28 (the size of the images in " + images + ") to 1024",
        small.getMessage());

    ParameterException missing = assertThrows(ParameterException.class, () -> open(Map.of()));
    assertEquals("dataset 'idx': 'images' is missing; it must be the path of an IDX image file", missing.getMessage());
  }

  private Dataset open(Map<String, ?> values) throws IOException {
    return provider.open(parameters(values), 0);
  }

  private static Parameters parameters(Map<String, ?> values) {
    return new Parameters("dataset 'idx'", values);
  }
}
