package org.ganymede.datasets.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.ganymede.api.Dataset;
import org.ganymede.api.DatasetProvider;
import org.ganymede.api.ParameterException;
import org.ganymede.api.Parameters;
import org.ganymede.api.Plugins;
import org.osgi.service.component.annotations.Component;

/**
 * Fashion-MNIST: 28x28 grayscale pictures of clothing in 10 classes. The 10,000-image test split
 * is embedded in the bundle; the 60,000-image train split comes from a folder.
 */
@Component(
    service = DatasetProvider.class,
    property = {
      Plugins.NAME + "=fashion-mnist",
      Plugins.DESCRIPTION + "=Fashion-MNIST, 28x28 grayscale clothing in 10 classes (test split embedded)"
    })
public final class FashionMnistProvider implements DatasetProvider {
  static final int CLASSES = 10;
  /** Where Debian's package dataset-fashion-mnist installs the four files. */
  static final Path DEBIAN_FOLDER = Path.of("/usr/share/datasets/fashion-mnist");
  private static final String EMBEDDED_FOLDER = "fashion-mnist/";
  private static final int IMAGE_SIZE = 28;
  private static final int PADDED_SIZE = 32;

  @Override
  public Dataset open(Parameters parameters, long seed) throws IOException {
    String path = parameters.stringValue("path", null);
    String split = parameters.choice("split", "test", List.of("train", "test"));
    int resolution = resolution(parameters);
    Set<Integer> classes = classes(parameters);

    String prefix = split.equals("train") ? "train" : "t10k";
    String imagesFile = prefix + "-images-idx3-ubyte.gz";
    String labelsFile = prefix + "-labels-idx1-ubyte.gz";
    Path folder = folder(path, split);
    IdxImages images;
    IdxLabels labels;
    String origin;
    if (folder == null) {
      images = IdxReader.readImages(embedded(imagesFile), "embedded " + EMBEDDED_FOLDER + imagesFile);
      labels = IdxReader.readLabels(embedded(labelsFile), "embedded " + EMBEDDED_FOLDER + labelsFile);
      origin = "Fashion-MNIST " + split + " split (embedded)";
    } else {
      images = IdxReader.readImages(folder.resolve(imagesFile));
      labels = IdxReader.readLabels(folder.resolve(labelsFile));
      origin = "Fashion-MNIST " + split + " split from " + folder;
    }
    requireFashionMnist(images, labels);

    if (classes != null) {
      IdxLabels all = labels;
      int[] kept = IntStream.range(0, all.count()).filter(i -> classes.contains(all.label(i))).toArray();
      if (kept.length == 0) {
        throw new IOException(labels.source() + ": holds no sample of the classes " + classes);
      }
      images = images.select(kept);
      labels = labels.select(kept);
      origin += ", classes " + classes.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }
    return new ImageDataset(origin, images, labels, CLASSES, resolution);
  }

  private static int resolution(Parameters parameters) {
    int resolution = parameters.intValue("resolution", PADDED_SIZE);
    if (resolution != IMAGE_SIZE && resolution != PADDED_SIZE) {
      throw new ParameterException(parameters.owner() + ": 'resolution' is " + resolution
          + "; allowed: " + IMAGE_SIZE + " (as stored), " + PADDED_SIZE + " (padded with background)");
    }
    return resolution;
  }

  /**
   * The class ids to keep, or null for all. Parameters has no getter for lists, so the raw value
   * is read after {@link Parameters#has}, which marks the key as known.
   */
  private static Set<Integer> classes(Parameters parameters) {
    if (!parameters.has("classes")) {
      return null;
    }
    Object value = parameters.asMap().get("classes");
    List<?> items = value instanceof List<?> list ? list : Collections.singletonList(value);
    String allowed = "; allowed: a list of class ids from 0 to " + (CLASSES - 1);
    if (items.isEmpty()) {
      throw new ParameterException(parameters.owner() + ": 'classes' is empty" + allowed);
    }
    Set<Integer> ids = new TreeSet<>();
    for (Object item : items) {
      if (!(item instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())
          || n.doubleValue() < 0 || n.doubleValue() >= CLASSES) {
        throw new ParameterException(parameters.owner() + ": 'classes' contains '" + item + "'" + allowed);
      }
      ids.add(n.intValue());
    }
    return ids;
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

  private InputStream embedded(String file) throws IOException {
    InputStream in = getClass().getResourceAsStream(EMBEDDED_FOLDER + file);
    if (in == null) {
      throw new IOException("the bundle lacks its embedded file " + EMBEDDED_FOLDER + file);
    }
    return in;
  }

  private static void requireFashionMnist(IdxImages images, IdxLabels labels) throws IOException {
    IdxReader.requireSameCount(images, labels);
    if (images.rows() != IMAGE_SIZE || images.columns() != IMAGE_SIZE) {
      throw new IOException(images.source() + ": holds " + images.rows() + "x" + images.columns()
          + " images; Fashion-MNIST images are " + IMAGE_SIZE + "x" + IMAGE_SIZE);
    }
    if (labels.max() >= CLASSES) {
      throw new IOException(labels.source() + ": holds label " + labels.max()
          + "; Fashion-MNIST labels are 0 to " + (CLASSES - 1));
    }
  }
}
