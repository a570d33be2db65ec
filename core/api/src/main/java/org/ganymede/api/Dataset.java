package org.ganymede.api;

/**
 * An opened dataset: random access to its samples, so that the engine can shuffle, batch and
 * resume from an exact position. Implementations hold the data in memory or map it.
 */
public interface Dataset extends AutoCloseable {
  /** Shape of one sample and number of classes. */
  DataSpec spec();

  /** Number of samples. */
  int size();

  /** Copies sample {@code index} into {@code target} starting at {@code offset}. Thread-safe. */
  void read(int index, float[] target, int offset);

  /** Label of sample {@code index}, or -1 when the data carry no labels. */
  int label(int index);

  /** One line that says what was opened (source, split, size). */
  String describe();

  @Override
  default void close() {}
}
