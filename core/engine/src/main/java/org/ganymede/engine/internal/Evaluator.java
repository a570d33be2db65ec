package org.ganymede.engine.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.ganymede.api.Dataset;
import org.ganymede.api.Metric;
import org.ganymede.api.Parameters;

/**
 * Computes the selected metrics on generated and real samples. A metric that fails is reported
 * as a warning and the run goes on.
 */
final class Evaluator {
  /** A metric chosen by the experiment, with its parameters and how many samples it sees. */
  record SelectedMetric(String name, Metric metric, Parameters parameters, int samples) {}

  private final List<SelectedMetric> metrics;
  private final Dataset dataset;
  private final long seed;

  Evaluator(List<SelectedMetric> metrics, Dataset dataset, long seed) {
    this.metrics = List.copyOf(metrics);
    this.dataset = dataset;
    this.seed = seed;
  }

  boolean isEmpty() {
    return metrics.isEmpty();
  }

  Map<String, Double> evaluate(TrainingGraph graph, Listeners listeners) {
    Map<String, Double> values = new LinkedHashMap<>();
    for (SelectedMetric m : metrics) {
      try {
        float[][] generated = graph.generate(Latents.normal(m.samples(), graph.model.latentSize(), seed + 17));
        float[][] real = realSamples(m.samples());
        Map<String, Double> result = m.metric().compute(new Metric.MetricSamples(generated, real, dataset.spec()),
            m.parameters());
        result.forEach((k, v) -> values.put("metric/" + m.name() + "/" + k, v));
        // Metrics read their parameters only when they run; report a misspelt one then.
        m.parameters().rejectUnknownKeys();
      } catch (Exception | LinkageError e) {
        listeners.warning("metric '" + m.name() + "' failed and was skipped: " + e);
      }
    }
    return values;
  }

  private float[][] realSamples(int count) {
    SplittableRandom random = new SplittableRandom(seed + 31);
    int size = dataset.spec().sampleSize();
    float[][] rows = new float[count][size];
    for (int i = 0; i < count; i++) {
      dataset.read(random.nextInt(dataset.size()), rows[i], 0);
    }
    return rows;
  }
}
