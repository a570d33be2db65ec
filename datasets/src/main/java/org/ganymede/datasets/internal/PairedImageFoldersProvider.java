package org.ganymede.datasets.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.ganymede.api.Condition;
import org.ganymede.api.Dataset;
import org.ganymede.api.DatasetProvider;
import org.ganymede.api.ParameterException;
import org.ganymede.api.Parameters;
import org.ganymede.api.Plugins;
import org.osgi.service.component.annotations.Component;

/**
 * Pairs of a condition image and a target from files, with the image-folder dataset's random crops
 * and flips applied alike to both images of a pair: two folders, {@code conditions} and
 * {@code targets}, whose files pair by name; one {@code folder} of side-by-side images as pix2pix's
 * datasets store them (each file A|B, the condition on the {@code condition} side); or one
 * {@code folder} of targets whose conditions a {@code pairing} computes from them (low-resolution
 * versions of one's own photos, say).
 */
@Component(
    service = DatasetProvider.class,
    property = {
      Plugins.NAME + "=paired-image-folders",
      Plugins.CONDITIONS + "=image",
      Plugins.DESCRIPTION + "=Pairs of images: two folders paired by file name, side-by-side A|B images, or one"
          + " folder with computed conditions; random crops and flips alike on both"
    })
public final class PairedImageFoldersProvider implements DatasetProvider {
  static final String LEFT = "left";
  static final String RIGHT = "right";
  /** The three ways of giving pairs, for messages. */
  private static final String WAYS = "'conditions' and 'targets', two folders whose files pair by name; 'folder', a"
      + " folder of side-by-side images ('condition' " + LEFT + " or " + RIGHT + "); or 'folder' with 'pairing' ("
      + String.join(", ", Pairing.NAMES) + "), a folder of targets whose conditions are computed from them";

  @Override
  public Dataset open(Parameters parameters, long seed) throws IOException {
    boolean oneFolder = parameters.has("folder");
    boolean twoFolders = parameters.has("conditions") || parameters.has("targets");
    if (oneFolder && twoFolders) {
      throw new ParameterException(parameters.owner() + ": 'folder' and 'conditions' or 'targets' are both given;"
          + " allowed: one of " + WAYS);
    }
    if (!oneFolder && !twoFolders) {
      throw new ParameterException(parameters.owner() + ": no images are given; allowed: " + WAYS);
    }
    return oneFolder ? openFolder(parameters, seed) : openTwoFolders(parameters, seed);
  }

  private static Dataset openTwoFolders(Parameters parameters, long seed) throws IOException {
    Path conditions = ImageFolderOptions.folder(parameters, "conditions");
    Path targets = ImageFolderOptions.folder(parameters, "targets");
    if (parameters.has("pairing")) {
      throw new ParameterException(parameters.owner() + ": 'pairing' computes conditions from the images of one"
          + " 'folder', and 'conditions' gives them as images; allowed: " + WAYS);
    }
    ImageFolderOptions options = ImageFolderOptions.read(parameters);
    if (Files.exists(conditions) && Files.exists(targets) && Files.isSameFile(conditions, targets)) {
      throw new ParameterException(parameters.owner() + ": 'conditions' and 'targets' are both " + conditions
          + ", which would pair every image with itself; allowed: two different folders");
    }
    ImagePairs pairs = ImagePairs.byName(conditions, targets, options.loadSize());
    return paired(options, pairs, "image folder " + conditions, "image folder " + targets, seed);
  }

  private static Dataset openFolder(Parameters parameters, long seed) throws IOException {
    Path folder = ImageFolderOptions.folder(parameters, "folder");
    if (parameters.has("pairing")) {
      if (parameters.has("condition")) {
        throw new ParameterException(parameters.owner() + ": 'condition' picks a half of side-by-side images, and"
            + " 'pairing' computes conditions from whole images; allowed: " + WAYS);
      }
      ImageFolderOptions options = ImageFolderOptions.read(parameters);
      Pairing pairing = Pairing.read(parameters, options.size(), options.size());
      ImageFolder targets = options.load(folder, "folder");
      return DerivedPairs.of(options.dataset(targets, options.channels().orElse(targets.channels()), seed, 0),
          pairing, seed);
    }
    boolean conditionLeft = parameters.choice("condition", LEFT, List.of(LEFT, RIGHT)).equals(LEFT);
    ImageFolderOptions options = ImageFolderOptions.read(parameters);
    ImagePairs pairs = ImagePairs.sideBySide(folder, conditionLeft, options.loadSize());
    String left = "left halves of image folder " + folder;
    String right = "right halves of image folder " + folder;
    return paired(options, pairs, conditionLeft ? left : right, conditionLeft ? right : left, seed);
  }

  /**
   * Both sides as datasets of the same options, seed and domain, so that a draw crops and flips
   * them alike; each side keeps its own channels unless {@code channels} sets them.
   */
  private static Dataset paired(ImageFolderOptions options, ImagePairs pairs, String conditionOrigin,
      String targetOrigin, long seed) throws IOException {
    ImageFolder conditions = pairs.conditions();
    ImageFolder targets = pairs.targets();
    return new PairedDataset(
        options.dataset(targetOrigin, targets, options.channels().orElse(targets.channels()), seed, 0),
        options.dataset(conditionOrigin, conditions, options.channels().orElse(conditions.channels()), seed, 0),
        Condition.Images.PAIRED);
  }
}
