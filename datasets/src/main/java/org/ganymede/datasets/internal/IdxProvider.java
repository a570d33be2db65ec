package org.ganymede.datasets.internal;

import java.io.IOException;
import java.nio.file.Path;
import org.ganymede.api.Dataset;
import org.ganymede.api.DatasetProvider;
import org.ganymede.api.ParameterException;
import org.ganymede.api.Parameters;
import org.ganymede.api.Plugins;
import org.osgi.service.component.annotations.Component;

/** Any grayscale IDX image file (MNIST, EMNIST, KMNIST, ...), with an optional IDX label file. */
@Component(
    service = DatasetProvider.class,
    property = {
      Plugins.NAME + "=idx",
      Plugins.CONDITIONS + "=class",
      Plugins.DESCRIPTION + "=Grayscale images from an IDX file (the MNIST format), labels optional"
    })
public final class IdxProvider implements DatasetProvider {
  /** Beyond this a single sample takes megabytes, more than a GAN batch of this workbench needs. */
  static final int MAX_RESOLUTION = 1024;

  @Override
  public Dataset open(Parameters parameters, long seed) throws IOException {
    String imagesPath = parameters.stringValue("images", null);
    if (imagesPath == null) {
      throw new ParameterException(parameters.owner()
          + ": 'images' is missing; it must be the path of an IDX image file");
    }
    String labelsPath = parameters.stringValue("labels", null);
    // The default resolution and the smallest allowed one are the images' size, known after reading.
    Integer requested = parameters.has("resolution") ? parameters.intValue("resolution", 0) : null;

    IdxImages images = IdxReader.readImages(Path.of(imagesPath));
    int size = Math.max(images.rows(), images.columns());
    if (size > MAX_RESOLUTION) {
      throw new IOException(images.source() + ": holds " + images.rows() + "x" + images.columns()
          + " images; this dataset supports at most " + MAX_RESOLUTION + "x" + MAX_RESOLUTION);
    }
    int resolution = requested == null ? size : requested;
    if (resolution < size || resolution > MAX_RESOLUTION) {
      throw new ParameterException(parameters.owner() + ": 'resolution' is " + resolution + "; allowed: "
          + size + " (the size of the images in " + images.source() + ") to " + MAX_RESOLUTION);
    }
    if (labelsPath == null) {
      return new ImageDataset("IDX images " + images.source(), images, null, 0, resolution);
    }
    IdxLabels labels = IdxReader.readLabels(Path.of(labelsPath));
    IdxReader.requireSameCount(images, labels);
    return new ImageDataset("IDX images " + images.source() + " with labels " + labels.source(),
        images, labels, labels.max() + 1, resolution);
  }
}
