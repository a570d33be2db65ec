package org.ganymede.engine.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.ganymede.api.DataSpec;
import org.ganymede.nn.Precision;

/**
 * One experiment file, validated: everything a run needs to know.
 *
 * @param name a name for people and logs
 * @param source the YAML text it was read from, kept in the run folder
 * @param bundles the bundles the experiment selects (the launcher installs them)
 * @param architecture the GAN family and its parameters
 * @param loss the adversarial loss; null when the experiment names none, and the architecture's
 *     default then
 * @param regularizers penalties added to the discriminator's loss
 * @param augmentations what every batch the discriminator judges goes through, in order
 * @param dataset the real data
 * @param metrics measures computed every {@code metricsEvery} steps
 * @param training steps, batch, seed, optimizers
 * @param output where and how often to write
 */
record Experiment(
    String name,
    String source,
    List<String> bundles,
    PluginRef architecture,
    PluginRef loss,
    List<PluginRef> regularizers,
    List<PluginRef> augmentations,
    PluginRef dataset,
    List<PluginRef> metrics,
    Training training,
    Output output) {

  /** This experiment with the loss its architecture chooses when the experiment names none. */
  Experiment withDefaultLoss(String architectureDefault) {
    if (loss != null) {
      return this;
    }
    PluginRef chosen = new PluginRef("loss", architectureDefault == null ? DEFAULT_LOSS : architectureDefault, Map.of());
    return new Experiment(name, source, bundles, architecture, chosen, regularizers, augmentations, dataset, metrics, training, output);
  }

  /** The loss of an experiment that names none, with an architecture that names no default. */
  static final String DEFAULT_LOSS = "non-saturating";

  /**
   * @param steps generator steps to train
   * @param batch samples per batch
   * @param criticSteps discriminator runs per generator run
   * @param seed makes a run repeatable on the same machine
   * @param optimizers overrides by objective name, e.g. {@code generator: {lr: 1e-4}}
   * @param classSampling how a conditional generator's classes are drawn during training:
   *     {@code uniform} over the classes the data hold, or in the {@code data}'s proportions
   */
  record Training(long steps, int batch, int criticSteps, long seed, Map<String, Map<String, Object>> optimizers,
      String classSampling, InitFrom initFrom, Map<String, Integer> freeze, Precision precision) {
    static final List<String> CLASS_SAMPLINGS = List.of("uniform", "data");
    static final List<String> PRECISIONS = java.util.Arrays.stream(Precision.values()).map(Precision::label).toList();
    /** The networks {@code training.freeze} names, as {@code NETWORK_layers}. */
    static final List<String> FREEZABLE = List.of("discriminator", "generator");
  }

  /**
   * {@code training.init_from}: a new run starts from another run's weights.
   *
   * @param run the run folder
   * @param checkpoint which of its checkpoints
   * @param optimizer whether its optimizer state (Adam's moments, say) is loaded too
   * @param skip variables left to their fresh values: names, or prefixes ending in {@code *}
   */
  record InitFrom(java.nio.file.Path run, org.ganymede.api.Checkpoint checkpoint, boolean optimizer, List<String> skip) {
    boolean skips(String variable) {
      return skip.stream().anyMatch(s -> s.endsWith("*") ? variable.startsWith(s.substring(0, s.length() - 1))
          : variable.equals(s));
    }
  }

  /**
   * @param runDirectory where everything is written
   * @param logEvery steps between log lines (metrics log, TensorBoard scalars)
   * @param sampleEvery steps between sample grids
   * @param checkpointEvery steps between checkpoints
   * @param metricsEvery steps between metric evaluations (0: only at the end)
   * @param gridSize samples in a grid
   * @param sampleScale how many times sample pictures are enlarged; 0 for {@link #scaleFor automatic}
   * @param keepCheckpoints how many checkpoints to keep
   * @param keepBest the metric whose best checkpoint is kept besides them, or null
   */
  record Output(
      Path runDirectory, long logEvery, long sampleEvery, long checkpointEvery, long metricsEvery, int gridSize,
      int sampleScale, int keepCheckpoints, KeepBest keepBest) {
    static final int MAX_SAMPLE_SCALE = 16;
    /** Automatic scaling enlarges samples to at least this height. */
    static final int SEEN_SIZE = 96;

    /** The integer factor for pictures of samples of this shape: the set one, or the smallest that makes them {@link #SEEN_SIZE} tall. */
    int scaleFor(DataSpec spec) {
      return sampleScale > 0 ? sampleScale : Math.max(1, (SEEN_SIZE + spec.height() - 1) / spec.height());
    }
  }

  /**
   * {@code output.keep_best}: the checkpoint with the best value of a metric is kept.
   *
   * @param metric its key in the metrics log ({@code metric/fid/fid})
   * @param mode min or max
   */
  record KeepBest(String metric, String mode) {
    static final List<String> MODES = List.of("min", "max");
  }
}
