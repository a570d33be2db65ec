package org.ganymede.engine.internal;

import java.util.Arrays;
import org.ganymede.api.Dataset;

/**
 * Pairs of paired data read for sampling or evaluation, with the model's outputs for them.
 *
 * @param targets the real samples, one flattened a row
 * @param conditions the condition image of each, flattened
 * @param labels the class of each for labelled data, else null
 */
record Pairs(float[][] targets, float[][] conditions, int[] labels) {
  /** The pairs at these indices of a paired dataset, read as evaluation reads them (no augmentation). */
  static Pairs of(Dataset data, int[] indices) {
    Dataset conditions = data.conditionImages().orElseThrow(() -> new IllegalArgumentException(data.describe()
        + " is not pairs of a condition image and a target")).images();
    float[][] targets = new float[indices.length][data.spec().sampleSize()];
    float[][] conditionRows = new float[indices.length][conditions.spec().sampleSize()];
    for (int i = 0; i < indices.length; i++) {
      data.read(indices[i], targets[i], 0);
      conditions.read(indices[i], conditionRows[i], 0);
    }
    int[] labels = data.spec().classes() > 0 ? Arrays.stream(indices).map(data::label).toArray() : null;
    return new Pairs(targets, conditionRows, labels);
  }

  /** {@code count} pairs evenly spaced through the data. */
  static Pairs evenlySpaced(Dataset data, int count) {
    int n = Math.min(count, data.size());
    int[] indices = new int[n];
    for (int i = 0; i < n; i++) {
      indices[i] = (int) ((long) i * data.size() / n);
    }
    return of(data, indices);
  }

  /**
   * The model's outputs for the conditions, made {@code batch} at a time (the size batch
   * statistics were trained on), with latents and noise from {@code seed}.
   */
  float[][] outputs(TrainingGraph graph, long seed, int batch) {
    float[][] latents = graph.model.samples() ? Latents.normal(conditions.length, graph.model.latentSize(), seed) : null;
    float[][] classes = graph.conditional ? graph.oneHot(labels) : null;
    float[][] outputs = new float[conditions.length][];
    for (int from = 0; from < conditions.length; from += batch) {
      int to = Math.min(conditions.length, from + batch);
      float[][] chunk = graph.generateFrom(Arrays.copyOfRange(conditions, from, to),
          latents == null ? null : Arrays.copyOfRange(latents, from, to),
          classes == null ? null : Arrays.copyOfRange(classes, from, to), seed);
      System.arraycopy(chunk, 0, outputs, from, chunk.length);
    }
    return outputs;
  }
}
