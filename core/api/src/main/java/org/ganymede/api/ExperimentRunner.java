package org.ganymede.api;

import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Runs experiments inside any OSGi host: a service of the engine bundle. The launcher's command
 * line is one client; a host of your own can be another.
 */
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
   * A registered plug-in service.
   *
   * @param kind architecture, loss, regularizer, dataset, metric or feature-extractor
   * @param name its name in experiment files
   * @param description one line
   * @param bundle the symbolic name of the bundle that offers it
   * @param version that bundle's version
   */
  record PluginInfo(String kind, String name, String description, String bundle, String version) {}
}
