package org.ganymede.engine.internal;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.ProvisionException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.ganymede.api.AdversarialLoss;
import org.ganymede.api.Checkpoint;
import org.ganymede.api.Architecture;
import org.ganymede.api.Dataset;
import org.ganymede.api.DatasetProvider;
import org.ganymede.api.DataSpec;
import org.ganymede.api.ExperimentRunner;
import org.ganymede.api.GanModel;
import org.ganymede.api.Metric;
import org.ganymede.api.ModelContext.SelectedRegularizer;
import org.ganymede.api.ParameterException;
import org.ganymede.api.Parameters;
import org.ganymede.api.Plugins;
import org.ganymede.api.Regularizer;
import org.ganymede.api.RunOutcome;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;

/**
 * The engine's service: runs experiments for any client in the framework. Each run looks its
 * plug-ins up by name, composes them with one Guice injector, trains, and releases them.
 */
@Component(service = ExperimentRunner.class)
public final class RunnerComponent implements ExperimentRunner {
  private static final Duration SERVICE_WAIT = Duration.ofSeconds(10);
  private static final int DEFAULT_METRIC_SAMPLES = 1000;
  private static final String DEFAULT_FEATURES = "fashion-mnist-classifier";
  private final BundleContext context;
  private final ServiceComponentRuntime components;
  /** The checkpoint resume and the readers restore. */
  private final Checkpoint checkpoint;

  @Activate
  public RunnerComponent(BundleContext context, @Reference ServiceComponentRuntime components) {
    this(context, components, Checkpoint.latest());
  }

  private RunnerComponent(BundleContext context, ServiceComponentRuntime components, Checkpoint checkpoint) {
    this.context = context;
    this.components = components;
    this.checkpoint = checkpoint;
  }

  @Override
  public ExperimentRunner from(Checkpoint chosen) {
    return new RunnerComponent(context, components, java.util.Objects.requireNonNull(chosen, "checkpoint"));
  }

  @Override
  public RunOutcome train(Path experimentFile, RunOptions options) throws Exception {
    if (checkpoint.kind() != Checkpoint.Kind.LATEST) {
      throw new ParameterException("train starts a new run from fresh weights; a checkpoint is chosen for resume, "
          + "sample, translate, evaluate and export");
    }
    Experiment experiment = ExperimentParser.read(experimentFile);
    Path root = options.runDirectory() != null ? options.runDirectory() : experiment.output().runDirectory();
    RunDirectory directory = new RunDirectory(root);
    return execute(experiment, directory, RunState.START, null, options);
  }

  @Override
  public RunOutcome resume(Path runDirectory, RunOptions options) throws Exception {
    RunDirectory directory = new RunDirectory(runDirectory);
    Experiment experiment = readRun(directory);
    Listeners listeners = new Listeners(options.listeners());
    if (options.cluster() != null && !options.cluster().chief()) {
      // Worker 0 holds the lock and writes; the others only read the checkpoint they all start from.
      Path restored = directory.toResume(checkpoint, listeners::warning);
      return execute(experiment, directory, RunDirectory.readState(restored), restored, options);
    }
    // The lock first: nothing else may prune or write the checkpoint chosen here.
    try (RunLock lock = RunLock.acquire(directory.root(), "resume")) {
      Path restored = directory.toResume(checkpoint, listeners::warning);
      return execute(experiment, directory, RunDirectory.readState(restored), restored, options);
    }
  }

  @Override
  public Path sample(Path runDirectory, SampleOptions options) throws Exception {
    Sampler.check(options);
    return withCheckpoint(runDirectory, "sample from", Experiment::metrics, run -> {
      TrainingGraph graph = run.graph();
      Dataset dataset = run.dataset();
      if (graph.imageConditioned) {
        Sampler.checkConditionPicture(options, run.experiment().architecture().name());
        SampleImages.writePng(SampleImages.enlarged(ConditionPictures.of(graph, dataset, options.count(), options.seed()),
            run.experiment().output().scaleFor(dataset.spec())), options.output());
        return options.output();
      }
      if (!graph.model.samples()) {
        throw new ParameterException("architecture '" + run.experiment().architecture().name()
            + "' translates and does not sample from a latent: use 'ganymede translate'");
      }
      Sampler.Drawing drawing = new Sampler(graph, run.experiment().architecture().name()).draw(options);
      float[][] generated = drawing.samples();
      DataSpec spec = dataset.spec();
      Path output = options.output();
      if (spec.isImage()) {
        SampleImages.writePng(SampleImages.enlarged(SampleImages.grid(generated, spec, drawing.columns()),
            run.experiment().output().scaleFor(spec)), output);
      } else {
        float[][] real = new float[Math.min(dataset.size(), 2000)][spec.sampleSize()];
        for (int i = 0; i < real.length; i++) {
          dataset.read(i, real[i], 0);
        }
        SampleImages.writePng(SampleImages.scatter(generated, real), output);
      }
      return output;
    });
  }

