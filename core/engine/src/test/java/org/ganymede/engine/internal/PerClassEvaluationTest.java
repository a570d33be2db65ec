package org.ganymede.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Guice;
import com.google.inject.Injector;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.ganymede.api.Architecture;
import org.ganymede.api.DataSpec;
import org.ganymede.api.Dataset;
import org.ganymede.api.FeatureExtractor;
import org.ganymede.api.GanModel;
import org.ganymede.api.Metric;
import org.ganymede.api.ModelContext;
import org.ganymede.api.Objective;
import org.ganymede.api.OptimizerSpec;
import org.ganymede.api.Parameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * A metric with {@code per_class} is computed within each class: for a model that makes no classes,
 * its samples are sorted by the classifier the metric reads. Here the model's samples are its
 * latents, the classifier says class 1 for a positive first value, and the metric is the mean of
 * the first values: each class's numbers follow from the latents and the data alone.
 */
class PerClassEvaluationTest {
  private static final int SAMPLES = 40;
  private static final long SEED = 3;

  @TempDir Path work;

  @Test
  void anUnconditionalModelIsMeasuredWithinTheClassesItsClassifierSees() throws Exception {
    Experiment experiment = ExperimentParser.parse("""
        architecture: identity
        dataset: signs
        training: {steps: 1, batch: 8, seed: %d}
        """.formatted(SEED), "per-class", "test");
    FeatureExtractor bySign = (spec, parameters) -> new FeatureExtractor.Extraction() {
      @Override
      public int featureSize() {
        return 2;
      }

      @Override
      public int classes() {
        return 2;
      }

      @Override
      public void close() {}

      @Override
      public FeatureExtractor.Features extract(float[][] samples) {
        float[][] probabilities = new float[samples.length][];
        for (int i = 0; i < samples.length; i++) {
          probabilities[i] = samples[i][0] > 0 ? new float[] {0.2f, 0.8f} : new float[] {0.7f, 0.3f};
        }
        return new FeatureExtractor.Features(samples, probabilities);
      }
    };
    Evaluator.SelectedMetric firstMean = new Evaluator.SelectedMetric("first-mean", new FirstMean(),
        Parameters.empty("metric 'first-mean'"), SAMPLES, new Evaluator.FeatureSource("by-sign", bySign,
            Parameters.empty("feature-extractor 'by-sign'")), true, false, null);
    Dataset signs = new Signs();
    RunModule.Selection selection = new RunModule.Selection(new Identity(), Parameters.empty("architecture 'identity'"),
        new UnusedLoss(), List.of(), List.of(), signs, List.of(firstMean), List.of(), List.of());
    Injector injector = Guice.createInjector(new RunModule(experiment.withDefaultLoss(null),
        new RunDirectory(work.resolve("run")), selection, RunState.START, null, 1, List.of(), () -> false, null));
    try (TrainingGraph graph = injector.getInstance(TrainingGraph.class)) {
      Evaluator.Result result = injector.getInstance(Evaluator.class).evaluate(graph);
      assertEquals(List.of(), result.failures());

      float[][] latents = Latents.normal(SAMPLES, 2, SEED + 17); // what the evaluator generates from
      double[] generated = new double[2];
      int[] count = new int[2];
      for (float[] z : latents) {
        int c = z[0] > 0 ? 1 : 0;
        generated[c] += z[0];
        count[c]++;
      }
      assertTrue(count[0] >= 2 && count[1] >= 2, "both classes are generated");
      Map<String, Double> values = result.values();
      // All 40 real samples are seen, 20 of each class, k from 0 to 0.19: class means -1.095 and 1.095.
      assertEquals(generated[0] / count[0] + 1.095, values.get("metric/first-mean/class/minus/gap"), 1e-5);
      assertEquals(generated[1] / count[1] - 1.095, values.get("metric/first-mean/class/plus/gap"), 1e-5);
      assertEquals((values.get("metric/first-mean/class/minus/gap") + values.get("metric/first-mean/class/plus/gap")) / 2,
          values.get("metric/first-mean/intra_class/gap"), 1e-9);
    }
  }

  /** The mean first value of the generated rows less that of the real ones. */
  private static final class FirstMean implements Metric {
    @Override
    public Input input() {
      return Input.FEATURES;
    }

    @Override
    public Map<String, Double> compute(MetricSamples samples, Parameters parameters) {
      return Map.of("gap", mean(samples.generated()) - mean(samples.real()));
    }

    private static double mean(float[][] rows) {
      double sum = 0;
      for (float[] row : rows) {
        sum += row[0];
      }
      return sum / rows.length;
    }
  }

  /** Sample i of class i mod 2: class 0 ("minus") at (-1 - k/100, 0), class 1 ("plus") at (1 + k/100, 0), k = i / 2. */
  private static final class Signs implements Dataset {
    @Override
    public DataSpec spec() {
      return new DataSpec(new int[] {2}, 2);
    }

    @Override
    public int size() {
      return SAMPLES;
    }

    @Override
    public void read(int index, float[] target, int offset) {
      float k = index / 2 / 100f;
      target[offset] = label(index) == 1 ? 1 + k : -1 - k;
      target[offset + 1] = 0;
    }

    @Override
    public int label(int index) {
      return index % 2;
    }

    @Override
    public List<String> classNames() {
      return List.of("minus", "plus");
    }

    @Override
    public String describe() {
      return "two classes by sign";
    }
  }

  /** Generates its latent: the samples are known to the test. */
  private static final class Identity implements Architecture {
    @Override
    public GanModel build(ModelContext context) {
      Ops tf = context.tf();
      Variable<TFloat32> v = tf.withName("v").variable(tf.constant(0f));
      Placeholder<TFloat32> latent = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 2)));
      return new GanModel(List.of(new Objective("nothing", tf.math.square(tf.math.sub(v, tf.constant(1f))), List.of(v),
          OptimizerSpec.adam(0.1, 0.9, 0.999), 1)), Map.of(), latent, tf.identity(latent));
    }
  }
}
