package org.ganymede.datasets.internal;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** Fashion-MNIST's ten class ids and the names experiments may give instead. */
final class FashionMnistClasses {
  static final int COUNT = 10;
  static final int SNEAKER = 7;
  static final int ANKLE_BOOT = 9;
  /** By id; the dataset's own names shortened to one lower-case word each ("T-shirt/top" is t-shirt). */
  private static final List<String> NAMES = List.of(
      "t-shirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle-boot");

  private FashionMnistClasses() {}

  /** The names by id. */
  static List<String> names() {
    return NAMES;
  }

  static String name(int id) {
    return NAMES.get(id);
  }

  /** {@code 7 (sneaker)}, for messages and descriptions. */
  static String describe(int id) {
    return id + " (" + name(id) + ")";
  }

  /** The class {@code value} names, as an id from 0 to 9 or a name in any case; -1 when it names none. */
  static int parse(String value) {
    String trimmed = value.trim();
    if (trimmed.matches("[0-9]")) {
      return Integer.parseInt(trimmed);
    }
    return NAMES.indexOf(trimmed.toLowerCase(Locale.ROOT));
  }

  /** What {@link #parse} accepts, for messages: {@code 0 t-shirt, 1 trouser, ...}. */
  static String allowed() {
    return IntStream.range(0, COUNT).mapToObj(id -> id + " " + name(id)).collect(Collectors.joining(", "));
  }
}