  @Override
  public List<Path> export(Path runDirectory, ExportOptions options) throws Exception {
    SampleExport.check(options);
    return withCheckpoint(runDirectory, "export from", experiment -> List.of(), run -> {
      TrainingGraph graph = run.graph();
      if (graph.imageConditioned) {
        throw new ParameterException("architecture '" + run.experiment().architecture().name() + "' makes its outputs"
            + " from condition images, and export writes samples drawn from a latent: use 'ganymede translate' on"
            + " the condition images");
      }
      Sampler sampler = new Sampler(graph, run.experiment().architecture().name());
      return SampleExport.write(graph, sampler, run.dataset().spec(), options, run.experiment().training().batch());
    });
  }

  @Override
  public List<Path> exportModel(Path runDirectory, Path outputFolder) throws Exception {
    ModelExport.checkOutput(outputFolder);
    return withCheckpoint(runDirectory, "export", experiment -> List.of(), run -> ModelExport.write(run.graph(),
        run.experiment(), run.state(), run.dataset().spec(), outputFolder));
  }

  @Override
  public List<Path> translate(Path runDirectory, String direction, Path input, Path outputFolder) throws Exception {
    List<Path> files = ImageFiles.list(input);
    return withCheckpoint(runDirectory, "translate with", Experiment::metrics, run -> {
      if (run.graph().imageConditioned) {
        if (direction != null) {
          throw new ParameterException("architecture '" + run.experiment().architecture().name() + "' makes one thing"
              + " from its condition images and has no directions: leave out --direction");
        }
        return translateConditions(run, files, outputFolder);
      }
      List<GanModel.Translation> translations = run.graph().model.translations();
      if (translations.isEmpty()) {
        throw new ParameterException("architecture '" + run.experiment().architecture().name()
            + "' does not translate; it samples from a latent: use 'ganymede sample'");
      }
      String named = direction == null ? GanModel.Translation.A_TO_B : direction;
      GanModel.Translation translation = translations.stream().filter(t -> t.name().equals(named)).findFirst()
          .orElseThrow(() -> new ParameterException("--direction is '" + named + "'; this run translates "
              + String.join(", ", translations.stream().map(GanModel.Translation::name).toList())));
      TrainingGraph.Domains domains = TrainingGraph.Domains.of(translation, run.dataset());
      Dataset source = domains.source();
      Dataset target = domains.target();
      Files.createDirectories(outputFolder);
      List<Path> written = new ArrayList<>();
      int batch = run.experiment().training().batch();
      for (int from = 0; from < files.size(); from += batch) {
        List<Path> chunk = files.subList(from, Math.min(files.size(), from + batch));
        float[][] inputs = new float[chunk.size()][];
        for (int i = 0; i < inputs.length; i++) {
          inputs[i] = ImageFiles.read(chunk.get(i), source.spec());
        }
        float[][] outputs = run.graph().translate(translation, inputs).outputs();
        for (int i = 0; i < outputs.length; i++) {
          Path file = outputFolder.resolve(ImageFiles.baseName(chunk.get(i)) + ".png");
          SampleImages.writePng(SampleImages.image(outputs[i], target.spec()), file);
          written.add(file);
        }
      }
      return written;
    });
  }

