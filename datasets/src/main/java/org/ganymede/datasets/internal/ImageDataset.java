package org.ganymede.datasets.internal;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.ganymede.api.DataSpec;
import org.ganymede.api.Dataset;

/**
 * Grayscale images held as bytes and turned into floats in [-1, 1] on read, centred on a square
 * canvas of the background value -1 when the resolution is larger than the images. Immutable,
 * so reads are thread-safe.
 */
final class ImageDataset implements Dataset {
  private static final float BACKGROUND = -1f;

  private final IdxImages images;
  private final IdxLabels labels;
  private final DataSpec spec;
  private final int top;
  private final int left;
  private final String origin;
  private final List<String> classNames;

  /**
   * @param origin what the images are, for {@link #describe()} (e.g. {@code Fashion-MNIST test split})
   * @param labels the labels, or null when the images carry none
   * @param classes the number of classes the labels come from, 0 without labels
   * @param resolution the height and width of a sample, at least those of the images
   */
  ImageDataset(String origin, IdxImages images, IdxLabels labels, int classes, int resolution) {
    this(origin, images, labels, classes, resolution, null);
  }

  /** @param classNames a name for each class id, or null for the ids themselves */
  ImageDataset(String origin, IdxImages images, IdxLabels labels, int classes, int resolution, List<String> classNames) {
    if (resolution < images.rows() || resolution < images.columns()) {
      throw new IllegalArgumentException("resolution " + resolution + " is smaller than the images, "
          + images.rows() + "x" + images.columns());
    }
    if (labels != null && labels.count() != images.count()) {
      throw new IllegalArgumentException(images.count() + " images but " + labels.count() + " labels");
    }
    this.origin = origin;
    this.images = images;
    this.labels = labels;
    this.spec = DataSpec.image(resolution, resolution, 1, labels == null ? 0 : classes);
    this.classNames = classNames == null || labels == null ? null : List.copyOf(classNames);
    this.top = (resolution - images.rows()) / 2;
    this.left = (resolution - images.columns()) / 2;
  }

  @Override
  public DataSpec spec() {
    return spec;
  }

  @Override
  public int size() {
    return images.count();
  }

  @Override
  public void read(int index, float[] target, int offset) {
    Objects.checkIndex(index, images.count());
    int width = spec.width();
    Arrays.fill(target, offset, offset + spec.sampleSize(), BACKGROUND);
    byte[] pixels = images.pixels();
    int columns = images.columns();
    int source = index * images.imageSize();
    for (int row = 0; row < images.rows(); row++) {
      int destination = offset + (top + row) * width + left;
      for (int column = 0; column < columns; column++) {
        target[destination + column] = PixelValues.of(pixels[source++]);
      }
    }
  }

  @Override
  public int label(int index) {
    Objects.checkIndex(index, images.count());
    return labels == null ? -1 : labels.label(index);
  }

  @Override
  public List<String> classNames() {
    return classNames == null ? Dataset.super.classNames() : classNames;
  }

  @Override
  public String describe() {
    return origin + ": " + size() + " images, " + spec;
  }
}
