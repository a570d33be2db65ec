package org.ganymede.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.ganymede.api.Checkpoint;
import org.ganymede.api.ExperimentRunner;
import org.ganymede.api.ExperimentRunner.Evaluation;
import org.ganymede.api.ExperimentRunner.EvaluationOptions;
import org.ganymede.api.ExperimentRunner.PluginInfo;
import org.ganymede.api.ExperimentRunner.RunOptions;
import org.ganymede.api.ExperimentRunner.SampleOptions;
import org.ganymede.api.ParameterException;
import org.ganymede.api.RunOutcome;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The command line: starts the framework, asks the engine to do the work, reports. */
@Command(name = "ganymede", mixinStandardHelpOptions = true, versionProvider = Main.Versions.class,
    scope = CommandLine.ScopeType.INHERIT,
    description = "A GAN workbench: every GAN part an OSGi bundle, trained on TensorFlow Java.",
    footer = "%nBundles add commands of their own (train-classifier, say): 'ganymede list' shows them.",
    subcommands = {Main.ListCommand.class, Main.TrainCommand.class, Main.ResumeCommand.class, Main.SampleCommand.class,
        Main.TranslateCommand.class, Main.ExportCommand.class, Main.ExportModelCommand.class,
        Main.EvaluateCommand.class, Main.ShellCommand.class, Main.DashboardCommand.class, BenchCommand.class, SweepCommand.class,
        Main.HostPackagesCommand.class, Main.KarafCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
  public static void main(String[] args) {
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler((e, line, parsed) -> {
      String message = e instanceof ParameterException || e instanceof java.io.IOException
          ? e.getMessage() : e.toString();
      line.getErr().println("error: " + message);
      return 2;
    });
    if (args.length > 0 && !args[0].startsWith("-") && !cli.getSubcommands().containsKey(args[0])) {
      System.exit(runBundleCommand(args[0], List.of(args).subList(1, args.length), cli));
    }
    System.exit(cli.execute(args));
  }

  /** Runs a command a bundle registered, in a framework with every plug-in. */
  static int runBundleCommand(String name, List<String> arguments, CommandLine cli) {
    try (GanymedeHost host = GanymedeHost.start(Distribution.current(), List.of())) {
      reportProblems(host);
      org.ganymede.api.Command command = host.service(org.ganymede.api.Command.class, name);
      if (command == null) {
        List<String> bundleCommands = host.runner().plugins().stream().filter(p -> p.kind().equals("command"))
            .map(p -> p.name() + " (" + p.bundle() + ")").toList();
        System.err.println("error: no command '" + name + "'; built in: " + String.join(", ", cli.getSubcommands().keySet())
            + (bundleCommands.isEmpty() ? "" : "; from bundles: " + String.join(", ", bundleCommands)));
        return 2;
      }
      return command.run(arguments, System.out, System.err);
    } catch (Exception e) {
      System.err.println("error: " + (e instanceof ParameterException || e instanceof java.io.IOException
          ? e.getMessage() : e.toString()));
      return 2;
    }
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  /** {@code --version}: Ganymede's, its API packages', TensorFlow's and which native build is on the class path. */
  static final class Versions implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws Exception {
      Path api = Path.of(ExperimentRunner.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      List<String> packages = new ArrayList<>();
      for (String clause : HostPackages.exports(api)) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("([^;]+);version=\"?([^\";]+)").matcher(clause);
        if (m.find()) {
          packages.add(m.group(1) + " " + m.group(2));
        }
      }
      String classPath = System.getProperty("java.class.path");
      String build = classPath.contains("-gpu") ? "GPU build (needs CUDA 12 and cuDNN 9 on the host; falls back to the CPU)"
          : "CPU build";
      return new String[] {"Ganymede 0.1.0", "API " + String.join(", ", packages),
          "TensorFlow " + org.tensorflow.TensorFlow.version() + ", " + build};
    }
  }

  /** {@code --checkpoint latest|best|STEP} and its shorthand {@code --best}. */
  static final class CheckpointChoice {
    @Option(names = "--checkpoint", paramLabel = "latest|best|STEP", description = "the checkpoint to work from: the "
        + "latest (default), the best by the experiment's output.keep_best, or the one written at STEP")
    String checkpoint;

    @Option(names = "--best", description = "the best checkpoint by the experiment's output.keep_best (--checkpoint best)")
    boolean best;

    Checkpoint choice() {
      if (best && checkpoint != null && !checkpoint.equals("best")) {
        throw new ParameterException("--best and --checkpoint " + checkpoint + " name two checkpoints; give one");
      }
      return best ? Checkpoint.best() : checkpoint == null ? Checkpoint.latest() : Checkpoint.parse(checkpoint);
    }
  }

  /**
   * Data-parallel training: {@code --workers N} here, or one worker of a cluster across hosts
   * ({@code --cluster} and {@code --rank}).
   */
  static final class ClusterOptions {
    @Option(names = "--workers", paramLabel = "N", description = "train with N worker processes on this host, "
        + "data-parallel: each takes 1/N of every batch (the experiment's batch is the global batch) and their "
        + "gradients are averaged by TensorFlow's all-reduce; worker 0 writes the run folder")
    int workers;

    @Option(names = "--cluster", paramLabel = "HOST:PORT,...", split = ",", description = "one worker of a cluster "
        + "of hosts: every worker's address, in rank order, the same list on each (start one process per worker, "
        + "each with its --rank; each needs the run folder's checkpoints to resume: share it or copy it)")
    List<String> cluster;

    @Option(names = "--rank", defaultValue = "-1", description = "with --cluster: this process's place in the list, from 0")
    int rank;

    @Option(names = "--worker-timeout", paramLabel = "SECONDS", defaultValue = "600", description = "how long a worker "
        + "waits for the others before the run fails; it must cover worker 0's evaluations (default ${DEFAULT-VALUE})")
    int timeoutSeconds;

    @Option(names = "--stop-with-parent", hidden = true, description = "stop (together) when the process that started "
        + "this worker ends")
    boolean stopWithParent;

    /** Whether this process starts local workers rather than training itself. */
    boolean startsWorkers() {
      if (workers < 0 || workers == 1) {
        throw new ParameterException("--workers must be 2 or more (leave it out to train in this process), was "
            + workers);
      }
      if (workers > 0 && cluster != null) {
        throw new ParameterException("--workers starts workers on this host and --cluster makes this process one "
            + "worker of a cluster; give one of them");
      }
      return workers > 0;
    }

    /** This process's cluster, or null to train alone. */
    ExperimentRunner.Cluster cluster() {
      if (cluster == null) {
        if (rank >= 0) {
          throw new ParameterException("--rank is a place in a --cluster; give the cluster too");
        }
        return null;
      }
      if (rank < 0) {
        throw new ParameterException("--cluster needs --rank: this process's place in the list (0 to "
            + (cluster.size() - 1) + ")");
      }
      return new ExperimentRunner.Cluster(cluster, rank, timeoutSeconds);
    }

    /** Runs {@code command} in local workers. */
    int startWorkers(List<String> command) throws Exception {
      if (timeoutSeconds < 1) {
        throw new ParameterException("--worker-timeout must be at least 1 second, was " + timeoutSeconds);
      }
      return LocalCluster.run(command, workers, timeoutSeconds, System.out, System.err);
    }
  }

  @Command(name = "list", description = "Show every architecture, loss, regularizer, dataset, metric, feature extractor "
      + "and bundle command, with the bundle that offers it.")
  static final class ListCommand implements Callable<Integer> {
    private static final Map<String, String> PLURALS = Map.of("loss", "losses", "command", "commands (ganymede NAME --help)");

    @Override
    public Integer call() throws Exception {
      try (GanymedeHost host = GanymedeHost.start(Distribution.current(), List.of())) {
        ExperimentRunner runner = host.runner();
        String kind = "";
        for (PluginInfo p : runner.plugins()) {
          if (!p.kind().equals(kind)) {
            kind = p.kind();
            System.out.println(PLURALS.getOrDefault(kind, kind + "s") + ":");
          }
          System.out.printf("  %-16s %-40s %s %s%n", p.name(), p.description(), p.bundle(), p.version());
        }
        reportProblems(host);
      }
      return 0;
    }
  }

  @Command(name = "train", description = "Train the experiment a YAML file describes.")
  static final class TrainCommand implements Callable<Integer> {
    @Parameters(paramLabel = "EXPERIMENT", description = "the experiment file (see experiments/)")
    Path experiment;

    @Option(names = "--steps", description = "train until this step instead of the experiment's")
    long steps;

    @Option(names = "--run-dir", description = "write here instead of the experiment's output.run_dir")
    Path runDir;

    @Mixin
    ClusterOptions workers;

    @Override
    public Integer call() throws Exception {
      if (!Files.isRegularFile(experiment)) {
        throw new ParameterException("experiment file " + experiment + " does not exist");
      }
      if (workers.startsWorkers()) {
        List<String> command = new ArrayList<>(List.of("train", experiment.toString()));
        if (steps > 0) {
          command.addAll(List.of("--steps", String.valueOf(steps)));
        }
        if (runDir != null) {
          command.addAll(List.of("--run-dir", runDir.toString()));
        }
        return workers.startWorkers(command);
      }
      List<String> bundles = selectedBundles(experiment);
      return runInHost(bundles, (runner, options) -> runner.train(experiment, options), runDir, steps, workers);
    }
  }

  @Command(name = "resume", description = "Continue a run from its latest checkpoint (or --checkpoint STEP), exactly "
      + "where it stopped; a damaged latest checkpoint gives way to the newest intact one, with a warning.")
  static final class ResumeCommand implements Callable<Integer> {
    @Parameters(paramLabel = "RUN_DIR")
    Path runDir;

    @Mixin
    CheckpointChoice checkpoint;

    @Option(names = "--steps", description = "train until this step instead of the experiment's")
    long steps;

    @Mixin
    ClusterOptions workers;

    @Override
    public Integer call() throws Exception {
      Path experiment = runExperiment(runDir);
      if (workers.startsWorkers()) {
        List<String> command = new ArrayList<>(List.of("resume", runDir.toString()));
        if (steps > 0) {
          command.addAll(List.of("--steps", String.valueOf(steps)));
        }
        if (checkpoint.best || checkpoint.checkpoint != null) {
          command.addAll(List.of("--checkpoint", checkpoint.best ? "best" : checkpoint.checkpoint));
        }
        return workers.startWorkers(command);
      }
      return runInHost(selectedBundles(experiment), (runner, options) -> runner.from(checkpoint.choice()).resume(runDir,
          options), null, steps, workers);
    }
  }

  @Command(name = "sample", description = "Write samples from a run's checkpoint (the latest, or --best) as a PNG: a grid, a style "
      + "mixing strip (--mix) or an interpolation strip (--interpolate).")
  static final class SampleCommand implements Callable<Integer> {
    @Parameters(paramLabel = "RUN_DIR")
    Path runDir;

    @Mixin
    CheckpointChoice checkpoint;

    @Option(names = "--count", defaultValue = "64",
        description = "how many samples in a grid (default ${DEFAULT-VALUE})")
    int count;

    @Option(names = "--seed", defaultValue = "1", description = "the grid's latent seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--truncation", paramLabel = "PSI", defaultValue = "1", description = "pull each style towards "
        + "the average style: 1 not at all (default), 0 all the way (the average image); for architectures that keep "
        + "an average style, such as stylegan")
    double truncation;

    @Option(names = "--mix", arity = "2", paramLabel = "SEED", description = "a strip from the first seed's "
        + "image to the second's, the second's styles taking over one more style input in each frame (style-based "
        + "architectures such as stylegan)")
    List<Long> mix = new ArrayList<>();

    @Option(names = "--interpolate", arity = "2", paramLabel = "SEED", description = "a strip of --frames images "
        + "along the spherical path from the first seed's latent to the second's")
    List<Long> interpolate = new ArrayList<>();

    @Option(names = "--frames", defaultValue = "8", description = "images in an --interpolate strip (default "
        + "${DEFAULT-VALUE})")
    int frames;

    @Option(names = "--class", paramLabel = "NAME|ID", description = "for a conditional run: samples of this class "
        + "(by default a row per class); give it twice with --interpolate to go from one class to the other")
    List<String> classes = new ArrayList<>();

    @Option(names = "--levels", description = "for a pyramid generator (lapgan): a row per sample, its coarsest image "
        + "and the image after each finer level")
    boolean levels;

    @Option(names = "--out", required = true, description = "the PNG to write")
    Path out;

    @Override
    public Integer call() throws Exception {
      Path experiment = runExperiment(runDir);
      SampleOptions options = new SampleOptions(count, seed, truncation, mix, interpolate, frames, out, classes, levels);
      try (GanymedeHost host = GanymedeHost.start(Distribution.current(), selectedBundles(experiment))) {
        reportProblems(host);
        Path written = host.runner().from(checkpoint.choice()).sample(runDir, options);
        System.out.println("wrote " + written);
      }
      return 0;
    }
  }

  @Command(name = "translate", description = "Translate images with a translation run's checkpoint (the latest, or "
      + "--best; CycleGAN, pix2pix): each image is scaled and centre-cropped to the model's input size (the low resolution of "
      + "super-resolution) and its output written as NAME.png; an inpainting run fills the transparent pixels.")
  static final class TranslateCommand implements Callable<Integer> {
    @Parameters(paramLabel = "RUN_DIR")
    Path runDir;

    @Mixin
    CheckpointChoice checkpoint;

    @Option(names = "--direction",
        description = "for a run of two domains: a2b (domain A to B, the default) or b2a; none for a run of pairs")
    String direction;

    @Option(names = "--in", required = true, paramLabel = "FOLDER_OR_FILE",
        description = "an image (PNG, JPEG, BMP, GIF) or a folder of them")
    Path input;

    @Option(names = "--out", required = true, paramLabel = "FOLDER", description = "where to write the translations")
    Path output;

    @Override
    public Integer call() throws Exception {
      Path experiment = runExperiment(runDir);
      try (GanymedeHost host = GanymedeHost.start(Distribution.current(), selectedBundles(experiment))) {
        reportProblems(host);
        List<Path> written = host.runner().from(checkpoint.choice()).translate(runDir, direction, input, output);
        System.out.println("translated " + written.size() + " image" + (written.size() == 1 ? "" : "s")
            + (direction == null ? "" : " " + direction) + " into " + output);
      }
      return 0;
    }
  }

  @Command(name = "export", description = "Write generated samples of a run's checkpoint (the latest, or --best) as a dataset: for a "
      + "conditional run labelled samples, every class in turn or the classes asked for; IDX files (which the idx "
      + "dataset reads) or a folder of PNGs per class.")
  static final class ExportCommand implements Callable<Integer> {
    @Parameters(paramLabel = "RUN_DIR")
    Path runDir;

    @Mixin
    CheckpointChoice checkpoint;

    @Option(names = "--count", required = true, description = "samples in all")
    int count;

    @Option(names = "--class", paramLabel = "NAME|ID", description = "a class to make (repeat for several, in turn); "
        + "by default every class the data hold")
    List<String> classes = new ArrayList<>();

    @Option(names = "--seed", defaultValue = "1", description = "the latents' seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--format", defaultValue = "idx", description = "idx (images-idx3-ubyte.gz and "
        + "labels-idx1-ubyte.gz, grey images) or png (a folder per class); default ${DEFAULT-VALUE}")
    String format;

    @Option(names = "--out", required = true, paramLabel = "FOLDER", description = "where to write")
    Path output;

    @Override
    public Integer call() throws Exception {
      Path experiment = runExperiment(runDir);
      try (GanymedeHost host = GanymedeHost.start(Distribution.current(), selectedBundles(experiment))) {
        reportProblems(host);
        List<Path> written = host.runner().from(checkpoint.choice()).export(runDir,
            new ExperimentRunner.ExportOptions(count, classes, seed, format, output));
        System.out.println("wrote " + count + " samples to " + output + " (" + written.size() + " file"
            + (written.size() == 1 ? "" : "s") + ")");
      }
      return 0;
    }
  }

  @Command(name = "export-model", description = "Write a run's generator (the moving average where the architecture "
      + "keeps one) as a TensorFlow SavedModel (tag serve) with ganymede-model.json describing its signatures: "
      + "latent (and classes) to images in [-1, 1]; a signature per direction for a translation run.")
  static final class ExportModelCommand implements Callable<Integer> {
    @Parameters(paramLabel = "RUN_DIR")
    Path runDir;

    @Mixin
    CheckpointChoice checkpoint;

    @Option(names = "--out", required = true, paramLabel = "FOLDER", description = "a new or empty folder")
    Path output;

    @Override
    public Integer call() throws Exception {
      Path experiment = runExperiment(runDir);
      try (GanymedeHost host = GanymedeHost.start(Distribution.current(), selectedBundles(experiment))) {
        reportProblems(host);
        List<Path> written = host.runner().from(checkpoint.choice()).exportModel(runDir, output);
        System.out.println("wrote a SavedModel to " + output + " (" + written.size() + " files; signatures in "
            + output.resolve("ganymede-model.json") + ")");
      }
      return 0;
    }
  }

  @Command(name = "evaluate", description = "Compute metrics on a run's checkpoint (the latest, or --best): the "
      + "experiment's, or those named; written to evaluation-step-N.json in the run folder.")
  static final class EvaluateCommand implements Callable<Integer> {
    @Parameters(paramLabel = "RUN_DIR", arity = "0..1", description = "the run; or give --real and --fake instead")
    Path runDir;

    @Option(names = "--real", paramLabel = "PATH", description = "without a run: the reference samples, a folder of "
        + "images, an IDX images file or a dataset as a YAML map ('{name: fashion-mnist, split: train}'); or a .npy "
        + "matrix of one's own features, a row a sample, for the metrics of features")
    String real;

    @Option(names = "--fake", paramLabel = "PATH", description = "without a run: the samples measured against --real")
    String fake;

    @Option(names = "--out", paramLabel = "FILE.json", description = "with --real and --fake: also write the values here")
    Path out;

    @Mixin
    CheckpointChoice checkpoint;

    @Option(names = "--metric", paramLabel = "NAME|{name: NAME, ...}",
        description = "a metric to compute (repeat for more): a name, with the experiment's parameters for it if it "
            + "has any, or a YAML map with its parameters, '{name: fid, per_class: true}'; default: the experiment's")
    List<String> metrics = new ArrayList<>();

    @Option(names = "--samples", description = "generated and real samples each metric sees; default: each metric's own")
    int samples;

    @Override
    public Integer call() throws Exception {
      if (samples < 0) {
        throw new ParameterException("--samples must be positive, was " + samples);
      }
      if (runDir == null) {
        return compare();
      }
      if (real != null || fake != null || out != null) {
        throw new ParameterException("--real, --fake and --out compare two sets of samples without a run; give them "
            + "or RUN_DIR, not both");
      }
      Path experiment = runExperiment(runDir);
      List<String> bundles = new ArrayList<>(selectedBundles(experiment));
      if (!bundles.isEmpty() && !bundles.contains("metrics")) {
        bundles.add("metrics");
      }
      try (GanymedeHost host = GanymedeHost.start(Distribution.current(), bundles)) {
        reportProblems(host);
        Evaluation result = host.runner().from(checkpoint.choice()).evaluate(runDir,
            new EvaluationOptions(metrics, samples));
        System.out.println("step " + result.step() + ":");
        result.values().forEach((k, v) -> System.out.printf("  %-40s %.6g%n", k, v));
        result.failures().forEach(f -> System.out.println("  failed: " + f));
        System.out.println("wrote " + result.file());
        return result.failures().isEmpty() ? 0 : 1;
      }
    }

    /** Metrics on two sets of one's own samples, with the datasets and metrics bundles. */
    private int compare() throws Exception {
      if (real == null || fake == null) {
        throw new ParameterException("give a RUN_DIR, or both --real and --fake (folders of images, IDX images files,"
            + " datasets as YAML maps, or .npy feature matrices) to compare");
      }
      try (GanymedeHost host = GanymedeHost.start(Distribution.current(), List.of("datasets", "metrics"))) {
        reportProblems(host);
        Evaluation result = host.runner().compare(new ExperimentRunner.Comparison(real, fake, metrics, samples, out));
        result.values().forEach((k, v) -> System.out.printf("  %-40s %.6g%n", k, v));
        result.failures().forEach(f -> System.out.println("  failed: " + f));
        if (result.file() != null) {
          System.out.println("wrote " + result.file());
        }
        return result.failures().isEmpty() ? 0 : 1;
      }
    }
  }

  @Command(name = "shell", description = "An interactive Gogo shell on a long-running framework: ganymede:list, "
      + "ganymede:train FILE, ganymede:status, ganymede:stop ID, ganymede:sample RUN OUT.png, ganymede:evaluate RUN, "
      + "and Gogo's own (lb, help). Jars copied into plugins/ "
      + "appear without a restart; removed ones go away. 'exit 0' or Ctrl-D stops it.")
  static final class ShellCommand implements Callable<Integer> {
    @Option(names = "--dashboard", paramLabel = "PORT",
        description = "also serve the dashboard of runs/ at http://127.0.0.1:PORT/ganymede/")
    Integer dashboardPort;

    @Override
    public Integer call() throws Exception {
      Distribution distribution = Distribution.current();
      GanymedeHost.Dashboard dashboard = dashboardPort == null ? null
          : new GanymedeHost.Dashboard(Path.of("runs"), "127.0.0.1", dashboardPort);
      try (GanymedeHost host = GanymedeHost.startShell(distribution, distribution.plugins(), true, dashboard)) {
        reportProblems(host);
        if (dashboard != null) {
          System.out.println("dashboard at " + dashboard.url());
        }
        host.framework().waitForStop(0);
      }
      return 0;
    }
  }

  @Command(name = "dashboard", description = "Serve a web page of the runs in a folder: their state, loss and "
      + "metric curves that update while they train, sample grids, evaluations, runs side by side. It only reads.")
  static final class DashboardCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "RUNS_FOLDER", defaultValue = "runs",
        description = "the folder of run folders (default ${DEFAULT-VALUE})")
    Path runs;

    @Option(names = "--port", defaultValue = "8080", description = "the port (default ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1",
        description = "the address to listen on (default ${DEFAULT-VALUE}, this machine only; 0.0.0.0 for all)")
    String address;

    @Override
    public Integer call() throws Exception {
      if (port < 1 || port > 65535) {
        throw new ParameterException("--port must be from 1 to 65535, was " + port);
      }
      if (!Files.isDirectory(runs)) {
        System.err.println("note: " + runs.toAbsolutePath() + " does not exist yet; the page lists its runs once it does");
      }
      GanymedeHost.Dashboard dashboard = new GanymedeHost.Dashboard(runs, address, port);
      try (GanymedeHost host = GanymedeHost.startDashboard(Distribution.current(), dashboard, List.of())) {
        reportProblems(host);
        System.out.println("dashboard of " + runs.toAbsolutePath() + " at " + dashboard.url() + " (Ctrl-C stops it)");
        host.framework().waitForStop(0);
      }
      return 0;
    }
  }

  @Command(name = "host-packages", description = "Print the packages an OSGi host must export from its class path "
      + "(org.osgi.framework.system.packages.extra) to run Ganymede's bundles.")
  static final class HostPackagesCommand implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
      System.out.println(HostPackages.systemPackagesExtra());
      return 0;
    }
  }

  @Command(name = "karaf", description = "Prepare an Apache Karaf (4.4) for Ganymede's features: TensorFlow and the API "
      + "on its class path (lib/boot), their packages exported (etc/custom.properties), the bundles in its system "
      + "repository. Then restart Karaf and install the features in its console.")
  static final class KarafCommand implements Callable<Integer> {
    @Parameters(paramLabel = "KARAF_HOME", description = "the folder Karaf was unpacked to (it holds bin/karaf)")
    Path karaf;

    @Override
    public Integer call() throws Exception {
      KarafSetup.Result result = KarafSetup.prepare(Distribution.current(), karaf);
      Path home = karaf.toAbsolutePath().normalize();
      System.out.println("prepared " + home + ": " + result.classPathJars() + " jars in lib/boot, their packages in "
          + "etc/custom.properties, " + result.bundles() + " bundles in system/");
      System.out.println("(re)start Karaf (" + home.resolve("bin/karaf") + "), then in its console:");
      System.out.println("  feature:repo-add " + result.repository());
      System.out.println("  feature:install ganymede                 # add ganymede-dashboard for the run dashboard");
      System.out.println("  ganymede:train /absolute/path/to/experiment.yaml   # runs land in runs/ under Karaf's working folder");
      return 0;
    }
  }

  interface RunCall {
    RunOutcome run(ExperimentRunner runner, RunOptions options) throws Exception;
  }

  /**
   * Runs in a fresh framework; Ctrl-C asks the run to stop, and waits for its checkpoint. A worker
   * of a cluster other than worker 0 shows no progress, only its outcome.
   */
  static int runInHost(List<String> bundles, RunCall call, Path runDir, long steps, ClusterOptions workers)
      throws Exception {
    ExperimentRunner.Cluster cluster = workers.cluster();
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch finished = new CountDownLatch(1);
    Thread onInterrupt = new Thread(() -> {
      stop.set(true);
      try {
        finished.await(120, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "ganymede-stop");
    Runtime.getRuntime().addShutdownHook(onInterrupt);
    if (workers.stopWithParent) {
      ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> stop.set(true)));
    }
    boolean quiet = cluster != null && !cluster.chief();
    try (GanymedeHost host = GanymedeHost.start(Distribution.current(), bundles)) {
      reportProblems(host);
      RunOutcome outcome = call.run(host.runner(), new RunOptions(quiet ? List.of() : List.of(new ConsoleProgress()),
          stop::get, runDir, steps, cluster));
      if (quiet) {
        System.out.println(outcome.message());
      }
      return outcome.status() == RunOutcome.Status.DIVERGED ? 3 : 0;
    } finally {
      finished.countDown();
    }
  }

  static void reportProblems(GanymedeHost host) {
    for (String problem : host.problems()) {
      System.err.println("warning: " + problem);
    }
  }

  /** The experiment file a run folder keeps. */
  static Path runExperiment(Path runDir) {
    Path experiment = runDir.resolve("experiment.yaml");
    if (!Files.isRegularFile(experiment)) {
      throw new ParameterException(runDir + " is not a run folder: it has no experiment.yaml");
    }
    return experiment;
  }

  /** The experiment's {@code bundles:} list; empty means every plug-in. */
  static List<String> selectedBundles(Path experiment) throws Exception {
    Object root;
    try {
      root = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(experiment));
    } catch (org.yaml.snakeyaml.error.YAMLException e) {
      throw new ParameterException(experiment + " is not valid YAML: " + e.getMessage());
    }
    List<String> bundles = new ArrayList<>();
    if (root instanceof Map<?, ?> m && m.get("bundles") instanceof List<?> list) {
      for (Object o : list) {
        bundles.add(String.valueOf(o));
      }
    }
    return bundles;
  }
}
