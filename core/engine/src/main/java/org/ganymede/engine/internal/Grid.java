package org.ganymede.engine.internal;

/**
 * The latents of a sample picture and, for a conditional model, the class of each. A conditional
 * grid has one row per class the data hold, and every row repeats the same latents, so that a
 * column shows one latent in every class.
 *
 * @param latents one latent a sample
 * @param classes one-hot rows, one a sample; null for an unconditional model
 * @param columns samples in a row of the picture
 */
record Grid(float[][] latents, float[][] classes, int columns) {
  /** A grid of about {@code size} samples: a square one, or for a conditional model a row of the square's width per class. */
  static Grid of(TrainingGraph graph, int size, long seed) {
    int columns = (int) Math.ceil(Math.sqrt(size));
    if (!graph.conditional) {
      return new Grid(Latents.normal(size, graph.model.latentSize(), seed), null, columns);
    }
    return rowsOf(graph, graph.presentClasses, Latents.normal(columns, graph.model.latentSize(), seed));
  }

  /** One row of the given latents for each of {@code classIds}. */
  static Grid rowsOf(TrainingGraph graph, int[] classIds, float[][] row) {
    float[][] latents = new float[classIds.length * row.length][];
    int[] ids = new int[latents.length];
    for (int r = 0; r < classIds.length; r++) {
      for (int c = 0; c < row.length; c++) {
        latents[r * row.length + c] = row[c];
        ids[r * row.length + c] = classIds[r];
      }
    }
    return new Grid(latents, graph.oneHot(ids), row.length);
  }

  /** {@code count} latents for a scatter plot, their classes taking turns over the classes the data hold. */
  static Grid scattered(TrainingGraph graph, int count, long seed) {
    float[][] latents = Latents.normal(count, graph.model.latentSize(), seed);
    if (!graph.conditional) {
      return new Grid(latents, null, count);
    }
    int[] ids = new int[count];
    for (int i = 0; i < count; i++) {
      ids[i] = graph.presentClasses[i % graph.presentClasses.length];
    }
    return new Grid(latents, graph.oneHot(ids), count);
  }
}
