package org.ganymede.api;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Runs experiments inside any OSGi host: a service of the engine bundle. The launcher's command
 * line is one client; a host of your own can be another.
 */
@ProviderType
public interface ExperimentRunner {
  /**
   * Trains the experiment described by a YAML file.
   *
   * @param experimentFile the experiment
   * @param options listeners, a stop request, overrides
   * @throws ParameterException when the experiment is wrong (the message says what is allowed)
   */
  RunOutcome train(Path experimentFile, RunOptions options) throws Exception;

  /** Continues a run from its latest checkpoint, exactly where it stopped. */
  RunOutcome resume(Path runDirectory, RunOptions options) throws Exception;

  /** Writes a grid of {@code count} samples from the run's latest checkpoint as a PNG. */
  Path sample(Path runDirectory, int count, long seed, Path output) throws Exception;

  /**
   * Computes metrics on the run's latest checkpoint and writes them, with the step, to
   * {@code evaluation-step-NNNNNNNNN.json} in the run folder. A metric that fails is reported in
   * the result and the others still run.
   */
  Evaluation evaluate(Path runDirectory, EvaluationOptions options) throws Exception;

  /** Every plug-in service that is registered now. */
  List<PluginInfo> plugins();

  /**
   * @param listeners hear progress
   * @param stopRequested polled between steps; when it answers true the run writes a checkpoint and stops
   * @param runDirectory where to write, instead of the experiment's own {@code run_dir}; null for that
   * @param steps train until this step instead of the experiment's; 0 for the experiment's
   */
  record RunOptions(List<TrainingListener> listeners, BooleanSupplier stopRequested, Path runDirectory, long steps) {
    public RunOptions {
      listeners = List.copyOf(listeners);
    }

    public static RunOptions defaults() {
      return new RunOptions(List.of(), () -> false, null, 0);
    }
  }

  /**
   * @param metrics names of metrics to compute with their default parameters; empty for the
   *     experiment's own metrics with its parameters
   * @param samples generated and real samples each metric sees; 0 for each metric's own setting
   */
  record EvaluationOptions(List<String> metrics, int samples) {
    public EvaluationOptions {
      metrics = List.copyOf(metrics);
      if (samples < 0) {
        throw new IllegalArgumentException("samples must be 0 (the experiment's) or positive: " + samples);
      }
    }
  }

  /**
   * @param step the checkpoint's step
   * @param values {@code metric/NAME/VALUE} to its value, in the order computed
   * @param failures one line for each metric that failed: its name and why
   * @param file where the values were written
   */
  record Evaluation(long step, Map<String, Double> values, List<String> failures, Path file) {
    public Evaluation {
      values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
      failures = List.copyOf(failures);
    }
  }

  /**
   * A registered plug-in service.
   *
   * @param kind architecture, loss, regularizer, dataset, metric, feature-extractor or command
   * @param name its name in experiment files
   * @param description one line
   * @param bundle the symbolic name of the bundle that offers it
   * @param version that bundle's version
   */
  record PluginInfo(String kind, String name, String description, String bundle, String version) {}
}
