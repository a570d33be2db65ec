package org.ganymede.metrics.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import org.ganymede.api.Metric;
import org.ganymede.api.Parameters;
import org.ganymede.api.Plugins;
import org.osgi.service.component.annotations.Component;

/**
 * Density and coverage (Naeem et al. 2020) as their prdc reference computes them: each real feature
 * vector gets a ball reaching to its {@code k}-th nearest real neighbour. {@code density} is the
 * number of real balls a generated vector lies in, averaged and divided by k (about 1 when the two
 * sides are alike, above 1 where generated vectors crowd around real ones); {@code coverage} is the
 * share of real vectors whose nearest generated one lies inside their ball (1 - 2^-k on average for
 * two large samples of one distribution). Inside means strictly closer than the radius.
 */
@Component(
    service = Metric.class,
    property = {
      Plugins.NAME + "=density-coverage",
      Plugins.DESCRIPTION + "=Density and coverage of generated against real features with k-nearest-neighbour"
          + " balls around the real ones, as prdc"
    })
public final class DensityCoverage implements Metric {
  private static final String METRIC = "Density/coverage";
  /** The density and coverage paper's choice. */
  static final int DEFAULT_K = 5;

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
    if (k >= real) {
      throw new IllegalArgumentException(METRIC + " with k = " + k + " needs more than " + k
          + " real feature vectors, each ball reaching to the k-th nearest other one; got " + real
          + ": give more samples or lower k");
    }
    try (FeatureGraph graph = new FeatureGraph(samples.generated(), samples.real(), width)) {
      Neighbourhoods neighbourhoods = new Neighbourhoods(graph, generated, real, k);
      double[] squaredRadii = neighbourhoods.squaredRealRadii();
      Neighbourhoods.Matches matches = neighbourhoods.match(squaredRadii, null, true);
      double balls = 0;
      for (double holding : matches.realBallsHolding()) {
        balls += holding;
      }
      double covered = 0;
      for (int i = 0; i < real; i++) {
        covered += matches.nearestGenerated()[i] < squaredRadii[i] ? 1 : 0;
      }
      Map<String, Double> values = new LinkedHashMap<>();
      values.put("density", balls / ((double) k * generated));
      values.put("coverage", covered / real);
      return values;
    }
  }
}
