package org.ganymede.metrics.internal.features;

import java.util.Arrays;
import org.ganymede.api.DataSpec;
import org.ganymede.api.FeatureExtractor.Extraction;
import org.ganymede.api.FeatureExtractor.Features;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.types.TFloat32;

/**
 * The frozen classifier graph in a session of its own. Samples go through in batches of
 * {@value #BATCH}, so memory stays bounded however many there are; 32x32 samples (the 28x28 image
 * padded by 2 pixels of background) are cropped to their centre on the way in.
 */
final class FrozenClassifier implements Extraction {
  static final int BATCH = 500;
  private static final int SIZE = ClassifierNetwork.IMAGE_SIZE;
  private static final int PADDED = SIZE + 4;

  private final Graph graph;
  private final Session session;
  private final int sampleSize;
  private final int border;

  private FrozenClassifier(Graph graph, DataSpec spec) {
    this.graph = graph;
    this.session = new Session(graph);
    this.sampleSize = spec.sampleSize();
    this.border = (spec.height() - SIZE) / 2;
  }

  /**
   * @param graphDef the frozen graph {@link ClassifierNetwork#freeze} wrote
   * @param spec the samples' shape: [28, 28, 1] or [32, 32, 1]
   * @throws IllegalArgumentException when the samples have another shape, or the graph is not the classifier's
   */
  static FrozenClassifier load(byte[] graphDef, DataSpec spec) throws Exception {
    requireShape(spec);
    Graph graph = new Graph();
    try {
      graph.importGraphDef(GraphDef.parseFrom(graphDef));
      for (String op : new String[] {ClassifierNetwork.INPUT, ClassifierNetwork.FEATURES, ClassifierNetwork.PROBABILITIES}) {
        if (graph.operation(op) == null) {
          throw new IllegalArgumentException("not a classifier graph: it has no op '" + op + "'");
        }
      }
      return new FrozenClassifier(graph, spec);
    } catch (Exception | Error e) {
      graph.close();
      throw e;
    }
  }

  static void requireShape(DataSpec spec) {
    int[] shape = spec.shape();
    if (!Arrays.equals(shape, new int[] {SIZE, SIZE, 1}) && !Arrays.equals(shape, new int[] {PADDED, PADDED, 1})) {
      throw new IllegalArgumentException("the Fashion-MNIST classifier takes samples of shape [" + SIZE + ", " + SIZE
          + ", 1] or [" + PADDED + ", " + PADDED + ", 1] (the 28x28 image padded by 2 pixels of -1), values in [-1, 1];"
          + " got " + Arrays.toString(shape));
    }
  }

  @Override
  public int featureSize() {
    return ClassifierNetwork.FEATURE_SIZE;
  }

  @Override
  public int classes() {
    return ClassifierNetwork.CLASSES;
  }

  @Override
  public Features extract(float[][] samples) {
    int n = samples.length;
    float[][] features = new float[n][];
    float[][] probabilities = new float[n][];
    float[] batch = new float[Math.min(n, BATCH) * SIZE * SIZE];
    for (int start = 0; start < n; start += BATCH) {
      int count = Math.min(BATCH, n - start);
      for (int i = 0; i < count; i++) {
        copyImage(samples[start + i], start + i, batch, i * SIZE * SIZE);
      }
      try (TFloat32 images = TFloat32.tensorOf(Shape.of(count, SIZE, SIZE, 1),
              DataBuffers.of(batch, true, false).narrow(count * SIZE * SIZE));
          Result r = session.runner()
              .feed(ClassifierNetwork.INPUT, images)
              .fetch(ClassifierNetwork.FEATURES)
              .fetch(ClassifierNetwork.PROBABILITIES)
              .run()) {
        split((TFloat32) r.get(0), features, start, count, ClassifierNetwork.FEATURE_SIZE);
        split((TFloat32) r.get(1), probabilities, start, count, ClassifierNetwork.CLASSES);
      }
    }
    return new Features(features, probabilities);
  }

  /** Copies a sample's 28x28 image (its centre when padded) to {@code target}. */
  private void copyImage(float[] sample, int index, float[] target, int offset) {
    if (sample.length != sampleSize) {
      throw new IllegalArgumentException("sample " + index + " has " + sample.length + " values; samples of this"
          + " extraction have " + sampleSize);
    }
    if (border == 0) {
      System.arraycopy(sample, 0, target, offset, SIZE * SIZE);
      return;
    }
    int width = SIZE + 2 * border;
    for (int row = 0; row < SIZE; row++) {
      System.arraycopy(sample, (row + border) * width + border, target, offset + row * SIZE, SIZE);
    }
  }

  private static void split(TFloat32 output, float[][] rows, int start, int count, int width) {
    float[] flat = new float[count * width];
    output.copyTo(DataBuffers.of(flat, false, false));
    for (int i = 0; i < count; i++) {
      rows[start + i] = Arrays.copyOfRange(flat, i * width, (i + 1) * width);
    }
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