  /**
   * An image-conditioned run's outputs for image files read as its condition images: at their size
   * (the low resolution of super-resolution), or for inpainting at the target's size with their
   * transparent pixels missing. A class-conditional one makes each output of the first class.
   */
  private static List<Path> translateConditions(RestoredRun run, List<Path> files, Path outputFolder)
      throws IOException {
    TrainingGraph graph = run.graph();
    DataSpec target = run.dataset().spec();
    boolean masked = graph.pairing.kind().equals(org.ganymede.api.Condition.Images.MASKED);
    float[][] conditions = new float[files.size()][];
    for (int i = 0; i < conditions.length; i++) {
      conditions[i] = masked ? ImageFiles.readMasked(files.get(i), target) : ImageFiles.read(files.get(i),
          graph.pairing.spec());
    }
    int[] labels = graph.conditional ? new int[files.size()] : null;
    float[][] outputs = new Pairs(null, conditions, labels).outputs(graph, run.experiment().training().seed(),
        run.experiment().training().batch());
    Files.createDirectories(outputFolder);
    List<Path> written = new ArrayList<>();
    for (int i = 0; i < outputs.length; i++) {
      Path file = outputFolder.resolve(ImageFiles.baseName(files.get(i)) + ".png");
      SampleImages.writePng(SampleImages.image(outputs[i], target), file);
      written.add(file);
    }
    return written;
  }

  @Override
  public Evaluation evaluate(Path runDirectory, EvaluationOptions options) throws Exception {
    Function<Experiment, List<PluginRef>> metricRefs = experiment -> {
      List<PluginRef> refs = new ArrayList<>();
      if (options.metrics().isEmpty()) {
        refs.addAll(experiment.metrics());
      } else {
        options.metrics().forEach(given -> refs.add(metricRef(given, experiment)));
      }
      if (refs.isEmpty()) {
        throw new ParameterException("the run's experiment selects no metrics; name some (--metric fid, say); "
            + "metrics registered now: " + String.join(", ", plugins().stream()
                .filter(p -> p.kind().equals("metric")).map(PluginInfo::name).toList()));
      }
      if (options.samples() > 0) {
        refs.replaceAll(m -> {
          Map<String, Object> parameters = new LinkedHashMap<>(m.parameters());
          parameters.put("samples", options.samples());
          return new PluginRef(m.kind(), m.name(), parameters);
        });
      }
      return refs;
    };
    return withCheckpoint(runDirectory, "evaluate", metricRefs, run -> {
      Evaluator.Result result = provide(run.injector(), Evaluator.class).evaluate(run.graph());
      Path file = run.directory().writeEvaluation(run.state().step(), result.values(), result.failures());
      return new Evaluation(run.state().step(), result.values(), result.failures(), file);
    });
  }

  @Override
  public Evaluation compare(Comparison comparison) throws Exception {
    if (comparison.metrics().isEmpty()) {
      throw new ParameterException("name the metrics to compute (--metric fid, say); metrics registered now: "
          + String.join(", ", plugins().stream().filter(p -> p.kind().equals("metric")).map(PluginInfo::name).toList()));
    }
    long seed = 1;
    boolean realFeatures = isFeatureMatrix(comparison.real());
    if (realFeatures != isFeatureMatrix(comparison.fake())) {
      throw new ParameterException("--real " + comparison.real() + " and --fake " + comparison.fake() + " must both be"
          + " .npy feature matrices or both be samples: features from one extractor compare only with its own");
    }
    if (realFeatures) {
      return compareFeatures(comparison, seed);
    }
    try (ServiceDirectory services = new ServiceDirectory(context, components, SERVICE_WAIT);
        Dataset real = openSamples(comparison.real(), "--real", services);
        Dataset fake = openSamples(comparison.fake(), "--fake", services)) {
      List<Evaluator.SelectedMetric> metrics = new ArrayList<>();
      try {
        for (String given : comparison.metrics()) {
          PluginRef ref = ExperimentParser.plugin(ExperimentParser.value(given, "--metric"), "metric", "--metric");
          if (comparison.samples() > 0) {
            Map<String, Object> parameters = new LinkedHashMap<>(ref.parameters());
            parameters.put("samples", comparison.samples());
            ref = new PluginRef(ref.kind(), ref.name(), parameters);
          } else if (!ref.parameters().containsKey("samples")) {
            Map<String, Object> parameters = new LinkedHashMap<>(ref.parameters());
            parameters.put("samples", Math.min(real.size(), fake.size())); // every sample both sets hold
            ref = new PluginRef(ref.kind(), ref.name(), parameters);
          }
          metrics.add(selectMetric(ref, services, seed));
        }
        Evaluator.Result result = new Evaluator(metrics, real, seed, 64).compare(fake);
        return compared(comparison, result);
      } finally {
        for (Evaluator.SelectedMetric m : metrics) {
          if (m.test() != null) {
            m.test().close();
          }
        }
      }
    }
  }

