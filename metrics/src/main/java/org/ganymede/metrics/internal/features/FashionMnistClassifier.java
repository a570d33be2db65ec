package org.ganymede.metrics.internal.features;

import java.io.IOException;
import java.io.InputStream;
import org.ganymede.api.DataSpec;
import org.ganymede.api.FeatureExtractor;
import org.ganymede.api.Parameters;
import org.ganymede.api.Plugins;
import org.osgi.service.component.annotations.Component;

/**
 * Features and class probabilities of a small CNN trained on Fashion-MNIST (see
 * {@link ClassifierNetwork}), for FID, KID and the Inception Score on Fashion-MNIST GANs. The trained
 * graph ships in the bundle as {@value #GRAPH}; {@code ganymede train-classifier} makes it. It takes
 * no parameters.
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

  static byte[] graph() throws IOException {
    try (InputStream in = FashionMnistClassifier.class.getResourceAsStream(GRAPH)) {
      if (in == null) {
        throw new IOException("the bundle lacks its trained classifier " + GRAPH);
      }
      return in.readAllBytes();
    }
  }
}
