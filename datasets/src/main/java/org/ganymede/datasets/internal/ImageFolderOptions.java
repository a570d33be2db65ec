package org.ganymede.datasets.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.OptionalInt;
import org.ganymede.api.ParameterException;
import org.ganymede.api.Parameters;

/**
 * The parameters the image-folder datasets share, checked.
 *
 * @param size the side of a training sample, cut at random from the loaded square
 * @param loadSize the side of the square each image is scaled and centre-cropped to when loaded
 * @param flip whether training draws flip horizontally with probability 1/2
 * @param channels 1 or 3, or empty to follow the images
 * @param jitter the colour jitter of training draws
 */
record ImageFolderOptions(int size, int loadSize, boolean flip, OptionalInt channels, ColorJitter jitter) {
  static final int DEFAULT_SIZE = 64;
  /** Beyond this a single sample takes megabytes, more than a GAN batch of this workbench needs. */
  static final int MAX_SIZE = 1024;
  /** Room for the largest size with the default margin. */
  static final int MAX_LOAD_SIZE = 2048;

  static ImageFolderOptions read(Parameters parameters) {
    int size = parameters.intInRange("size", DEFAULT_SIZE, 1, MAX_SIZE);
    int loadSize = parameters.intInRange("load_size", defaultLoadSize(size), 1, MAX_LOAD_SIZE);
    if (size > loadSize) {
      throw new ParameterException(parameters.owner() + ": 'size' is " + size + " and 'load_size' " + loadSize
          + "; samples are cut from the loaded square, so allowed: a 'size' of at most 'load_size' (which"
          + " defaults to size * 286 / 256)");
    }
    boolean flip = parameters.booleanValue("flip", true);
    OptionalInt channels = OptionalInt.empty();
    if (parameters.has("channels")) {
      int value = parameters.intValue("channels", 0);
      if (value != 1 && value != 3) {
        throw new ParameterException(parameters.owner() + ": 'channels' is " + value
            + "; allowed: 1 (grayscale), 3 (RGB), or no 'channels' to follow the images");
      }
      channels = OptionalInt.of(value);
    }
    return new ImageFolderOptions(size, loadSize, flip, channels, ColorJitter.read(parameters));
  }

  /** The CycleGAN reference loads 286 pixels for a 256-pixel crop; the same margin at every size. */
  static int defaultLoadSize(int size) {
    return (int) Math.round(size * 286.0 / 256);
  }

  /** The folder parameter {@code key} names; it must be given. */
  static Path folder(Parameters parameters, String key) {
    String path = parameters.stringValue(key, null);
    if (path == null) {
      throw new ParameterException(parameters.owner() + ": '" + key + "' is missing; it must name a folder of"
          + " images");
    }
    return Path.of(path);
  }

  /** Loads {@code folder}, named by the parameter {@code key}, at the load size. */
  ImageFolder load(Path folder, String key) throws IOException {
    return ImageFolder.load(folder, key, loadSize);
  }

  /** The images of {@code folder} as a dataset with {@code channels} channels. */
  AugmentedImageDataset dataset(ImageFolder folder, int channels, long seed, int domain) throws IOException {
    return dataset("image folder " + folder.folder(), folder, channels, seed, domain);
  }

  /**
   * The images of {@code folder} as a dataset described as {@code origin}. Two datasets of the same
   * options, seed and domain crop and flip a draw alike: the two halves of pairs.
   */
  AugmentedImageDataset dataset(String origin, ImageFolder folder, int channels, long seed, int domain)
      throws IOException {
    return new AugmentedImageDataset(origin, folder.pack(channels), size, flip, jitter, seed, domain);
  }
}
