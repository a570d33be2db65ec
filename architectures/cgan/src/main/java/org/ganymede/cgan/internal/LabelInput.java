package org.ganymede.cgan.internal;

import java.util.Arrays;
import java.util.List;
import org.ganymede.nn.ConditionalLayers;
import org.ganymede.nn.Weights;
import org.tensorflow.op.Ops;

/** How the label joins a network's input: as a learned embedding of the class or as its one-hot row. */
enum LabelInput {
  EMBEDDING("embedding"),
  ONE_HOT("one-hot");

  static final List<String> NAMES = Arrays.stream(values()).map(l -> l.parameterValue).toList();

  /** Scale of the initial embeddings: that of the N(0, 1) latent they sit beside. */
  private static final float EMBEDDING_STDDEV = 1f;

  private final String parameterValue;

  LabelInput(String parameterValue) {
    this.parameterValue = parameterValue;
  }

  static LabelInput of(String parameterValue) {
    return Arrays.stream(values()).filter(l -> l.parameterValue.equals(parameterValue)).findFirst().orElseThrow();
  }

  /**
   * The label vector of one network, with variables of its own.
   *
   * @param seed the embedding's seed; unused for one-hot rows
   * @param size the vector's size: the embedding's, or {@code classes} for one-hot rows
   */
  LabelVector vector(Ops tf, long seed, int classes, int size) {
    return switch (this) {
      case EMBEDDING -> {
        Weights w = Weights.seeded(tf, seed);
        yield new LabelVector(ConditionalLayers.embedding(w, classes, size, EMBEDDING_STDDEV), w.variables());
      }
      case ONE_HOT -> new LabelVector((t, classRows) -> classRows, List.of());
    };
  }
}
