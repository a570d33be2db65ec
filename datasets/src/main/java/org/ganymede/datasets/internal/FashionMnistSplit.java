package org.ganymede.datasets.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.ganymede.api.ParameterException;
import org.ganymede.api.Parameters;

/**
 * One split of Fashion-MNIST, read and checked: the test split embedded in the bundle, the train
 * split from Debian's folder, or either from the folder {@code path} names. Shared by the datasets
 * that read Fashion-MNIST, with the parameters they have in common.
 *
 * @param origin what the images are, for descriptions (e.g. {@code Fashion-MNIST test split (embedded)})
 */
record FashionMnistSplit(String origin, IdxImages images, IdxLabels labels) {
  /** Where Debian's package dataset-fashion-mnist installs the four files. */
  static final Path DEBIAN_FOLDER = Path.of("/usr/share/datasets/fashion-mnist");
  private static final String EMBEDDED_FOLDER = "fashion-mnist/";
  private static final int IMAGE_SIZE = 28;
  private static final int PADDED_SIZE = 32;

  /** Reads the split that the parameters {@code split} (test or train) and {@code path} name. */
  static FashionMnistSplit read(Parameters parameters) throws IOException {
    String path = parameters.stringValue("path", null);
    String split = parameters.choice("split", "test", List.of("train", "test"));

    String prefix = split.equals("train") ? "train" : "t10k";
    String imagesFile = prefix + "-images-idx3-ubyte.gz";
    String labelsFile = prefix + "-labels-idx1-ubyte.gz";
    Path folder = folder(path, split);
    FashionMnistSplit read;
    if (folder == null) {
      read = new FashionMnistSplit("Fashion-MNIST " + split + " split (embedded)",
          IdxReader.readImages(embedded(imagesFile), "embedded " + EMBEDDED_FOLDER + imagesFile),
          IdxReader.readLabels(embedded(labelsFile), "embedded " + EMBEDDED_FOLDER + labelsFile));
    } else {
      read = new FashionMnistSplit("Fashion-MNIST " + split + " split from " + folder,
          IdxReader.readImages(folder.resolve(imagesFile)), IdxReader.readLabels(folder.resolve(labelsFile)));
    }
    read.requireFashionMnist();
    return read;
  }

  /** The {@code resolution} parameter: 28, the images as stored, or 32, padded with background. */
  static int resolution(Parameters parameters) {
    int resolution = parameters.intValue("resolution", PADDED_SIZE);
    if (resolution != IMAGE_SIZE && resolution != PADDED_SIZE) {
      throw new ParameterException(parameters.owner() + ": 'resolution' is " + resolution
          + "; allowed: " + IMAGE_SIZE + " (as stored), " + PADDED_SIZE + " (padded with background)");
    }
    return resolution;
  }

  /** The samples of {@code classes} only, in their order in the split; labels keep their ids. */
  FashionMnistSplit select(Set<Integer> classes) throws IOException {
    int[] kept = IntStream.range(0, labels.count()).filter(i -> classes.contains(labels.label(i))).toArray();
    if (kept.length == 0) {
      throw new IOException(labels.source() + ": holds no sample of the classes " + classes);
    }
    String which = classes.stream().sorted().map(FashionMnistClasses::describe).collect(Collectors.joining(", "));
    return new FashionMnistSplit(origin + (classes.size() == 1 ? ", class " : ", classes ") + which,
        images.select(kept), labels.select(kept));
  }

  /**
   * The first {@code count} samples of each class, in their order in the split: a small labelled
   * set, as when labels are scarce.
   */
  FashionMnistSplit firstOfEachClass(int count) throws IOException {
    int[] taken = new int[FashionMnistClasses.COUNT];
    int[] kept = IntStream.range(0, labels.count()).filter(i -> taken[labels.label(i)]++ < count).toArray();
    for (int c = 0; c < taken.length; c++) {
      if (taken[c] > 0 && taken[c] < count) {
        throw new IOException(labels.source() + ": holds " + taken[c] + " samples of class "
            + FashionMnistClasses.describe(c) + ", fewer than limit_per_class " + count);
      }
    }
    return new FashionMnistSplit(origin + ", the first " + count + " of each class", images.select(kept),
        labels.select(kept));
  }

  int count() {
    return labels.count();
  }

  /**
   * Samples {@code from} to {@code to} - 1 in their order in the split, {@code what} added to the
   * origin (e.g. {@code the last 1000 in file order}).
   */
  FashionMnistSplit range(int from, int to, String what) {
    int[] kept = IntStream.range(from, to).toArray();
    return new FashionMnistSplit(origin + ", " + what, images.select(kept), labels.select(kept));
  }

  /** The split as a dataset of {@code resolution} x {@code resolution} images labelled with their class. */
  ImageDataset dataset(int resolution) {
    return new ImageDataset(origin, images, labels, FashionMnistClasses.COUNT, resolution, FashionMnistClasses.names());
  }

  /** The folder to read from, or null for the files embedded in the bundle. */
  private static Path folder(String path, String split) throws IOException {
    if (path != null) {
      Path folder = Path.of(path);
      if (!Files.isDirectory(folder)) {
        throw new IOException(folder + ": not a folder; 'path' must name the folder that holds the"
            + " Fashion-MNIST files");
      }
      return folder;
    }
    if (split.equals("test")) {
      return null;
    }
    if (Files.isDirectory(DEBIAN_FOLDER)) {
      return DEBIAN_FOLDER;
    }
    throw new IOException("the 60,000-image train split of Fashion-MNIST is not embedded in the bundle"
        + " and " + DEBIAN_FOLDER + " does not exist: install Debian's package dataset-fashion-mnist,"
        + " or give 'path', a folder holding train-images-idx3-ubyte.gz and train-labels-idx1-ubyte.gz");
  }

  private static InputStream embedded(String file) throws IOException {
    InputStream in = FashionMnistSplit.class.getResourceAsStream(EMBEDDED_FOLDER + file);
    if (in == null) {
      throw new IOException("the bundle lacks its embedded file " + EMBEDDED_FOLDER + file);
    }
    return in;
  }

  private void requireFashionMnist() throws IOException {
    IdxReader.requireSameCount(images, labels);
    if (images.rows() != IMAGE_SIZE || images.columns() != IMAGE_SIZE) {
      throw new IOException(images.source() + ": holds " + images.rows() + "x" + images.columns()
          + " images; Fashion-MNIST images are " + IMAGE_SIZE + "x" + IMAGE_SIZE);
    }
    if (labels.max() >= FashionMnistClasses.COUNT) {
      throw new IOException(labels.source() + ": holds label " + labels.max()
          + "; Fashion-MNIST labels are 0 to " + (FashionMnistClasses.COUNT - 1));
    }
  }
}
