package org.ganymede.metrics.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import org.ganymede.api.Metric;
import org.ganymede.api.Parameters;
import org.ganymede.api.Plugins;
import org.osgi.service.component.annotations.Component;

/**
 * Improved precision and recall (Kynkäänniemi et al. 2019) as the prdc reference computes them
 * (Naeem et al. 2020): each feature vector gets a ball reaching to its {@code k}-th nearest
 * neighbour on its own side. {@code precision} is the share of generated vectors inside some real
 * ball, {@code recall} the share of real vectors inside some generated ball; inside means strictly
 * closer than the radius.
 */
@Component(
    service = Metric.class,
    property = {
      Plugins.NAME + "=precision-recall",
      Plugins.DESCRIPTION + "=Precision and recall of generated against real features with k-nearest-neighbour"
          + " balls, as prdc"
    })
public final class PrecisionRecall implements Metric {
  private static final String METRIC = "Precision/recall";
  /** The improved precision and recall paper's choice. */
  static final int DEFAULT_K = 3;

  @Override
  public Input input() {
    return Input.FEATURES;
  }

  @Override
  public Map<String, Double> compute(MetricSamples samples, Parameters parameters) {
    int k = parameters.intInRange("k", DEFAULT_K, 1, Integer.MAX_VALUE);
    int width = FeatureRows.width(METRIC, samples);
    int generated = samples.generated().length;
    int real = samples.real().length;
    if (k >= generated || k >= real) {
      throw new IllegalArgumentException(METRIC + " with k = " + k + " needs more than " + k
          + " generated and more than " + k + " real feature vectors, each ball reaching to the k-th nearest"
          + " other one; got " + generated + " generated and " + real + " real: give more samples or lower k");
    }
    try (FeatureGraph graph = new FeatureGraph(samples.generated(), samples.real(), width)) {
      Neighbourhoods neighbourhoods = new Neighbourhoods(graph, generated, real, k);
      Neighbourhoods.Matches matches =
          neighbourhoods.match(neighbourhoods.squaredRealRadii(), neighbourhoods.squaredGeneratedRadii(), false);
      double inRealBalls = 0;
      for (double balls : matches.realBallsHolding()) {
        inRealBalls += balls > 0 ? 1 : 0;
      }
      double inGeneratedBalls = 0;
      for (double inside : matches.realInSomeGeneratedBall()) {
        inGeneratedBalls += inside;
      }
      Map<String, Double> values = new LinkedHashMap<>();
      values.put("precision", inRealBalls / generated);
      values.put("recall", inGeneratedBalls / real);
      return values;
    }
  }
}
