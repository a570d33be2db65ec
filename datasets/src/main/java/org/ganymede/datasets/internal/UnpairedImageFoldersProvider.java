package org.ganymede.datasets.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ganymede.api.Dataset;
import org.ganymede.api.DatasetProvider;
import org.ganymede.api.ParameterException;
import org.ganymede.api.Parameters;
import org.ganymede.api.Plugins;
import org.osgi.service.component.annotations.Component;

/**
 * Two folders of images as the unpaired domains of image translation (CycleGAN's trainA and
 * trainB), each augmented with its own random crops and flips.
 */
@Component(
    service = DatasetProvider.class,
    property = {
      Plugins.NAME + "=unpaired-image-folders",
      Plugins.DESCRIPTION + "=Two folders of images as unpaired domains A and B, random crops and flips"
    })
public final class UnpairedImageFoldersProvider implements DatasetProvider {

  @Override
  public Dataset open(Parameters parameters, long seed) throws IOException {
    Path a = ImageFolderOptions.folder(parameters, "a");
    Path b = ImageFolderOptions.folder(parameters, "b");
    ImageFolderOptions options = ImageFolderOptions.read(parameters);
    if (Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b)) {
      throw new ParameterException(parameters.owner() + ": 'a' and 'b' are both " + a
          + ", which would put every image in both domains; allowed: two different folders");
    }
    ImageFolder imagesA = options.load(a, "a");
    ImageFolder imagesB = options.load(b, "b");
    int channels = options.channels().orElseGet(() -> sameChannels(parameters, imagesA, imagesB));
    return new UnpairedDataset(options.dataset(imagesA, channels, seed, 0), options.dataset(imagesB, channels, seed, 1));
  }

  /** The channels both folders have; the domains of one model must agree. */
  private static int sameChannels(Parameters parameters, ImageFolder a, ImageFolder b) {
    if (a.channels() != b.channels()) {
      throw new ParameterException(parameters.owner() + ": the images of domain A (" + a.folder() + ") are "
          + kind(a) + " and those of domain B (" + b.folder() + ") " + kind(b) + "; the domains need the"
          + " same channels: set 'channels: 1' to train on grayscale (colour turned to gray) or"
          + " 'channels: 3' to train in colour (gray copied to red, green and blue)");
    }
    return a.channels();
  }

  private static String kind(ImageFolder folder) {
    return folder.channels() == 1 ? "grayscale" : "colour";
  }
}
