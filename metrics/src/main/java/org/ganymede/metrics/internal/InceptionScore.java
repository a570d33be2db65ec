package org.ganymede.metrics.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import org.ganymede.api.Metric;
import org.ganymede.api.Parameters;
import org.ganymede.api.Plugins;
import org.osgi.service.component.annotations.Component;

/**
 * The Inception Score (Salimans et al. 2016) of the generated samples' class probabilities, as the
 * original code and torch-fidelity compute it: the samples are cut into {@code splits} consecutive
 * parts and each scores exp(mean over x of KL(p(y|x) || p(y))), p(y) the part's mean prediction,
 * with 0 log 0 taken as 0. Reports {@code is_mean} and {@code is_std}, the mean and population
 * standard deviation of the parts' scores. The real samples are not read.
 *
 * <p>This is a sum over samples and classes, a few million terms, so it is done in plain Java in
 * double precision rather than in a TensorFlow graph.
 */
@Component(
    service = Metric.class,
    property = {
      Plugins.NAME + "=inception-score",
      Plugins.DESCRIPTION + "=Inception Score of the generated samples' class probabilities, mean and spread"
          + " over splits"
    })
public final class InceptionScore implements Metric {
  private static final String METRIC = "Inception Score";
  static final int DEFAULT_SPLITS = 10;
  /** How far from 1 a row of probabilities may sum. */
  static final double SUM_TOLERANCE = 1e-3;

  @Override
  public Input input() {
    return Input.CLASS_PROBABILITIES;
  }

  @Override
  public Map<String, Double> compute(MetricSamples samples, Parameters parameters) {
    int splits = parameters.intInRange("splits", DEFAULT_SPLITS, 1, 1_000_000);
    float[][] probabilities = samples.generated();
    int classes = FeatureRows.width(METRIC, "generated", "probability vector", probabilities);
    requireProbabilities(probabilities);
    int n = probabilities.length;
    if (splits > n) {
      throw new IllegalArgumentException(METRIC + " with " + splits + " splits needs at least " + splits
          + " generated samples; got " + n + ": give more samples or lower splits");
    }
    double[] scores = new double[splits];
    for (int s = 0; s < splits; s++) {
      // The original's boundaries: part s is rows [s n / splits, (s + 1) n / splits).
      scores[s] = score(probabilities, (int) ((long) s * n / splits), (int) ((long) (s + 1) * n / splits), classes);
    }
    double mean = 0;
    for (double score : scores) {
      mean += score / splits;
    }
    double variance = 0;
    for (double score : scores) {
      variance += (score - mean) * (score - mean) / splits;
    }
    Map<String, Double> values = new LinkedHashMap<>();
    values.put("is_mean", mean);
    values.put("is_std", Math.sqrt(variance));
    return values;
  }

  /** exp(mean KL(p(y|x) || p(y))) over rows [from, to). */
  private static double score(float[][] probabilities, int from, int to, int classes) {
    int rows = to - from;
    double[] marginal = new double[classes];
    for (int i = from; i < to; i++) {
      for (int c = 0; c < classes; c++) {
        marginal[c] += probabilities[i][c];
      }
    }
    for (int c = 0; c < classes; c++) {
      marginal[c] /= rows;
    }
    double kl = 0;
    for (int i = from; i < to; i++) {
      for (int c = 0; c < classes; c++) {
        double p = probabilities[i][c];
        // 0 log 0 = 0; where p > 0 the marginal is positive too.
        if (p > 0) {
          kl += p * (Math.log(p) - Math.log(marginal[c]));
        }
      }
    }
    return Math.exp(kl / rows);
  }

  private static void requireProbabilities(float[][] rows) {
    for (int i = 0; i < rows.length; i++) {
      double sum = 0;
      for (int c = 0; c < rows[i].length; c++) {
        if (rows[i][c] < 0) {
          throw new IllegalArgumentException(METRIC + ": generated probability vector " + i + " has " + rows[i][c]
              + " at index " + c + "; class probabilities must be non-negative and sum to 1");
        }
        sum += rows[i][c];
      }
      if (Math.abs(sum - 1) > SUM_TOLERANCE) {
        throw new IllegalArgumentException(METRIC + ": generated probability vector " + i + " sums to " + sum
            + "; class probabilities must be non-negative and sum to 1 (within " + SUM_TOLERANCE + ")");
      }
    }
  }
}
