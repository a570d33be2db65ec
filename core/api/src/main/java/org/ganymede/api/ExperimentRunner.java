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

  /**
   * Continues a run from its latest checkpoint, exactly where it stopped. A second writer of the
   * folder is refused, naming the first. A damaged latest checkpoint gives way to the newest
   * intact one, with a warning to the listeners that says how many steps are lost.
   */
  RunOutcome resume(Path runDirectory, RunOptions options) throws Exception;

  /** Writes a grid of {@code count} samples from the run's latest checkpoint as a PNG. */
  default Path sample(Path runDirectory, int count, long seed, Path output) throws Exception {
    return sample(runDirectory, SampleOptions.grid(count, seed, output));
  }

  /**
   * Writes samples from the run's latest checkpoint as a PNG: a grid, truncated or not, a style
   * mixing strip or an interpolation strip.
   *
   * @throws ParameterException when the run's architecture lacks the control asked for
   */
  Path sample(Path runDirectory, SampleOptions options) throws Exception;

  /**
   * Translates images with the run's latest checkpoint: each input image is scaled and centre-cropped
   * to the model's size, translated, and written as a PNG named after it. An image-conditioned run
   * reads its inputs at the size of its condition images (the low resolution of super-resolution),
   * and an inpainting run fills the transparent pixels of its inputs.
   *
   * @param direction one of the model's translations ({@code a2b} or {@code b2a}); null for an
   *     image-conditioned run, which makes one thing from its condition
   * @param input an image file (PNG, JPEG, BMP, GIF) or a folder of them
   * @param outputFolder created when missing
   * @return the files written, in the order of the inputs' names
   * @throws ParameterException when the run does not translate, or the direction or the input is wrong
   */
  List<Path> translate(Path runDirectory, String direction, Path input, Path outputFolder) throws Exception;

  /**
   * Computes metrics on the run's latest checkpoint and writes them, with the step, to
   * {@code evaluation-step-NNNNNNNNN.json} in the run folder. A metric that fails is reported in
   * the result and the others still run.
   */
  Evaluation evaluate(Path runDirectory, EvaluationOptions options) throws Exception;

  /**
   * Writes generated samples from the run's latest checkpoint as a dataset: for a conditional
   * run, labelled samples (the classes asked for, or every class the data hold in turn).
   *
   * @return the files written
   * @throws ParameterException when the options do not fit the run (classes for an unconditional
   *     run, an unknown class, IDX for colour images)
   */
  List<Path> export(Path runDirectory, ExportOptions options) throws Exception;

  /**
   * Writes the run's generator (its moving average where the architecture keeps one) as a
   * TensorFlow SavedModel with tag {@code serve}, loadable by TensorFlow in Python and by
   * TensorFlow Java's {@code SavedModelBundle}: {@code serving_default} takes {@code latent}
   * [n, latent size] (and {@code classes} [n, classes], one-hot, for a conditional run) and returns
   * {@code images} [n, height, width, channels] in [-1, 1]; an image-conditioned run takes
   * {@code conditions} and {@code seed}; a translation run has a signature per direction
   * ({@code a2b}, {@code b2a}) from {@code images} to {@code images}. {@code ganymede-model.json}
   * beside it names the architecture, step, image shape, classes and every signature's shapes.
   *
   * @param outputFolder new or empty
   * @return the files written
   * @since 2.4
   */
  List<Path> exportModel(Path runDirectory, Path outputFolder) throws Exception;

  /**
   * Computes metrics on two sets of samples of one's own, as pytorch-fid and torch-fidelity do for
   * two folders of images: the same metric services and feature extractors as {@link #evaluate}.
   * The {@link Evaluation}'s step is 0, and its file the one asked for, or null.
   *
   * @since 2.4
   */
  Evaluation compare(Comparison comparison) throws Exception;

  /**
   * @param real the reference samples: a folder of images, an IDX images file
   *     ({@code images-idx3-ubyte.gz}), or a dataset as a YAML map ({@code {name: fashion-mnist,
   *     split: train}}); or a {@code .npy} matrix of features, a row a sample, for the metrics
   *     that read features (fake one too)
   * @param fake the samples measured against them, the same kinds
   * @param metrics as {@link EvaluationOptions#metrics()}: names or YAML maps; at least one
   * @param samples rows of each set every metric sees; 0 for each metric's own
   * @param output a JSON file to write the values to, or null
   * @since 2.4
   */
  record Comparison(String real, String fake, List<String> metrics, int samples, Path output) {
    public Comparison {
      metrics = List.copyOf(metrics);
    }
  }

  /** Every plug-in service that is registered now. */
  List<PluginInfo> plugins();

  /**
   * This runner working from another checkpoint than the latest: {@code resume}, {@code sample},
   * {@code translate}, {@code evaluate} and {@code export} restore the one chosen ({@code train}
   * starts from nothing and refuses a choice). The checkpoint's files are verified first.
   *
   * @since 2.4
   */
  ExperimentRunner from(Checkpoint checkpoint);

  /**
   * What {@link #export} writes.
   *
   * @param count samples in all
   * @param classes the classes to make, by name or id, in turn; empty for every class the data
   *     hold (a conditional run) or none (an unconditional one)
   * @param seed the latents' seed
   * @param format {@code idx}: {@code images-idx3-ubyte.gz} and, with classes,
   *     {@code labels-idx1-ubyte.gz} in the output folder (grey images only; the {@code idx}
   *     dataset reads them back); {@code png}: a folder per class (or one folder) of PNG files
   * @param output the folder to write into, created when missing
   */
  record ExportOptions(int count, List<String> classes, long seed, String format, Path output) {
    public static final List<String> FORMATS = List.of("idx", "png");

    public ExportOptions {
      classes = List.copyOf(classes);
    }
  }

  /**
   * @param listeners hear progress
   * @param stopRequested polled between steps; when it answers true the run writes a checkpoint and stops
   *     (in a cluster every worker stops at the same step, whichever worker was asked)
   * @param runDirectory where to write, instead of the experiment's own {@code run_dir}; null for that
   * @param steps train until this step instead of the experiment's; 0 for the experiment's
   * @param cluster the workers this process trains with, data-parallel; null to train alone
   */
  record RunOptions(List<TrainingListener> listeners, BooleanSupplier stopRequested, Path runDirectory, long steps,
      Cluster cluster) {
    public RunOptions {
      listeners = List.copyOf(listeners);
    }

    /** Options for training alone (API 2.5). */
    public RunOptions(List<TrainingListener> listeners, BooleanSupplier stopRequested, Path runDirectory, long steps) {
      this(listeners, stopRequested, runDirectory, steps, null);
    }

    public static RunOptions defaults() {
      return new RunOptions(List.of(), () -> false, null, 0, null);
    }
  }

  /**
   * Synchronous data-parallel training on TensorFlow's distributed runtime: every worker runs the
   * same experiment in its own process with its own graph, takes its share of each batch (the
   * experiment's {@code batch} is the global batch, split evenly), and TensorFlow's collective
   * all-reduce averages every objective's gradients before the optimizers apply them, so the
   * workers' weights stay identical. Worker 0 alone writes the run folder.
   *
   * @param workers every worker's TensorFlow server address, {@code host:port}, in rank order
   * @param rank this process's place in {@code workers}, from 0
   * @param timeoutSeconds how long a worker waits for the others at an exchange before the run
   *     fails naming the wait (it must cover worker 0's evaluations and checkpoints)
   */
  record Cluster(List<String> workers, int rank, int timeoutSeconds) {
    public Cluster {
      workers = List.copyOf(workers);
      if (workers.size() < 2) {
        throw new ParameterException("a cluster has at least 2 workers; it lists " + workers.size());
      }
      for (String w : workers) {
        if (!w.matches("[^:\\s]+:\\d{1,5}")) {
          throw new ParameterException("cluster worker '" + w + "' is not host:port");
        }
      }
      if (new java.util.HashSet<>(workers).size() != workers.size()) {
        throw new ParameterException("the cluster lists a worker twice: " + String.join(",", workers));
      }
      if (rank < 0 || rank >= workers.size()) {
        throw new ParameterException("rank " + rank + " is outside the cluster of " + workers.size()
            + " workers (0 to " + (workers.size() - 1) + ")");
      }
      if (timeoutSeconds < 1) {
        throw new ParameterException("the workers' timeout must be at least 1 second, was " + timeoutSeconds);
      }
    }

    /** Whether this process is worker 0, the one that writes. */
    public boolean chief() {
      return rank == 0;
    }
  }

  /**
   * What {@link #sample(Path, SampleOptions)} draws. With {@code mix} it writes a strip from the
   * first seed's image to the second's, taking the second seed's styles from one style input earlier
   * in each frame; with {@code interpolate} a strip of {@code frames} images along the path between
   * the two seeds' latents; otherwise a grid of {@code count} images from latents of {@code seed}.
   *
   * @param count images in a grid
   * @param seed the grid's latents' seed
   * @param truncation psi, pulling styles towards the average style; 1 for none
   * @param mix two latent seeds to mix, or empty
   * @param interpolate two latent seeds to interpolate between, or empty
   * @param frames images in an interpolation strip, at least 2
   * @param output the PNG to write
   * @param classes for a class-conditional run: empty for a grid with one row per class (an
   *     interpolation within the first class); one class, by name or id, for a grid (or an
   *     interpolation) of that class; two for an interpolation from the first class to the second
   * @param levels for a pyramid generator (LAPGAN): {@code count} samples, each a row of its
   *     coarsest image and the image after each finer level, enlarged to the same size
   */
  record SampleOptions(
      int count, long seed, double truncation, List<Long> mix, List<Long> interpolate, int frames, Path output,
      List<String> classes, boolean levels) {
    public SampleOptions {
      mix = List.copyOf(mix);
      interpolate = List.copyOf(interpolate);
      classes = List.copyOf(classes);
    }

    /** Options without pyramid levels (API 2.2). */
    public SampleOptions(
        int count, long seed, double truncation, List<Long> mix, List<Long> interpolate, int frames, Path output,
        List<String> classes) {
      this(count, seed, truncation, mix, interpolate, frames, output, classes, false);
    }

    /** Options without classes (API 2.1). */
    public SampleOptions(
        int count, long seed, double truncation, List<Long> mix, List<Long> interpolate, int frames, Path output) {
      this(count, seed, truncation, mix, interpolate, frames, output, List.of(), false);
    }

    /** A plain grid. */
    public static SampleOptions grid(int count, long seed, Path output) {
      return new SampleOptions(count, seed, 1, List.of(), List.of(), 0, output);
    }

    /** These options for the given classes (names or ids). */
    public SampleOptions withClasses(List<String> names) {
      return new SampleOptions(count, seed, truncation, mix, interpolate, frames, output, names, levels);
    }

    /** These options drawing every level of a pyramid generator: a row per latent, a column per level. */
    public SampleOptions withLevels() {
      return new SampleOptions(count, seed, truncation, mix, interpolate, frames, output, classes, true);
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