  /** A comparison's values, also written to its output file when it names one. */
  private static Evaluation compared(Comparison comparison, Evaluator.Result result) throws IOException {
    if (comparison.output() != null) {
      RunDirectory.writeValues(comparison.output(), 0, result.values(), result.failures());
    }
    return new Evaluation(0, result.values(), result.failures(), comparison.output());
  }

  private static boolean isFeatureMatrix(String given) {
    return given.trim().toLowerCase(java.util.Locale.ROOT).endsWith(".npy");
  }

  /** {@link #compare} on two feature matrices: the metrics that read features, with no extractor. */
  private Evaluation compareFeatures(Comparison comparison, long seed) throws IOException {
    float[][] real = NpyMatrix.read(Path.of(comparison.real().trim()), "--real");
    float[][] fake = NpyMatrix.read(Path.of(comparison.fake().trim()), "--fake");
    if (real[0].length != fake[0].length) {
      throw new ParameterException("--real holds " + real[0].length + " features a row and --fake " + fake[0].length
          + ": compare features of one extractor");
    }
    List<Evaluator.SelectedMetric> metrics = new ArrayList<>();
    try (ServiceDirectory services = new ServiceDirectory(context, components, SERVICE_WAIT)) {
      for (String given : comparison.metrics()) {
        PluginRef ref = ExperimentParser.plugin(ExperimentParser.value(given, "--metric"), "metric", "--metric");
        Metric metric = services.get("metric", ref.name());
        if (metric.input() != Metric.Input.FEATURES) {
          throw new ParameterException("metric '" + ref.name() + "' reads " + metric.input().toString()
              .toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ", and .npy files give features: choose metrics"
              + " of features (fid, kid, precision-recall, density-coverage) or give images");
        }
        Parameters p = ref.newParameters();
        if (p.has("features") || p.has("per_class") || p.has("test")) {
          throw new ParameterException("metric '" + ref.name() + "' on .npy features takes no 'features', 'per_class' or"
              + " 'test': the files hold the features, without classes");
        }
        int most = Math.min(real.length, fake.length);
        int samples = comparison.samples() > 0 ? comparison.samples() : p.intInRange("samples", most, 2, 1_000_000);
        metrics.add(new Evaluator.SelectedMetric(ref.name(), metric, p, samples, null, false, false, null));
      }
    }
    Evaluator.Result result = Evaluator.compareFeatures(metrics, fake, real, seed);
    return compared(comparison, result);
  }

  /**
   * Samples of one's own as a dataset: a folder of images (their size and channels read from the
   * first, no crops or flips), an IDX images file, or a dataset given as a YAML map.
   */
  private static Dataset openSamples(String given, String option, ServiceDirectory services) throws IOException {
    PluginRef ref;
    String text = given.trim();
    if (text.startsWith("{")) {
      ref = ExperimentParser.plugin(ExperimentParser.value(text, option), "dataset", option);
    } else {
      Path path = Path.of(text);
      if (Files.isDirectory(path)) {
        DataSpec first = ImageFiles.shapeOfFirst(path, option);
        ref = new PluginRef("dataset", "image-folder", Map.of("path", path.toAbsolutePath().toString(),
            "size", (int) first.width(), "load_size", (int) first.width(), "channels", first.channels(), "flip", false));
      } else if (Files.isRegularFile(path)) {
        ref = new PluginRef("dataset", "idx", Map.of("images", path.toAbsolutePath().toString()));
      } else {
        throw new ParameterException(option + " " + given + " does not exist; give a folder of images, an IDX images "
            + "file (images-idx3-ubyte.gz) or a dataset as a YAML map ({name: fashion-mnist, split: train})");
      }
    }
    Parameters parameters = ref.newParameters();
    Dataset data = services.<DatasetProvider>get("dataset", ref.name()).open(parameters, 1);
    try {
      parameters.rejectUnknownKeys();
    } catch (ParameterException e) {
      data.close();
      throw e;
    }
    return data;
  }

