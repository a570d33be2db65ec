package org.ganymede.metrics.internal;

import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ganymede.api.DataSpec;
import org.ganymede.api.Dataset;
import org.ganymede.api.Parameters;
import org.ganymede.datasets.internal.FashionMnistProvider;

/** The embedded Fashion-MNIST test split as rows and labels, cut into parts for tests. */
record FashionMnistSamples(float[][] rows, int[] labels, DataSpec spec, List<String> names) {
  /** The 10,000 images of the embedded test split at {@code resolution} 28 or 32. */
  static FashionMnistSamples testSplit(int resolution) throws IOException {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("split", "test");
    values.put("resolution", resolution);
    try (Dataset data = new FashionMnistProvider().open(new Parameters("dataset 'fashion-mnist'", values), 0)) {
      float[][] rows = new float[data.size()][data.spec().sampleSize()];
      int[] labels = new int[data.size()];
      for (int i = 0; i < rows.length; i++) {
        data.read(i, rows[i], 0);
        labels[i] = data.label(i);
      }
      return new FashionMnistSamples(rows, labels, data.spec(), data.classNames());
    }
  }

  /** Rows [from, to) and their labels. */
  FashionMnistSamples part(int from, int to) {
    return new FashionMnistSamples(Arrays.copyOfRange(rows, from, to), Arrays.copyOfRange(labels, from, to), spec, names);
  }
}
