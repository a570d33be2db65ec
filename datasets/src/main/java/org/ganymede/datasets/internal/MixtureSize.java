package org.ganymede.datasets.internal;

import org.ganymede.api.Parameters;

/** The {@code size} parameter of the mixture datasets. */
final class MixtureSize {
  static final int DEFAULT = 100_000;
  /** Ten million points take 90 MB, far more than a toy distribution needs. */
  static final int MAX = 10_000_000;

  private MixtureSize() {}

  static int read(Parameters parameters) {
    return parameters.intInRange("size", DEFAULT, 1, MAX);
  }
}
