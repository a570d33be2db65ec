package org.ganymede.datasets.internal;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Pairs of images as files hold them, each side loaded as a {@link SquareImage} at the same side:
 * two folders whose files pair by name, or one folder of side-by-side images as pix2pix's datasets
 * store them, the two images of a pair side by side in one file (A on the left, B on the right).
 * The two images of a pair must be the same size, so that they line up pixel for pixel once
 * scaled and cropped alike.
 *
 * @param conditions the condition of each pair, in the order of the file names
 * @param targets the target of each pair, in the same order
 */
record ImagePairs(ImageFolder conditions, ImageFolder targets) {
  /** The most names a message lists; it counts the rest. */
  private static final int LISTED = 5;

  /**
   * The images of {@code conditionFolder} and {@code targetFolder} paired by their names without
   * the extension ({@code shoe-1.png} with {@code shoe-1.jpg}), named by the parameters
   * {@code conditions} and {@code targets}.
   */
  static ImagePairs byName(Path conditionFolder, Path targetFolder, int side) throws IOException {
    Map<String, Path> conditions = byBaseName(conditionFolder, "conditions");
    Map<String, Path> targets = byBaseName(targetFolder, "targets");
    Set<String> conditionsOnly = new TreeSet<>(conditions.keySet());
    conditionsOnly.removeAll(targets.keySet());
    Set<String> targetsOnly = new TreeSet<>(targets.keySet());
    targetsOnly.removeAll(conditions.keySet());
    if (!conditionsOnly.isEmpty() || !targetsOnly.isEmpty()) {
      throw new IOException(conditionFolder + " and " + targetFolder + ": "
          + count(conditionsOnly.size() + targetsOnly.size(), "image has", "images have") + " no pair: "
          + only("conditions", conditionsOnly) + (conditionsOnly.isEmpty() || targetsOnly.isEmpty() ? "" : "; ")
          + only("targets", targetsOnly) + "; a condition and its target are files of the same name, whatever their"
          + " extensions, one in each folder");
    }
    List<String> names = List.copyOf(conditions.keySet());
    List<LoadedPair> pairs = inParallel(names, name -> {
      BufferedImage condition = SquareImage.decode(conditions.get(name));
      BufferedImage target = SquareImage.decode(targets.get(name));
      if (condition.getWidth() != target.getWidth() || condition.getHeight() != target.getHeight()) {
        return LoadedPair.problem(name + " (condition " + size(condition) + ", target " + size(target) + ")");
      }
      return new LoadedPair(SquareImage.of(condition, side), SquareImage.of(target, side), null);
    });
    requireNoProblem(pairs, conditionFolder + " and " + targetFolder + ": ", "pair's images differ",
        "pairs' images differ", " in size; the two images of a pair must have the same width and height, so that"
            + " they line up pixel for pixel");
    return of(conditionFolder, targetFolder, side, pairs);
  }

  /**
   * The images of {@code folder}, named by the parameter {@code folder}, each cut into its left and
   * right half.
   *
   * @param conditionLeft whether the left halves are the conditions, rather than the right
   */
  static ImagePairs sideBySide(Path folder, boolean conditionLeft, int side) throws IOException {
    List<Path> files = ImageFolder.list(folder, "folder");
    List<LoadedPair> pairs = inParallel(files, file -> {
      BufferedImage image = SquareImage.decode(file);
      int half = image.getWidth() / 2;
      if (image.getWidth() % 2 != 0) {
        return LoadedPair.problem(file.getFileName() + " (" + size(image) + ")");
      }
      SquareImage left = SquareImage.of(image.getSubimage(0, 0, half, image.getHeight()), side);
      SquareImage right = SquareImage.of(image.getSubimage(half, 0, half, image.getHeight()), side);
      return conditionLeft ? new LoadedPair(left, right, null) : new LoadedPair(right, left, null);
    });
    requireNoProblem(pairs, folder + ": ", "image is", "images are", " of an odd width, which does not cut into two"
        + " halves; side-by-side images hold a condition and its target side by side, each half of the width");
    return of(folder, folder, side, pairs);
  }

  private static ImagePairs of(Path conditionFolder, Path targetFolder, int side, List<LoadedPair> pairs) {
    return new ImagePairs(
        new ImageFolder(conditionFolder, side, pairs.stream().map(LoadedPair::condition).toList()),
        new ImageFolder(targetFolder, side, pairs.stream().map(LoadedPair::target).toList()));
  }

  /** The image files of {@code folder} by their names without the extension, in name order. */
  private static Map<String, Path> byBaseName(Path folder, String parameter) throws IOException {
    Map<String, List<Path>> byName = new TreeMap<>();
    for (Path file : ImageFolder.list(folder, parameter)) {
      String name = file.getFileName().toString();
      byName.computeIfAbsent(name.substring(0, name.lastIndexOf('.')), n -> new ArrayList<>()).add(file);
    }
    List<String> ambiguous = byName.values().stream().filter(files -> files.size() > 1)
        .map(files -> files.stream().map(f -> f.getFileName().toString()).collect(Collectors.joining(" and ")))
        .toList();
    if (!ambiguous.isEmpty()) {
      throw new IOException(folder + ": " + count(ambiguous.size(), "name is", "names are") + " given to more than"
          + " one image: " + listed(ambiguous) + "; a pair is found by the name without its extension, so each name"
          + " names one image");
    }
    Map<String, Path> files = new TreeMap<>();
    byName.forEach((name, named) -> files.put(name, named.get(0)));
    return files;
  }

  private static void requireNoProblem(List<LoadedPair> pairs, String prefix, String one, String many,
      String explanation) throws IOException {
    List<String> problems = pairs.stream().map(LoadedPair::problem).filter(Objects::nonNull).toList();
    if (!problems.isEmpty()) {
      throw new IOException(prefix + count(problems.size(), one, many) + explanation + ": " + listed(problems));
    }
  }

  /** Loads in parallel, in the order of {@code items}, as {@link ImageFolder#load} does. */
  private static <T> List<LoadedPair> inParallel(List<T> items, Loader<T> loader) throws IOException {
    Function<T, LoadedPair> unchecked = item -> {
      try {
        return loader.load(item);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };
    try {
      return items.parallelStream().map(unchecked).toList();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private static String only(String folder, Set<String> names) {
    return names.isEmpty() ? "" : "in " + folder + " only " + listed(List.copyOf(names));
  }

  /** The first few of {@code names} and how many more there are. */
  private static String listed(List<String> names) {
    String first = String.join(", ", names.subList(0, Math.min(LISTED, names.size())));
    return names.size() > LISTED ? first + " and " + (names.size() - LISTED) + " more" : first;
  }

  private static String count(int count, String one, String many) {
    return count + " " + (count == 1 ? one : many);
  }

  private static String size(BufferedImage image) {
    return image.getWidth() + "x" + image.getHeight();
  }

  private interface Loader<T> {
    LoadedPair load(T item) throws IOException;
  }

  /** The two sides of one pair, or what is wrong with it. */
  private record LoadedPair(SquareImage condition, SquareImage target, String problem) {
    static LoadedPair problem(String problem) {
      return new LoadedPair(null, null, problem);
    }
  }
}
