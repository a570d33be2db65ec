package org.ganymede.metrics.internal.features;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.ganymede.api.Dataset;
import org.ganymede.api.Parameters;
import org.ganymede.datasets.internal.FashionMnistProvider;

/** Fashion-MNIST for tests: the embedded test split, and small train folders cut from it. */
final class FashionMnistFiles {
  private static final String EMBEDDED = "org/ganymede/datasets/internal/fashion-mnist/";

  private FashionMnistFiles() {}

  /** The embedded 10,000-image test split at {@code resolution} 28 or 32. */
  static Dataset test(int resolution) throws IOException {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("split", "test");
    values.put("resolution", resolution);
    return new FashionMnistProvider().open(new Parameters("dataset 'fashion-mnist'", values), 0);
  }

  /** All samples of {@code data}, one row each. */
  static float[][] rows(Dataset data) {
    float[][] rows = new float[data.size()][data.spec().sampleSize()];
    for (int i = 0; i < rows.length; i++) {
      data.read(i, rows[i], 0);
    }
    return rows;
  }

  /**
   * Writes a train split of the first {@code count} images of the embedded test split into
   * {@code folder}, as the IDX files the provider reads.
   */
  static void writeTrainSplit(Path folder, int count) throws IOException {
    copyHead("t10k-images-idx3-ubyte.gz", folder.resolve("train-images-idx3-ubyte.gz"), count, 16, 28 * 28);
    copyHead("t10k-labels-idx1-ubyte.gz", folder.resolve("train-labels-idx1-ubyte.gz"), count, 8, 1);
  }

  private static void copyHead(String resource, Path target, int count, int header, int recordSize) throws IOException {
    try (InputStream raw = FashionMnistFiles.class.getClassLoader().getResourceAsStream(EMBEDDED + resource)) {
      if (raw == null) {
        throw new IOException("the test class path lacks " + EMBEDDED + resource);
      }
      DataInputStream in = new DataInputStream(new GZIPInputStream(raw));
      byte[] head = new byte[header];
      in.readFully(head);
      // The item count is the second big-endian int of every IDX header.
      head[4] = (byte) (count >>> 24);
      head[5] = (byte) (count >>> 16);
      head[6] = (byte) (count >>> 8);
      head[7] = (byte) count;
      byte[] records = new byte[count * recordSize];
      in.readFully(records);
      try (OutputStream out = new DataOutputStream(new GZIPOutputStream(Files.newOutputStream(target)))) {
        out.write(head);
        out.write(records);
      }
    }
  }
}
