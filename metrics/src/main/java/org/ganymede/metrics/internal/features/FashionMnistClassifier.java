package org.ganymede.metrics.internal.features;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.ganymede.api.DataSpec;
import org.ganymede.api.FeatureExtractor;
import org.ganymede.api.Parameters;
import org.ganymede.api.Plugins;
import org.osgi.service.component.annotations.Component;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.types.TFloat32;

/**
 * Features and class probabilities of a small CNN trained on Fashion-MNIST (see
 * {@link ClassifierNetwork}), for FID, KID and the Inception Score on Fashion-MNIST GANs. The trained
 * graph ships in the bundle as {@value #GRAPH}; {@code ganymede train-classifier} makes it. It takes
 * no parameters. It also builds into another graph ({@link #inGraph}), for perceptual losses: the
 * same network with the shipped weights as constants.
 */
@Component(
    service = FeatureExtractor.class,
    property = {
      Plugins.NAME + "=fashion-mnist-classifier",
      Plugins.DESCRIPTION + "=A CNN trained on Fashion-MNIST: 128 features and 10 class probabilities"
          + " for 28x28 or 32x32 grayscale images"
    })
public final class FashionMnistClassifier implements FeatureExtractor {
  /** The frozen graph, a resource beside this class. */
  static final String GRAPH = "fashion-mnist-classifier.pb";

  @Override
  public Extraction open(DataSpec spec, Parameters parameters) throws Exception {
    // Reject the shape before reading the graph: the message matters more than the graph.
    FrozenClassifier.requireShape(spec);
    return FrozenClassifier.load(graph(), spec);
  }

  @Override
  public Optional<InGraph> inGraph(DataSpec spec, Parameters parameters) throws Exception {
    FrozenClassifier.requireShape(spec);
    Map<String, Weight> weights = weights(graph());
    int border = (spec.height() - ClassifierNetwork.IMAGE_SIZE) / 2;
    int size = ClassifierNetwork.IMAGE_SIZE;
    return Optional.of((tf, images) -> {
      var scoped = tf.withSubScope("fashion_mnist_classifier");
      Map<String, Operand<TFloat32>> constants = new LinkedHashMap<>();
      weights.forEach((name, w) -> constants.put(name, scoped.constant(w.shape(), DataBuffers.of(w.values(), true, false))));
      // 32x32 samples are the 28x28 image padded by 2 pixels of background: the network reads the centre.
      Operand<TFloat32> centre = border == 0 ? images : scoped.slice(images, scoped.constant(new int[] {0, border, border, 0}),
          scoped.constant(new int[] {-1, size, size, 1}));
      return ClassifierNetwork.apply(scoped, centre, constants).features();
    });
  }

  /** A weight's values as the frozen graph holds them. */
  private record Weight(Shape shape, float[] values) {}

  /** The shipped weights, read from the frozen graph's constants. */
  private static Map<String, Weight> weights(byte[] graphDef) throws IOException {
    Map<String, Weight> weights = new LinkedHashMap<>();
    try (Graph frozen = new Graph(); Session session = new Session(frozen)) {
      frozen.importGraphDef(GraphDef.parseFrom(graphDef));
      for (ClassifierNetwork.Weight w : ClassifierNetwork.WEIGHTS) {
        try (Result r = session.runner().fetch(w.name()).run()) {
          TFloat32 value = (TFloat32) r.get(0);
          float[] values = new float[(int) value.size()];
          value.copyTo(DataBuffers.of(values, false, false));
          weights.put(w.name(), new Weight(value.shape(), values));
        }
      }
    }
    return weights;
  }

  static byte[] graph() throws IOException {
    try (InputStream in = FashionMnistClassifier.class.getResourceAsStream(GRAPH)) {
      if (in == null) {
        throw new IOException("the bundle lacks its trained classifier " + GRAPH);
      }
      return in.readAllBytes();
    }
  }
}
