package org.ganymede.api;

import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

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

  /**
   * Copies sample {@code index} as draw number {@code draw} of the training stream sees it. A
   * dataset that augments (random crops and flips, say) derives the augmentation from the draw
   * and its seed, so that a resumed run sees exactly what an uninterrupted one would; one that
   * does not reads as {@link #read(int, float[], int)}, which is also what evaluation reads.
   * Thread-safe.
   */
  default void read(int index, long draw, float[] target, int offset) {
    read(index, target, offset);
  }

  /**
   * The second domain of unpaired two-domain data, or empty. This dataset is then domain A and the
   * second domain B (CycleGAN's two sets of images). The trainer draws from the two independently,
   * and they need not be the same size. Closing this dataset closes the second domain.
   */
  default Optional<Dataset> secondDomain() {
    return Optional.empty();
  }

  /**
   * The condition images of paired data, or empty: sample i of {@link ConditionImages#images()}
   * is what sample i of this dataset, its target, is made from (a sketch, a low-resolution or a
   * masked version). The engine reads both with the same index and draw, so an augmenting
   * dataset must crop and flip the two alike. Closing this dataset closes the conditions.
   */
  default Optional<ConditionImages> conditionImages() {
    return Optional.empty();
  }

  /**
   * Condition images, one for each sample of a paired dataset.
   *
   * @param images the conditions, as many as the targets, their labels the targets' labels
   * @param kind what they are: one of {@link Condition.Images#KINDS}
   */
  record ConditionImages(Dataset images, String kind) {
    public ConditionImages {
      if (!Condition.Images.KINDS.contains(kind)) {
        throw new IllegalArgumentException("condition images are one of " + Condition.Images.KINDS + ", not " + kind);
      }
    }
  }

  /** Label of sample {@code index}, or -1 when the data carry no labels. */
  int label(int index);

  /**
   * A name for each class id, from 0 to {@code spec().classes() - 1}: what sample grids and the
   * command line call the classes. By default the ids themselves.
   */
  default List<String> classNames() {
    return IntStream.range(0, spec().classes()).mapToObj(Integer::toString).toList();
  }

  /** One line that says what was opened (source, split, size). */
  String describe();

  @Override
  default void close() {}
}
