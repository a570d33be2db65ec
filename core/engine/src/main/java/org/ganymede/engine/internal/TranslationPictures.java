package org.ganymede.engine.internal;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.ganymede.api.DataSpec;
import org.ganymede.api.Dataset;
import org.ganymede.api.GanModel;

/**
 * What a translation model does at a step, as one picture: for each direction three columns, the
 * source images, their translations and the translations translated back. The sources are the
 * same images at every step (evenly spaced through each domain).
 */
final class TranslationPictures {
  private TranslationPictures() {}

  static BufferedImage of(TrainingGraph graph, Dataset dataset, int rows) {
    List<float[][]> columns = new ArrayList<>();
    List<DataSpec> specs = new ArrayList<>();
    for (GanModel.Translation t : graph.model.translations()) {
      TrainingGraph.Domains domains = TrainingGraph.Domains.of(t, dataset);
      Dataset source = domains.source();
      Dataset target = domains.target();
      float[][] inputs = evenlySpaced(source, rows);
      TrainingGraph.Translated translated = graph.translate(t, inputs);
      columns.addAll(List.of(inputs, translated.outputs(), translated.reconstructions()));
      specs.addAll(List.of(source.spec(), target.spec(), source.spec()));
    }
    return SampleImages.table(columns, specs);
  }

  private static float[][] evenlySpaced(Dataset data, int count) {
    int n = Math.min(count, data.size());
    float[][] rows = new float[n][data.spec().sampleSize()];
    for (int i = 0; i < n; i++) {
      data.read((int) ((long) i * data.size() / n), rows[i], 0);
    }
    return rows;
  }
}
