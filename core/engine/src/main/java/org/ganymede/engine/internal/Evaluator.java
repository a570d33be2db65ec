package org.ganymede.engine.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.ganymede.api.DataSpec;
import org.ganymede.api.Dataset;
import org.ganymede.api.FeatureExtractor;
import org.ganymede.api.FeatureExtractor.Extraction;
import org.ganymede.api.FeatureExtractor.Features;
import org.ganymede.api.Metric;
import org.ganymede.api.Metric.MetricSamples;
import org.ganymede.api.Parameters;

/**
 * Computes the selected metrics on generated and real samples. Every evaluation sees the same
 * latent vectors and the same real samples, so values are comparable across steps. Each feature
 * extractor runs once per evaluation, and all metrics that read it share its rows. A metric that
 * fails is reported and the others go on.
 */
final class Evaluator {
  /**
   * A feature extractor chosen for a metric.
   *
   * @param name its service name
   * @param parameters what the experiment gives it
   */
  record FeatureSource(String name, FeatureExtractor extractor, Parameters parameters) {
    /** Metrics that name the same extractor with the same parameters share its features. */
    String key() {
      return name + parameters.asMap();
    }
  }

  /**
   * A metric chosen by the experiment.
   *
   * @param samples how many generated and how many real samples it sees
   * @param features the extractor it reads, or null when it reads samples
   */
  record SelectedMetric(String name, Metric metric, Parameters parameters, int samples, FeatureSource features) {}

  /**
   * @param values {@code metric/NAME/VALUE} to its value
   * @param failures for each failed metric, its name and why
   */
  record Result(Map<String, Double> values, List<String> failures) {}

  private final List<SelectedMetric> metrics;
  private final Dataset dataset;
  private final long seed;
  private final int batch;

  /** @param batch how many samples the generator makes at a time (its batch statistics see as many) */
  Evaluator(List<SelectedMetric> metrics, Dataset dataset, long seed, int batch) {
    this.metrics = List.copyOf(metrics);
    this.dataset = dataset;
    this.seed = seed;
    this.batch = batch;
  }

  boolean isEmpty() {
    return metrics.isEmpty();
  }

  Result evaluate(TrainingGraph graph) {
    int count = metrics.stream().mapToInt(SelectedMetric::samples).max().orElse(0);
    float[][] generated = generate(graph, count);
    float[][] real = realSamples(count);
    Map<String, Double> values = new LinkedHashMap<>();
    List<String> failures = new ArrayList<>();
    Map<String, Extracted> featuresBySource = new HashMap<>();
    for (SelectedMetric m : metrics) {
      try {
        MetricSamples samples = samplesFor(m, generated, real, featuresBySource);
        Map<String, Double> result = m.metric().compute(samples, m.parameters());
        result.forEach((k, v) -> values.put("metric/" + m.name() + "/" + k, v));
        // Metrics read their parameters only when they run; report a misspelt one then.
        m.parameters().rejectUnknownKeys();
      } catch (Exception | LinkageError e) {
        failures.add(m.name() + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()));
      }
    }
    return new Result(values, failures);
  }

  private MetricSamples samplesFor(SelectedMetric m, float[][] generated, float[][] real,
      Map<String, Extracted> featuresBySource) throws Exception {
    int n = m.samples();
    if (n > real.length) {
      throw new IllegalArgumentException("it asks for " + n + " samples and the dataset holds " + real.length
          + "; set its 'samples' to at most " + real.length);
    }
    Metric.Input input = m.metric().input();
    if (input == Metric.Input.SAMPLES) {
      return new MetricSamples(head(generated, n), head(real, n), dataset.spec());
    }
    Extracted extracted = featuresBySource.computeIfAbsent(m.features().key(), key -> extract(m, generated, real));
    if (extracted.failure() != null) {
      throw new IllegalStateException("feature extractor '" + m.features().name() + "' failed: "
          + extracted.failure().getMessage(), extracted.failure());
    }
    Features g = extracted.generated();
    Features r = extracted.real();
    if (input == Metric.Input.FEATURES) {
      return new MetricSamples(head(g.features(), n), head(r.features(), n), DataSpec.vector(g.features()[0].length));
    }
    if (g.classProbabilities() == null) {
      throw new IllegalArgumentException("it reads class probabilities, and feature extractor '" + m.features().name()
          + "' is no classifier; choose one that is (features: fashion-mnist-classifier, say)");
    }
    return new MetricSamples(head(g.classProbabilities(), n), head(r.classProbabilities(), n),
        DataSpec.vector(g.classProbabilities()[0].length));
  }

  /** Generated and real features from one opening of an extractor, or why there are none. */
  private record Extracted(Features generated, Features real, Exception failure) {}

  private Extracted extract(SelectedMetric m, float[][] generated, float[][] real) {
    int n = 0;
    for (SelectedMetric other : metrics) {
      if (other.features() != null && other.features().key().equals(m.features().key())) {
        n = Math.max(n, other.samples());
      }
    }
    try (Extraction extraction = m.features().extractor().open(dataset.spec(), m.features().parameters())) {
      m.features().parameters().rejectUnknownKeys();
      return new Extracted(extraction.extract(head(generated, n)), extraction.extract(head(real, n)), null);
    } catch (Exception e) {
      return new Extracted(null, null, e);
    } catch (LinkageError e) {
      return new Extracted(null, null, new IllegalStateException(e.toString(), e));
    }
  }

  private static float[][] head(float[][] rows, int n) {
    return n == rows.length ? rows : Arrays.copyOf(rows, n);
  }

  /** Generates in batches of the training batch size, the size batch statistics were trained on. */
  private float[][] generate(TrainingGraph graph, int count) {
    float[][] latents = Latents.normal(count, graph.model.latentSize(), seed + 17);
    float[][] rows = new float[count][];
    for (int from = 0; from < count; from += batch) {
      int to = Math.min(count, from + batch);
      float[][] chunk = graph.generate(Arrays.copyOfRange(latents, from, to));
      System.arraycopy(chunk, 0, rows, from, chunk.length);
    }
    return rows;
  }

  /**
   * Distinct real samples in a fixed random order: a repeated sample would be its own nearest
   * neighbour and shrink the radii that precision, recall, density and coverage use.
   */
  private float[][] realSamples(int count) {
    List<Integer> order = new ArrayList<>(IntStream.range(0, dataset.size()).boxed().toList());
    Collections.shuffle(order, new Random(seed + 31));
    float[][] rows = new float[Math.min(count, order.size())][dataset.spec().sampleSize()];
    for (int i = 0; i < rows.length; i++) {
      dataset.read(order.get(i), rows[i], 0);
    }
    return rows;
  }
}
