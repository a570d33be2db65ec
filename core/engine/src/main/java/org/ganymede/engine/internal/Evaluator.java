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
import org.ganymede.api.GanModel;
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
 *
 * <p>A model that translates is measured per direction: the metrics compare translated images of
 * the source domain with real images of the target domain ({@code metric/NAME/a2b/VALUE}), and
 * {@code translation/a2b/cycle_error} is the mean absolute difference between the source images
 * and their reconstructions, in the data's [-1, 1] units.
 *
 * <p>A conditional model makes generated sample i of the class of real sample i, so both sets hold
 * the classes in the data's proportions. A metric selected with {@code per_class: true} is also
 * computed within each class, generated samples of a class against real ones of that class
 * ({@code metric/NAME/class/CLASS/VALUE}), and the mean over the classes is reported as
 * {@code metric/NAME/intra_class/VALUE}: intra-class FID, say.
 *
 * <p>An image-conditioned model is measured on pairs: its output for the condition of pair i is
 * generated sample i and the pair's target real sample i, so that PSNR and SSIM compare each output
 * with its own target. The same metrics are computed for a baseline that needs no training
 * ({@code metric/NAME/bicubic/VALUE} for bicubic upsampling of a low-resolution condition,
 * {@code metric/NAME/input/VALUE} for copying the input), so that a user sees what the model adds.
 *
 * <p>A metric that names a {@code test} dataset measures on it instead of the run's data (held-out
 * pairs, say); a metric of labelled samples trains on the run's data and tests on its own.
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
   * @param perClass whether it is also computed within each class of a conditional model
   * @param onlyAtEnd whether it runs only at the end of training (and when a run is evaluated), not
   *     every {@code metrics_every} steps: for metrics that take minutes
   * @param test the data it measures on instead of the run's (for a metric of labelled samples, the
   *     held-out data it tests on); else null
   */
  record SelectedMetric(String name, Metric metric, Parameters parameters, int samples, FeatureSource features,
      boolean perClass, boolean onlyAtEnd, Dataset test) {}

  /** The key of the metrics that measure on the run's own data. */
  private static final Object RUN_DATA = new Object();

  /** A metric's {@code samples} when it sees as many as the run's data hold. */
  static final int ALL_SAMPLES = -1;

  /**
   * @param values {@code metric/NAME/VALUE} to its value
   * @param failures for each failed metric, its name and why
   */
  record Result(Map<String, Double> values, List<String> failures) {}

  /** Samples a translation's cycle error is measured on, when no metric asks for more. */
  static final int CYCLE_SAMPLES = 256;

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

  /** This evaluator with the metrics due at a step of training: all at the end, else those that run on the way. */
  Evaluator at(boolean end) {
    return end ? this : new Evaluator(metrics.stream().filter(m -> !m.onlyAtEnd()).toList(), dataset, seed, batch);
  }

  /** Whether there is nothing to measure: no metric, and a model that does not translate. */
  boolean isEmpty(TrainingGraph graph) {
    return metrics.isEmpty() && graph.model.translations().isEmpty();
  }

  Result evaluate(TrainingGraph graph) {
    Map<String, Double> values = new LinkedHashMap<>();
    List<String> failures = new ArrayList<>();
    // A metric that names data of its own measures on them, and metrics that name the same data
    // share one evaluation of them; the others measure on the run's data. (A metric of labelled
    // samples trains on the run's and tests on its own.)
    Map<Object, List<SelectedMetric>> groups = new LinkedHashMap<>();
    groups.put(RUN_DATA, new ArrayList<>());
    for (SelectedMetric m : metrics) {
      boolean own = m.test() != null && m.metric().input() != Metric.Input.LABELLED_SAMPLES;
      groups.computeIfAbsent(own ? m.parameters().asMap().get("test") : RUN_DATA, k -> new ArrayList<>()).add(m);
    }
    groups.forEach((key, group) -> {
      Dataset data = key == RUN_DATA ? dataset : group.get(0).test();
      new Evaluator(group, data, seed, batch).evaluateOn(graph, key == RUN_DATA, values, failures);
    });
    return new Result(values, failures);
  }

  /**
   * Measures this evaluator's metrics on its data.
   *
   * @param runData whether the data are the run's own: then a translation model's cycle error is measured too
   */
  private void evaluateOn(TrainingGraph graph, boolean runData, Map<String, Double> values, List<String> failures) {
    int count = metrics.stream().mapToInt(m -> m.samples() == ALL_SAMPLES ? dataset.size() : m.samples()).max()
        .orElse(0);
    if (count > 0 && !runData && !sameShape(graph.data, dataset.spec())) {
      metrics.forEach(m -> failures.add(m.name() + ": its test data (" + dataset.describe() + ") are samples of "
          + dataset.spec() + ", and the run's are " + graph.data));
      return;
    }
    if (graph.imageConditioned && count > 0) {
      if (dataset.conditionImages().isEmpty()) {
        metrics.forEach(m -> failures.add(m.name() + ": its test data (" + dataset.describe() + ") are not pairs of a"
            + " condition image and a target, and the run's model makes its outputs from condition images"));
        return;
      }
      Pairs pairs = Pairs.of(dataset, distinctOrder(dataset, count, seed + 31));
      int[] labels = graph.conditional ? pairs.labels() : null;
      measure(pairs.outputs(graph, seed + 17, batch), pairs.targets(), labels, pairs.labels(), Made.of(graph),
          dataset.spec(), "",
          values, failures);
      String baseline = ConditionBaseline.name(graph.pairing, dataset.spec());
      if (baseline != null) {
        measure(ConditionBaseline.outputs(graph.pairing, pairs.conditions(), dataset.spec()), pairs.targets(), labels,
            pairs.labels(), Made.of(graph), dataset.spec(), baseline + "/", values, failures);
      }
    } else if (graph.model.samples() && count > 0) {
      // A metric that trains on labelled samples sees every real one.
      boolean everyReal = metrics.stream().anyMatch(m -> m.metric().input() == Metric.Input.LABELLED_SAMPLES);
      int[] order = distinctOrder(dataset, everyReal ? dataset.size() : count, seed + 31);
      int[] realLabels = dataset.spec().classes() > 0 ? labelsOf(dataset, order) : null;
      // Generated sample i is of real sample i's class, the real samples taking turns when more are generated.
      int[] labels = graph.conditional
          ? IntStream.range(0, count).map(i -> realLabels[i % realLabels.length]).toArray() : null;
      measure(generate(graph, count, labels), read(dataset, order), labels, realLabels, Made.of(graph), dataset.spec(), "",
          values,
          failures);
    }
    if (!runData) {
      return;
    }
    for (GanModel.Translation t : graph.model.translations()) {
      boolean fromA = t.name().equals(GanModel.Translation.A_TO_B);
      TrainingGraph.Domains domains = TrainingGraph.Domains.of(t, dataset);
      Dataset source = domains.source();
      Dataset target = domains.target();
      float[][] inputs = distinctSamples(source, Math.max(count, CYCLE_SAMPLES), seed + (fromA ? 41 : 43));
      TrainingGraph.Translated translated = translate(graph, t, inputs);
      values.put("translation/" + t.name() + "/cycle_error", meanAbsoluteDifference(translated.reconstructions(), inputs));
      if (count > 0) {
        measure(head(translated.outputs(), Math.min(count, inputs.length)),
            distinctSamples(target, count, seed + (fromA ? 47 : 53)), null, null, Made.of(graph), target.spec(),
            t.name() + "/",
            values, failures);
      }
    }
  }

  /**
   * What the metrics are told of what made the samples: its classes, and whether it makes its
   * outputs from condition images.
   */
  private record Made(List<String> classNames, boolean imageConditioned) {
    static Made of(TrainingGraph graph) {
      return new Made(graph.classNames, graph.imageConditioned);
    }
  }

  /**
   * The metrics on samples given, not generated: {@code fake} against this evaluator's data (their
   * first rows in a seeded order), as pytorch-fid and torch-fidelity compare two folders.
   */
  Result compare(Dataset fake) {
    Map<String, Double> values = new LinkedHashMap<>();
    List<String> failures = new ArrayList<>();
    if (!sameShape(fake.spec(), dataset.spec())) {
      throw new org.ganymede.api.ParameterException("--fake holds samples of " + fake.spec() + " (" + fake.describe()
          + ") and --real of " + dataset.spec() + " (" + dataset.describe() + "): compare samples of one shape");
    }
    int count = metrics.stream().mapToInt(SelectedMetric::samples).max().orElse(0);
    float[][] real = read(dataset, distinctOrder(dataset, count, seed + 31));
    float[][] generated = read(fake, distinctOrder(fake, count, seed + 37));
    measure(generated, real, null, null, new Made(List.of(), false), dataset.spec(), "", values, failures);
    return new Result(values, failures);
  }

  /**
   * The metrics on feature matrices given (one's own extractor's, from {@code .npy} files): row i
   * of each is one sample's features, and each metric takes its rows in a seeded order as
   * {@link #compare} does. Only metrics that read features measure on them.
   */
  static Result compareFeatures(List<SelectedMetric> metrics, float[][] generated, float[][] real, long seed) {
    Map<String, Double> values = new LinkedHashMap<>();
    List<String> failures = new ArrayList<>();
    float[][] g = pick(generated, shuffled(generated.length, seed + 37));
    float[][] r = pick(real, shuffled(real.length, seed + 31));
    DataSpec spec = DataSpec.vector(real[0].length);
    for (SelectedMetric m : metrics) {
      try {
        int n = m.samples();
        if (n > r.length || n > g.length) {
          throw new IllegalArgumentException("it asks for " + n + " rows and the matrices hold " + Math.min(r.length,
              g.length) + "; ask for at most that many (--samples)");
        }
        m.metric().compute(new MetricSamples(head(g, n), head(r, n), spec), m.parameters())
            .forEach((k, v) -> values.put("metric/" + m.name() + "/" + k, v));
        m.parameters().rejectUnknownKeys();
      } catch (Exception | LinkageError e) {
        failures.add(m.name() + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()));
      }
    }
    return new Result(values, failures);
  }

  private static int[] shuffled(int count, long seed) {
    List<Integer> order = new ArrayList<>(IntStream.range(0, count).boxed().toList());
    Collections.shuffle(order, new Random(seed));
    return order.stream().mapToInt(Integer::intValue).toArray();
  }

  private static boolean sameShape(DataSpec a, DataSpec b) {
    return Arrays.equals(a.shape(), b.shape());
  }

  /**
   * Every metric on one set of generated against real samples, keyed {@code metric/NAME/INFIX VALUE}.
   *
   * @param labels the class of each generated sample, or null when the model is not conditional
   * @param realLabels the class of real sample i, or null when the data carry no labels
   */
  private void measure(float[][] generated, float[][] real, int[] labels, int[] realLabels, Made graph,
      DataSpec spec, String infix, Map<String, Double> values, List<String> failures) {
    Map<String, Extracted> featuresBySource = new HashMap<>();
    for (SelectedMetric m : metrics) {
      try {
        if (m.perClass() && realLabels == null) {
          throw new IllegalArgumentException("per_class needs labelled data, and the run's data carry no labels");
        }
        MetricSamples samples = samplesFor(m, generated, real, labels, realLabels, graph, spec, featuresBySource);
        Map<String, Double> result = m.metric().compute(samples, m.parameters());
        result.forEach((k, v) -> values.put("metric/" + m.name() + "/" + infix + k, v));
        if (m.perClass()) {
          int[] generatedLabels = labels != null ? labels : predictedClasses(m, featuresBySource);
          measurePerClass(m, samples, generatedLabels, realLabels, graph, infix, values);
        }
        // Metrics read their parameters only when they run; report a misspelt one then.
        m.parameters().rejectUnknownKeys();
      } catch (Exception | LinkageError e) {
        failures.add(m.name() + (infix.isEmpty() ? "" : " (" + infix.substring(0, infix.length() - 1) + ")") + ": "
            + (e.getMessage() == null ? e.toString() : e.getMessage()));
      }
    }
  }

  /**
   * The classes an unconditional model's samples were taken for: the class the metric's feature
   * extractor, a classifier, finds most likely for each.
   */
  private static int[] predictedClasses(SelectedMetric m, Map<String, Extracted> featuresBySource) {
    Extracted extracted = m.features() == null ? null : featuresBySource.get(m.features().key());
    if (extracted == null || extracted.generated().classProbabilities() == null) {
      throw new IllegalArgumentException("per_class on a model that makes no classes sorts its samples by a classifier's"
          + " verdict, and this metric reads no classifier; read the features of one (features: "
          + "fashion-mnist-classifier, say)");
    }
    float[][] probabilities = extracted.generated().classProbabilities();
    int[] classes = new int[probabilities.length];
    for (int i = 0; i < classes.length; i++) {
      for (int k = 1; k < probabilities[i].length; k++) {
        classes[i] = probabilities[i][k] > probabilities[i][classes[i]] ? k : classes[i];
      }
    }
    return classes;
  }

  /**
   * The metric within each class, and the mean over the classes.
   *
   * @param generatedLabels the class of each generated row: the one it was made of, or a classifier's verdict
   * @param realLabels the class of each real row
   */
  private static void measurePerClass(SelectedMetric m, MetricSamples samples, int[] generatedLabels, int[] realLabels,
      Made graph, String infix, Map<String, Double> values) throws Exception {
    Map<String, Double> sums = new LinkedHashMap<>();
    int classes = 0;
    for (int c : presentClasses(realLabels)) {
      int[] generatedRows = IntStream.range(0, samples.generated().length).filter(i -> generatedLabels[i] == c).toArray();
      int[] realRows = IntStream.range(0, samples.real().length).filter(i -> realLabels[i] == c).toArray();
      if (generatedRows.length < 2 || realRows.length < 2) {
        throw new IllegalArgumentException("class " + className(graph, c) + " has " + generatedRows.length
            + " generated and " + realRows.length + " real of the metric's samples; raise its 'samples' so that every"
            + " class has enough");
      }
      MetricSamples within = new MetricSamples(pick(samples.generated(), generatedRows), pick(samples.real(), realRows),
          samples.spec());
      Map<String, Double> result = m.metric().compute(within, m.parameters());
      String name = className(graph, c);
      result.forEach((k, v) -> {
        values.put("metric/" + m.name() + "/" + infix + "class/" + name + "/" + k, v);
        sums.merge(k, v, Double::sum);
      });
      classes++;
    }
    int n = classes;
    sums.forEach((k, v) -> values.put("metric/" + m.name() + "/" + infix + "intra_class/" + k, v / n));
  }

  /** The classes of the real rows, in id order. */
  private static int[] presentClasses(int[] realLabels) {
    return Arrays.stream(realLabels).distinct().sorted().toArray();
  }

  private static String className(Made graph, int id) {
    return id < graph.classNames.size() ? graph.classNames.get(id) : Integer.toString(id);
  }

  private static float[][] pick(float[][] rows, int[] which) {
    float[][] picked = new float[which.length][];
    for (int i = 0; i < which.length; i++) {
      picked[i] = rows[which[i]];
    }
    return picked;
  }

  private MetricSamples samplesFor(SelectedMetric m, float[][] generated, float[][] real, int[] labels,
      int[] realLabels, Made graph, DataSpec spec, Map<String, Extracted> featuresBySource) throws Exception {
    Metric.Input input = m.metric().input();
    if (input == Metric.Input.LABELLED_SAMPLES) {
      int n = m.samples() == ALL_SAMPLES ? real.length : m.samples();
      // It sees every real sample, and as many generated ones as it asks for.
      return labelledSamples(m, head(generated, n), real, labels == null ? null : Arrays.copyOf(labels, n), realLabels,
          graph, spec);
    }
    int n = m.samples();
    if (n > real.length || n > generated.length) {
      int most = Math.min(real.length, generated.length);
      throw new IllegalArgumentException("it asks for " + n + " samples and the data hold " + most
          + "; set its 'samples' to at most " + most);
    }
    if (input == Metric.Input.PAIRED_SAMPLES && !graph.imageConditioned) {
      throw new IllegalArgumentException("it compares each output with its target, and this run's architecture does not"
          + " make its outputs from condition images: choose one that does (pix2pix, srgan) on paired data");
    }
    if (input == Metric.Input.SAMPLES || input == Metric.Input.PAIRED_SAMPLES) {
      return new MetricSamples(head(generated, n), head(real, n), spec);
    }
    Extracted extracted = featuresBySource.computeIfAbsent(m.features().key(),
        key -> extract(m, generated, real, spec));
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

  /** Labelled generated and real samples, and the metric's held-out test data. */
  private MetricSamples labelledSamples(SelectedMetric m, float[][] generated, float[][] real, int[] labels,
      int[] realLabels, Made graph, DataSpec spec) {
    if (labels == null) {
      throw new IllegalArgumentException("it trains on generated samples of each class, and this run's architecture"
          + " does not read the labels: choose a conditional one");
    }
    Dataset test = m.test();
    if (test.spec().classes() == 0 || !test.spec().equals(dataset.spec())) {
      throw new IllegalArgumentException("its test data (" + test.describe() + ") must be labelled samples of the "
          + "run's shape, " + dataset.spec());
    }
    int[] all = IntStream.range(0, test.size()).toArray();
    return new MetricSamples(generated, real, spec,
        new Metric.Labels(labels, realLabels, read(test, all), labelsOf(test, all), graph.classNames));
  }

  /** Generated and real features from one opening of an extractor, or why there are none. */
  private record Extracted(Features generated, Features real, Exception failure) {}

  private Extracted extract(SelectedMetric m, float[][] generated, float[][] real, DataSpec spec) {
    int n = 0;
    for (SelectedMetric other : metrics) {
      if (other.features() != null && other.features().key().equals(m.features().key())) {
        n = Math.max(n, other.samples());
      }
    }
    n = Math.min(n, Math.min(generated.length, real.length));
    try (Extraction extraction = m.features().extractor().open(spec, m.features().parameters())) {
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

  /**
   * Generates in batches of the training batch size, the size batch statistics were trained on.
   *
   * @param labels the class of each sample for a conditional model, else null
   */
  private float[][] generate(TrainingGraph graph, int count, int[] labels) {
    float[][] latents = Latents.normal(count, graph.model.latentSize(), seed + 17);
    float[][] classes = labels == null ? null : graph.oneHot(labels);
    float[][] rows = new float[count][];
    for (int from = 0; from < count; from += batch) {
      int to = Math.min(count, from + batch);
      float[][] chunk = graph.generate(Arrays.copyOfRange(latents, from, to),
          classes == null ? null : Arrays.copyOfRange(classes, from, to));
      System.arraycopy(chunk, 0, rows, from, chunk.length);
    }
    return rows;
  }

  /** Translates in batches of the training batch size. */
  private TrainingGraph.Translated translate(TrainingGraph graph, GanModel.Translation t, float[][] inputs) {
    float[][] outputs = new float[inputs.length][];
    float[][] reconstructions = new float[inputs.length][];
    for (int from = 0; from < inputs.length; from += batch) {
      int to = Math.min(inputs.length, from + batch);
      TrainingGraph.Translated chunk = graph.translate(t, Arrays.copyOfRange(inputs, from, to));
      System.arraycopy(chunk.outputs(), 0, outputs, from, to - from);
      System.arraycopy(chunk.reconstructions(), 0, reconstructions, from, to - from);
    }
    return new TrainingGraph.Translated(outputs, reconstructions);
  }

  private static double meanAbsoluteDifference(float[][] a, float[][] b) {
    double sum = 0;
    long n = 0;
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a[i].length; j++) {
        sum += Math.abs(a[i][j] - b[i][j]);
      }
      n += a[i].length;
    }
    return sum / n;
  }

  /**
   * Distinct real samples in a fixed random order, as many as asked or as the data hold: a
   * repeated sample would be its own nearest neighbour and shrink the radii that precision,
   * recall, density and coverage use.
   */
  static float[][] distinctSamples(Dataset data, int count, long seed) {
    return read(data, distinctOrder(data, count, seed));
  }

  /** The indices {@link #distinctSamples} reads. */
  private static int[] distinctOrder(Dataset data, int count, long seed) {
    int[] order = shuffled(data.size(), seed);
    return Arrays.copyOf(order, Math.min(count, order.length));
  }

  private static float[][] read(Dataset data, int[] indices) {
    float[][] rows = new float[indices.length][data.spec().sampleSize()];
    for (int i = 0; i < rows.length; i++) {
      data.read(indices[i], rows[i], 0);
    }
    return rows;
  }

  private static int[] labelsOf(Dataset data, int[] indices) {
    return Arrays.stream(indices).map(data::label).toArray();
  }
}