  /**
   * A metric named on the command line: a name, with the parameters the run's experiment gives it
   * if it selects it, or a YAML map with its name and parameters ({@code {name: fid, per_class: true}}).
   */
  private static PluginRef metricRef(String given, Experiment experiment) {
    PluginRef ref = ExperimentParser.plugin(ExperimentParser.value(given, "--metric"), "metric", "--metric");
    if (given.trim().startsWith("{")) {
      return ref;
    }
    return experiment.metrics().stream().filter(m -> m.name().equals(ref.name())).findFirst().orElse(ref);
  }

  /** A run folder's latest checkpoint, restored: what sampling, translating and evaluating work on. */
  private record RestoredRun(
      Experiment experiment, RunDirectory directory, RunState state, Injector injector, TrainingGraph graph,
      Dataset dataset) {}

  private interface RestoredWork<T> {
    T apply(RestoredRun run) throws Exception;
  }

  /**
   * Restores the chosen checkpoint (the latest unless {@link #from} chose another) with the
   * plug-ins its experiment names and hands it to {@code work}; everything is released after.
   *
   * @param purpose what is to be done, for the message when there is no checkpoint
   * @param metricRefs the metrics to select, from the run's experiment
   */
  private <T> T withCheckpoint(Path runDirectory, String purpose,
      Function<Experiment, List<PluginRef>> metricRefs, RestoredWork<T> work) throws Exception {
    RunDirectory directory = new RunDirectory(runDirectory);
    Experiment read = readRun(directory);
    try (CheckpointFiles.Snapshot snapshot = snapshot(directory, purpose)) {
      return restored(directory, read, snapshot, metricRefs, work);
    }
  }

  /**
   * A private copy of the chosen checkpoint, verified: a run training meanwhile may prune the
   * original at any time. The latest checkpoint is looked up again if it went while being copied.
   */
  private CheckpointFiles.Snapshot snapshot(RunDirectory directory, String purpose) throws IOException {
    for (int attempt = 1; ; attempt++) {
      Path chosen = directory.find(checkpoint, purpose);
      try {
        CheckpointFiles.Snapshot snapshot = CheckpointFiles.Snapshot.of(chosen);
        java.util.Optional<String> damage = CheckpointFiles.damage(snapshot.dir());
        if (damage.isEmpty()) {
          return snapshot;
        }
        snapshot.close();
        if (!prunedMeanwhile(directory, chosen, attempt)) {
          throw directory.damaged(chosen, damage.get());
        }
      } catch (java.nio.file.NoSuchFileException e) {
        if (!prunedMeanwhile(directory, chosen, attempt)) {
          directory.choose(checkpoint, purpose); // names the damage
          throw new ParameterException("checkpoint " + chosen.getFileName() + " was removed from "
              + directory.checkpoints() + " while it was read (the run training there keeps only its newest "
              + "checkpoints); try again, or raise output.keep_checkpoints");
        }
      }
    }
  }

  /** Whether the latest checkpoint, read while the run went past it, should be looked up again. */
  private boolean prunedMeanwhile(RunDirectory directory, Path chosen, int attempt) throws IOException {
    return checkpoint.kind() == Checkpoint.Kind.LATEST && attempt < 10
        && !directory.latestCheckpoint().map(chosen::equals).orElse(false);
  }

  private <T> T restored(RunDirectory directory, Experiment read, CheckpointFiles.Snapshot snapshot,
      Function<Experiment, List<PluginRef>> metricRefs, RestoredWork<T> work) throws Exception {
    Path checkpoint = snapshot.dir();
    RunState state = RunDirectory.readState(checkpoint);
    try (ServiceDirectory services = new ServiceDirectory(context, components, SERVICE_WAIT)) {
      Experiment experiment = withArchitectureDefaults(read, services);
      RunModule.Selection selection = select(experiment, metricRefs.apply(experiment), services);
      try (RunModule.Selection opened = selection) {
        Dataset dataset = opened.dataset();
        Injector injector = Guice.createInjector(new RunModule(experiment, directory, selection, state, checkpoint, 0,
            List.of(), () -> false, null));
        try (TrainingGraph graph = provide(injector, TrainingGraph.class)) {
          return work.apply(new RestoredRun(experiment, directory, state, injector, graph, dataset));
        }
      }
    }
  }

