package org.ganymede.datasets.internal;

import java.io.IOException;
import java.nio.file.Path;
import org.ganymede.api.Dataset;
import org.ganymede.api.DatasetProvider;
import org.ganymede.api.Parameters;
import org.ganymede.api.Plugins;
import org.osgi.service.component.annotations.Component;

/** The images of one folder, any size, as square samples with random crops and flips. */
@Component(
    service = DatasetProvider.class,
    property = {
      Plugins.NAME + "=image-folder",
      Plugins.DESCRIPTION + "=PNG, JPEG, BMP and GIF images of a folder as squares, random crops and flips"
    })
public final class ImageFolderProvider implements DatasetProvider {

  @Override
  public Dataset open(Parameters parameters, long seed) throws IOException {
    Path path = ImageFolderOptions.folder(parameters, "path");
    ImageFolderOptions options = ImageFolderOptions.read(parameters);
    ImageFolder folder = options.load(path, "path");
    return options.dataset(folder, options.channels().orElse(folder.channels()), seed, 0);
  }
}