  @Override
  public List<PluginInfo> plugins() {
    return ServiceDirectory.plugins(context);
  }

  /**
   * Trains from {@code start}: from {@code checkpoint}, whose folder's lock a resume holds, or from
   * fresh weights when it is null; a new run takes the lock once the experiment has proved valid
   * (only a valid experiment gets a run folder). In a cluster only worker 0 takes it and writes.
   */
  private RunOutcome execute(Experiment experiment, RunDirectory directory, RunState start, Path checkpoint,
      RunOptions options) throws Exception {
    boolean writer = options.cluster() == null || options.cluster().chief();
    boolean fresh = checkpoint == null;
    long lastStep = options.steps() > 0 ? options.steps() : experiment.training().steps();
    if (lastStep <= start.step()) {
      throw new ParameterException("the run is at step " + start.step() + " already; ask for more steps than that");
    }
    try (ServiceDirectory services = new ServiceDirectory(context, components, SERVICE_WAIT)) {
      Experiment resolved = withArchitectureDefaults(experiment, services);
      RunModule.Selection selection = select(resolved, resolved.metrics(), services);
      try (RunModule.Selection opened = selection) {
        Dataset dataset = opened.dataset();
        Injector injector = Guice.createInjector(new RunModule(resolved, directory, selection, start, checkpoint,
            lastStep, options.listeners(), () -> options.stopRequested().getAsBoolean() || services.lostService() != null,
            options.cluster() == null ? null : new Workers(options.cluster())));
        // Building the graph checks every parameter: only a valid experiment gets a run folder.
        try (TrainingGraph graph = provide(injector, TrainingGraph.class);
            RunLock taken = fresh && writer ? RunLock.acquire(directory.root(), "train") : null) {
          if (fresh && writer) {
            directory.createFor(experiment);
          }
          RunOutcome outcome = provide(injector, Trainer.class).run();
          String lost = services.lostService();
          if (lost != null && outcome.status() == RunOutcome.Status.STOPPED) {
            return new RunOutcome(outcome.status(), outcome.step(), outcome.runDirectory(), outcome.lastValues(),
                outcome.stepsPerSecond(), "service " + lost + " went away; " + outcome.message());
          }
          return outcome;
        }
      }
    }
  }

  /**
   * What the injector provides. A plug-in's error while it is built (a parameter out of range,
   * data it cannot take) comes out as that error, not wrapped by Guice: Guice formats its messages
   * lazily, with class loaders that are gone once the framework has stopped.
   */
  private static <T> T provide(Injector injector, Class<T> type) {
    try {
      return injector.getInstance(type);
    } catch (ProvisionException e) {
      if (e.getCause() instanceof RuntimeException cause) { // Guice's only cause, null when several
        throw cause;
      }
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /** The experiment with its architecture's defaults where it names nothing (the loss). */
  private static Experiment withArchitectureDefaults(Experiment experiment, ServiceDirectory services) {
    String architecture = experiment.architecture().name();
    services.get("architecture", architecture);
    return experiment.withDefaultLoss((String) services.property("architecture", architecture, Plugins.DEFAULT_LOSS));
  }

  /** Looks up every plug-in the experiment names, with these metrics, and opens its dataset. */
  private static RunModule.Selection select(Experiment experiment, List<PluginRef> metricRefs, ServiceDirectory services)
      throws IOException {
    Architecture architecture = services.get("architecture", experiment.architecture().name());
    Parameters lossParameters = experiment.loss().newParameters();
    AdversarialLoss loss = services.<AdversarialLoss>get("loss", experiment.loss().name()).with(lossParameters);
    lossParameters.rejectUnknownKeys();
    List<SelectedRegularizer> regularizers = new ArrayList<>();
    for (PluginRef r : experiment.regularizers()) {
      Regularizer regularizer = services.get("regularizer", r.name());
      regularizers.add(new SelectedRegularizer(r.name(), regularizer, r.newParameters()));
    }
    List<TrainingGraph.SelectedAugmentation> augmentations = new ArrayList<>();
    for (PluginRef a : experiment.augmentations()) {
      augmentations.add(new TrainingGraph.SelectedAugmentation(a.name(), services.get("augmentation", a.name()),
          a.newParameters()));
    }
    List<Evaluator.SelectedMetric> metrics = new ArrayList<>();
    for (PluginRef m : metricRefs) {
      metrics.add(selectMetric(m, services, experiment.training().seed()));
    }
    DatasetProvider provider = services.get("dataset", experiment.dataset().name());
    Parameters datasetParameters = experiment.dataset().newParameters();
    Dataset dataset = provider.open(datasetParameters, experiment.training().seed());
    try {
      datasetParameters.rejectUnknownKeys();
    } catch (ParameterException e) {
      dataset.close();
      throw e;
    }
    return new RunModule.Selection(architecture, experiment.architecture().newParameters(), loss, regularizers,
        augmentations, dataset,
        metrics, services.namesWith("dataset", Plugins.CONDITIONS, "class"),
        services.namesWith("dataset", Plugins.CONDITIONS, "image"));
  }

  /**
   * A metric with the engine's own keys read: {@code samples}, and for metrics that read features,
   * {@code features} (an extractor's name, or a map with its name and parameters).
   */
  private static Evaluator.SelectedMetric selectMetric(PluginRef m, ServiceDirectory services, long seed)
      throws IOException {
    Metric metric = services.get("metric", m.name());
    Parameters p = m.newParameters();
    boolean labelled = metric.input() == Metric.Input.LABELLED_SAMPLES;
    // A metric that trains on generated data sees by default as many as the run's data hold.
    int samples = labelled && !p.has("samples") ? Evaluator.ALL_SAMPLES
        : p.intInRange("samples", DEFAULT_METRIC_SAMPLES, 2, 1_000_000);
    boolean onlyAtEnd = p.booleanValue("only_at_end", false);
    if (labelled) {
      if (p.booleanValue("per_class", false)) {
        throw new ParameterException("metric '" + m.name() + "' trains on the samples of every class at once; it takes"
            + " no per_class");
      }
      if (!p.has("test")) {
        throw new ParameterException("metric '" + m.name() + "' tests on held-out labelled data: give 'test', a dataset"
            + " the run did not train on (test: {name: fashion-mnist, split: train} for a run on the test split, say)");
      }
      return new Evaluator.SelectedMetric(m.name(), metric, p, samples, null, false, onlyAtEnd, openTest(m, p, services,
          seed));
    }
    Evaluator.FeatureSource features = null;
    if (metric.input() != Metric.Input.SAMPLES) {
      PluginRef extractor = p.has("features")
          ? ExperimentParser.plugin(p.asMap().get("features"), "feature-extractor", "metric '" + m.name() + "'")
          : new PluginRef("feature-extractor", DEFAULT_FEATURES, Map.of());
      features = new Evaluator.FeatureSource(extractor.name(), services.get("feature-extractor", extractor.name()),
          extractor.newParameters());
    }
    boolean perClass = p.booleanValue("per_class", false);
    // Without 'test' a metric measures on the run's own data.
    return new Evaluator.SelectedMetric(m.name(), metric, p, samples, features, perClass, onlyAtEnd,
        p.has("test") ? openTest(m, p, services, seed) : null);
  }

  /** The dataset a metric's {@code test} names, opened. */
  private static Dataset openTest(PluginRef m, Parameters p, ServiceDirectory services, long seed) throws IOException {
    PluginRef ref = ExperimentParser.plugin(p.asMap().get("test"), "dataset", "metric '" + m.name() + "'");
    Parameters testParameters = ref.newParameters();
    Dataset test = services.<DatasetProvider>get("dataset", ref.name()).open(testParameters, seed);
    try {
      testParameters.rejectUnknownKeys();
    } catch (ParameterException e) {
      test.close();
      throw e;
    }
    return test;
  }

  private static Experiment readRun(RunDirectory directory) throws IOException {
    if (!Files.exists(directory.experimentFile())) {
      throw new ParameterException(directory.root() + " is not a run folder: it has no " + RunDirectory.EXPERIMENT);
    }
    return ExperimentParser.parse(Files.readString(directory.experimentFile()), directory.root().getFileName().toString(),
        directory.experimentFile().toString());
  }
}
