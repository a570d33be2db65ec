package org.ganymede.engine.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ganymede.api.AdversarialLoss;
import org.ganymede.api.Architecture;
import org.ganymede.api.Augmentation;
import org.ganymede.api.AugmentationContext;
import org.ganymede.api.Augmentations;
import org.ganymede.api.Condition;
import org.ganymede.api.DataSpec;
import org.ganymede.api.Dataset;
import org.ganymede.api.GanModel;
import org.ganymede.api.ModelContext;
import org.ganymede.api.Objective;
import org.ganymede.api.OptimizerSpec;
import org.ganymede.api.Parameters;
import org.ganymede.api.Regularizer;
import org.ganymede.nn.AdamOptimizer;
import org.ganymede.nn.Gradients;
import org.ganymede.nn.Precision;
import org.ganymede.nn.RmsPropOptimizer;
import org.ganymede.nn.StatelessRandom;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * The TensorFlow side of a run: the graph the architecture built, one optimizer per objective
 * (each updating only its own variables), and the session that runs them.
 */
final class TrainingGraph implements AutoCloseable {
  /** Graph names the bench's bare loop and other tools find the inputs and train ops by. */
  static final String REAL = "real";
  static final String REAL_B = "real_b";
  static final String REAL_LABELS = "real_labels";
  static final String SAMPLE_CLASSES = "sample_classes";
  static final String REAL_CONDITIONS = "real_conditions";
  static final String SAMPLE_CONDITIONS = "sample_conditions";
  /** Offsets the noise seed of the generator's classes from every stream the architecture draws. */
  private static final long CLASS_STREAM = 0x2545F4914F6CDD1DL;
  /** Offsets the noise seed of each augmentation (times its position, from 1) likewise. */
  private static final long AUGMENTATION_STREAM = 0x5851F42D4C957F2DL;
  static final String NOISE_SEED = "noise_seed";
  static final String STEP = "step";
  static final String STOP_REQUESTED = "stop_requested";

  final Graph graph;
  final Session session;
  final Ops tf;
  final DataSpec data;
  final int batch;
  final Placeholder<TFloat32> real;
  /** Domain B's batch for unpaired two-domain data, else null. */
  final Placeholder<TFloat32> realB;
  final Placeholder<TInt64> noiseSeed;
  /** The real batch's labels for labelled data, else null. */
  final Placeholder<TInt32> realLabels;
  /** The classes of the samples asked for, {@code [n, classes]}, for labelled data, else null. */
  final Placeholder<TFloat32> sampleClasses;
  /** The data's class names; empty for unlabelled data. */
  final List<String> classNames;
  /** The ids of the classes the data hold (a selection of classes holds fewer than it names). */
  final int[] presentClasses;
  /** Whether the architecture reads the labels: samples are then made of a class. */
  final boolean conditional;
  /** The condition images of each real batch, for paired data, else null. */
  final Placeholder<TFloat32> realConditions;
  /** The condition images of the outputs asked for, for paired data, else null. */
  final Placeholder<TFloat32> sampleConditions;
  /** What the condition images of paired data are, else null. */
  final Pairing pairing;
  /** Whether the architecture reads the condition images: its outputs are then made from them. */
  final boolean imageConditioned;
  /** The training step (from 0), for scheduled learning rates; 0 when not fed. */
  final Operand<TInt64> step;
  final GanModel model;
  /** The selected augmentations of what the discriminator judges, as built. */
  final Augmentations augmentations;
  /** The model's after-step ops, then the augmentations'. */
  final List<Op> afterStep;
  final List<CompiledObjective> objectives;
  /** Where a new run's weights came from, when not from their initialisers ({@code training.init_from}); else null. */
  String origin;
  /** The variables the architecture made (weights, averages, counters), not the optimizers' slots. */
  final java.util.Set<String> modelVariables;
  final Map<String, Operand<TFloat32>> scalars;
  /** The cluster this graph trains in, data-parallel; null when it trains alone. */
  final Workers workers;
  /** In a cluster: whether this worker asks to stop, fed at every exchange; else null. */
  private final Operand<TFloat32> stopRequested;
  /** In a cluster: whether any worker asked to stop at the latest exchange. */
  private boolean stopVoted;

  /**
   * An objective with the op that applies one optimizer step to it.
   *
   * @param loss the objective's loss; in a cluster its mean over all workers
   * @param stopVotes in a cluster the mean of the workers' stop requests at this exchange, else null
   */
  record CompiledObjective(String name, Operand<TFloat32> loss, Op train, int repeats, int interval,
      Operand<TFloat32> stopVotes) {
    boolean runsAt(long step) {
      return step % interval == 0;
    }
  }

  /** @param dataB the shape of domain B's samples for unpaired two-domain data, else null */
  private TrainingGraph(Graph graph, DataSpec data, DataSpec dataB, int batch, BuildRequest request) {
    this.graph = graph;
    this.tf = Ops.create(graph);
    this.data = data;
    this.batch = batch;
    this.workers = request.workers();
    Gradients.registerMissing();
    Precision.set(tf, request.precision());
    this.real = tf.withName(REAL).placeholder(TFloat32.class, Placeholder.shape(Shape.of(data.batchShape(batch))));
    this.noiseSeed = tf.withName(NOISE_SEED).placeholder(TInt64.class, Placeholder.shape(Shape.of(2)));
    this.step = tf.withName(STEP).placeholderWithDefault(tf.constant(0L), Shape.scalar());
    this.realB = dataB == null ? null
        : tf.withName(REAL_B).placeholder(TFloat32.class, Placeholder.shape(Shape.of(dataB.batchShape(batch))));
    Classes classes = request.classes();
    Condition.Labels labels = null;
    if (classes.labelled()) {
      this.classNames = classes.names();
      this.presentClasses = classes.present();
      this.realLabels = tf.withName(REAL_LABELS).placeholder(TInt32.class, Placeholder.shape(Shape.of(batch)));
      this.sampleClasses = tf.withName(SAMPLE_CLASSES).placeholder(TFloat32.class,
          Placeholder.shape(Shape.of(-1, classNames.size())));
      labels = new Condition.Labels(classNames.size(), classNames, realLabels, drawClasses(classes, batch),
          sampleClasses);
    } else {
      this.classNames = List.of();
      this.presentClasses = new int[0];
      this.realLabels = null;
      this.sampleClasses = null;
    }
    this.pairing = request.pairing().paired() ? request.pairing() : null;
    Condition.Images images = null;
    if (pairing != null) {
      this.realConditions = tf.withName(REAL_CONDITIONS).placeholder(TFloat32.class,
          Placeholder.shape(Shape.of(pairing.spec().batchShape(batch))));
      long[] sampleShape = pairing.spec().batchShape(1);
      sampleShape[0] = -1;
      this.sampleConditions = tf.withName(SAMPLE_CONDITIONS).placeholder(TFloat32.class,
          Placeholder.shape(Shape.of(sampleShape)));
      images = new Condition.Images(pairing.spec(), pairing.kind(), realConditions, sampleConditions);
    } else {
      this.realConditions = null;
      this.sampleConditions = null;
    }
    Condition condition = Condition.of(labels, classes.missing(), images, request.pairing().missing());
    this.stopRequested = workers == null ? null
        : tf.withName(STOP_REQUESTED).placeholderWithDefault(tf.constant(0f), Shape.scalar());
    this.augmentations = buildAugmentations(request.augmentations());
    ModelContext context = ModelContext.builder(tf, data, real, batch)
        .parameters(request.architectureParameters())
        .loss(request.loss())
        .regularizers(request.regularizers())
        .random(shared(new StatelessRandom(tf, noiseSeed)))
        .seed(request.seed())
        .optimizers((name, fallback) -> fallback.with(request.optimizerParameters().apply(name)))
        .criticSteps(request.criticSteps())
        .secondDomain(dataB == null ? null : new ModelContext.SecondDomain(dataB, realB))
        .condition(condition)
        .augmentations(augmentations)
        .build();
    this.model = request.architecture().build(context);
    requireAugmentationsApplied(request.architectureName());
    this.modelVariables = variableNames(graph); // what follows is the optimizers' state
    this.conditional = condition.labelsUsed();
    this.imageConditioned = condition.imagesUsed();
    if (imageConditioned && model.generated() == null) {
      throw new IllegalStateException("an architecture that reads the condition images must make its output from"
          + " them (GanModel.generated)");
    }
    java.util.Set<String> frozen = frozenVariables(model, request.freeze(), request.architectureName());
    List<CompiledObjective> compiled = new ArrayList<>();
    for (Objective o : model.objectives()) {
      compiled.add(compile(o, frozen, request.regularizers()));
    }
    this.objectives = List.copyOf(compiled);
    this.scalars = new LinkedHashMap<>(model.scalars());
    scalars.putAll(augmentations.scalars());
    List<Op> after = new ArrayList<>(model.afterStep());
    after.addAll(augmentations.afterStep());
    this.afterStep = List.copyOf(after);
    this.session = workers == null ? new Session(graph) : workers.open(graph);
  }

  /** In a cluster, random numbers shared out by rows of the global batch; alone, {@code random} itself. */
  private org.ganymede.api.RandomSource shared(org.ganymede.api.RandomSource random) {
    return workers == null ? random : new ShardedRandom(tf, random, batch, workers.size(), workers.rank());
  }

  /**
   * What to build: the architecture and the pieces it is given.
   *
   * @param optimizerParameters the experiment's optimizer overrides, by objective name
   * @param classes the data's classes
   * @param pairing what the condition images of paired data are
   */
  record BuildRequest(
      Architecture architecture,
      Parameters architectureParameters,
      AdversarialLoss loss,
      List<ModelContext.SelectedRegularizer> regularizers,
      long seed,
      int criticSteps,
      java.util.function.Function<String, Parameters> optimizerParameters,
      Classes classes,
      Pairing pairing,
      Map<String, Integer> freeze,
      String architectureName,
      List<SelectedAugmentation> augmentations,
      Workers workers,
      Precision precision) {}

  /** An augmentation the experiment selected, with its parameters. */
  record SelectedAugmentation(String name, Augmentation augmentation, Parameters parameters) {}

  /** Builds the selected augmentations, each with its own scope and random stream. */
  private Augmentations buildAugmentations(List<SelectedAugmentation> selected) {
    List<Augmentations.Selected> built = new ArrayList<>();
    for (int i = 0; i < selected.size(); i++) {
      SelectedAugmentation a = selected.get(i);
      Ops scoped = tf.withSubScope("augment_" + a.name().replaceAll("[^A-Za-z0-9_]", "_"));
      Operand<TInt64> streamSeed = tf.math.add(noiseSeed, tf.constant(new long[] {AUGMENTATION_STREAM * (i + 1), 0}));
      Augmentation.Stage stage = a.augmentation().build(new AugmentationContext(scoped, data, batch, a.parameters(),
          shared(new StatelessRandom(scoped, streamSeed)), step));
      built.add(new Augmentations.Selected(a.name(), stage));
    }
    return Augmentations.of(built);
  }

  /** An architecture that builds its discriminator's inputs without the selected augmentations cannot take them. */
  private void requireAugmentationsApplied(String architecture) {
    if (augmentations.isEmpty()) {
      return;
    }
    if (!augmentations.applied()) {
      throw new org.ganymede.api.ParameterException("architecture '" + architecture + "' does not apply augmentations"
          + " to what its discriminator judges, so augmentations " + augmentations.names() + " cannot be used with it;"
          + " remove them, or choose an architecture that applies them (dcgan, vanilla, cgan, biggan, stylegan)");
    }
    if (!augmentations.observedReal()) {
      throw new IllegalStateException("architecture '" + architecture + "' applies augmentations but does not attach"
          + " their watching ops to its discriminator's loss (Augmentations.observed)");
    }
  }

  /**
   * The condition images of paired data.
   *
   * @param spec the shape of one condition image; null when the data are not pairs
   * @param kind what they are, one of {@link Condition.Images#KINDS}; null when the data are not pairs
   * @param missing for data that are not pairs: what to tell an architecture that needs them
   */
  record Pairing(DataSpec spec, String kind, String missing) {
    boolean paired() {
      return spec != null;
    }

    /** The pairing of a dataset. */
    static Pairing of(Dataset dataset, String missing) {
      return dataset.conditionImages()
          .map(c -> new Pairing(c.images().spec(), c.kind(), missing))
          .orElse(new Pairing(null, null, missing));
    }
  }

  /**
   * The classes of the data, as the generator's classes are drawn from them.
   *
   * @param names a name per class id; empty for unlabelled data
   * @param counts samples of each class in the data
   * @param sampling {@code uniform} over the classes the data hold, or in the {@code data}'s proportions
   * @param missing for unlabelled data: what to tell an architecture that needs labels
   */
  record Classes(List<String> names, long[] counts, String sampling, String missing) {
    boolean labelled() {
      return !names.isEmpty();
    }

    /** The classes of a dataset. */
    static Classes of(Dataset dataset, String sampling, String missing) {
      int classes = dataset.spec().classes();
      long[] counts = new long[classes];
      if (classes > 0) {
        for (int i = 0; i < dataset.size(); i++) {
          int label = dataset.label(i);
          if (label < 0 || label >= classes) {
            throw new IllegalStateException(dataset.describe() + ": sample " + i + " has label " + label
                + ", outside 0 to " + (classes - 1));
          }
          counts[label]++;
        }
      }
      return new Classes(classes == 0 ? List.of() : dataset.classNames(), counts, sampling, missing);
    }

    /** The ids of the classes the data hold. */
    int[] present() {
      return java.util.stream.IntStream.range(0, counts.length).filter(c -> counts[c] > 0).toArray();
    }
  }

  /**
   * The generator's classes for one objective run, {@code [batch]}: drawn from the fed noise seed
   * (so a resumed run draws the same), uniformly over the classes the data hold or in their proportions.
   */
  private Operand<TInt32> drawClasses(Classes classes, int batch) {
    float[] logits = new float[classes.counts().length];
    for (int c = 0; c < logits.length; c++) {
      long n = classes.counts()[c];
      logits[c] = n == 0 ? -1e9f : classes.sampling().equals("data") ? (float) Math.log(n) : 0f;
    }
    Operand<TInt64> seed = tf.math.add(noiseSeed, tf.constant(new long[] {CLASS_STREAM, 0}));
    int rows = workers == null ? batch : batch * workers.size();
    Operand<TInt32> drawn = tf.reshape(tf.random.statelessMultinomial(tf.constant(new float[][] {logits}),
        tf.constant(rows), seed, TInt32.class), tf.constant(new int[] {rows}));
    if (workers != null) { // this worker's rows of the classes drawn for the global batch
      drawn = tf.slice(drawn, tf.constant(new int[] {workers.rank() * batch}), tf.constant(new int[] {batch}));
    }
    return tf.withName("generator_classes").reshape(drawn, tf.constant(new int[] {batch}));
  }

  /** @param dataB the shape of domain B's samples for unpaired two-domain data, else null */
  static TrainingGraph build(DataSpec data, DataSpec dataB, int batch, BuildRequest request) {
    Graph graph = new Graph();
    try {
      return new TrainingGraph(graph, data, dataB, batch, request);
    } catch (RuntimeException e) {
      graph.close();
      throw e;
    }
  }

  /** Fresh variables: the initial weights come from the seed. */
  void initialize() {
    session.initialize();
  }

  /** The names of the graph's variables, in the order they were made. */
  static java.util.Set<String> variableNames(Graph graph) {
    java.util.Set<String> names = new java.util.LinkedHashSet<>();
    for (java.util.Iterator<org.tensorflow.GraphOperation> it = graph.operations(); it.hasNext(); ) {
      org.tensorflow.GraphOperation op = it.next();
      if (op.type().equals("VariableV2")) {
        names.add(op.name());
      }
    }
    return names;
  }

  /**
   * Runs one optimizer step of {@code objective} at training step {@code at} and returns its loss before it.
   *
   * @param real the real batch, and domain B's after it for two-domain data
   */
  float runObjective(CompiledObjective objective, List<BatchStream.Batch> real, TInt64 seed, TInt64 at,
      boolean stopHere) {
    // Only a cluster exchanges stop requests: training alone feeds nothing more than before.
    try (TFloat32 stop = objective.stopVotes() == null ? null : TFloat32.scalarOf(stopHere ? 1f : 0f)) {
      Session.Runner runner = feedReal(session.runner(), real)
          .feed(noiseSeed, seed)
          .feed(step, at)
          .addTarget(objective.train())
          .fetch(objective.loss());
      if (objective.stopVotes() != null) {
        runner.feed(stopRequested, stop).fetch(objective.stopVotes());
      }
      try (Result r = runner.run()) {
        if (objective.stopVotes() != null) {
          stopVoted = ((TFloat32) r.get(1)).getFloat() > 0;
        }
        return ((TFloat32) r.get(0)).getFloat();
      } catch (RuntimeException e) {
        if (workers != null) {
          throw new WorkerException(workers.explain(e), e);
        }
        throw e;
      }
    }
  }

  /**
   * Whether the run stops here: alone when this process was asked; in a cluster when any worker
   * asked by the latest exchange, so that every worker stops at the same step.
   */
  boolean stopAgreed(boolean requestedHere) {
    return workers == null ? requestedHere : stopVoted;
  }

  /** An exchange with the other workers failed: a worker died, or did not answer in time. */
  static final class WorkerException extends RuntimeException {
    WorkerException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** A digest of the model's weights, so that workers can show they hold the same. */
  String weightsDigest() {
    java.security.MessageDigest sha;
    try {
      sha = java.security.MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    for (String name : modelVariables) {
      try (Result r = session.runner().fetch(name).run()) {
        Tensor t = r.get(0);
        byte[] bytes = new byte[(int) t.numBytes()];
        t.asRawTensor().data().read(bytes);
        sha.update(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        sha.update(bytes);
      }
    }
    return java.util.HexFormat.of().formatHex(sha.digest()).substring(0, 16);
  }

  /**
   * The model's extra scalars (penalties, critic outputs, schedules) on one batch at step {@code at},
   * without training.
   */
  Map<String, Double> evaluateScalars(List<BatchStream.Batch> real, TInt64 seed, TInt64 at) {
    Map<String, Double> values = new LinkedHashMap<>();
    if (scalars.isEmpty()) {
      return values;
    }
    Session.Runner runner = feedReal(session.runner(), real).feed(noiseSeed, seed).feed(step, at);
    List<String> names = new ArrayList<>(scalars.keySet());
    for (String name : names) {
      runner.fetch(scalars.get(name));
    }
    try (Result r = runner.run()) {
      for (int i = 0; i < names.size(); i++) {
        values.put(names.get(i), (double) ((TFloat32) r.get(i)).getFloat());
      }
    }
    return values;
  }

  private Session.Runner feedReal(Session.Runner runner, List<BatchStream.Batch> batches) {
    runner.feed(real, batches.get(0).samples());
    if (realLabels != null) {
      runner.feed(realLabels, batches.get(0).labels());
    }
    if (realConditions != null) {
      runner.feed(realConditions, batches.get(0).conditions());
    }
    return realB == null ? runner : runner.feed(realB, batches.get(1).samples());
  }

  /** Runs the model's after-step ops (a moving average's update, say), in order. */
  void afterStep() {
    for (Op op : afterStep) {
      session.runner().addTarget(op).run().close();
    }
  }

  /**
   * Generator output for the given latent vectors, one flattened sample a row.
   *
   * @param classes for a conditional model, the class of each latent as a row of class weights
   *     (one-hot, or a blend of two); null for an unconditional one
   */
  float[][] generate(float[][] latents, float[][] classes) {
    return generate(latents, classes, Map.of());
  }

  /**
   * Generator output for the given latent vectors and classes with more inputs fed (the model's
   * sampling controls), one flattened sample a row.
   */
  float[][] generate(float[][] latents, float[][] classes, Map<Operand<?>, Tensor> feeds) {
    if (conditional != (classes != null)) {
      throw new IllegalArgumentException(conditional ? "a conditional model samples classes: give one per latent"
          : "the model is not conditional: it takes no classes");
    }
    try (TFloat32 z = batchOf(latents, new long[] {model.latentSize()});
        TFloat32 c = classes == null ? null : batchOf(classes, new long[] {classNames.size()})) {
      Session.Runner runner = session.runner().feed(model.latent(), z);
      if (c != null) {
        runner.feed(sampleClasses, c);
      }
      feeds.forEach(runner::feed);
      try (Result r = runner.fetch(model.generated()).run()) {
        return rows((TFloat32) r.get(0), latents.length);
      }
    }
  }

  /**
   * An image-conditioned model's outputs for condition images, one flattened sample a row.
   *
   * @param latents one latent a condition for a model that also reads a latent, else null
   * @param classes for a model that also reads the labels, the class of each condition as a row of
   *     class weights; else null
   * @param seed the noise seed fed, for a model whose output draws noise (dropout, say): a fixed one
   *     makes the outputs repeatable
   */
  float[][] generateFrom(float[][] conditions, float[][] latents, float[][] classes, long seed) {
    if (!imageConditioned) {
      throw new IllegalStateException("the model is not conditioned on images");
    }
    long[] conditionShape = Arrays.copyOfRange(pairing.spec().batchShape(1), 1, pairing.spec().shape().length + 1);
    try (TFloat32 x = batchOf(conditions, conditionShape);
        TFloat32 z = latents == null ? null : batchOf(latents, new long[] {model.latentSize()});
        TFloat32 c = classes == null ? null : batchOf(classes, new long[] {classNames.size()});
        TInt64 noise = TInt64.vectorOf(seed, -2)) {
      Session.Runner runner = session.runner().feed(sampleConditions, x).feed(noiseSeed, noise);
      if (model.samples()) {
        runner.feed(model.latent(), z);
      }
      if (conditional) {
        runner.feed(sampleClasses, c);
      }
      try (Result r = runner.fetch(model.generated()).run()) {
        return rows((TFloat32) r.get(0), conditions.length);
      }
    }
  }

  /** One-hot rows for class ids. */
  float[][] oneHot(int[] ids) {
    float[][] rows = new float[ids.length][classNames.size()];
    for (int i = 0; i < ids.length; i++) {
      rows[i][ids[i]] = 1;
    }
    return rows;
  }

  /** A translation's outputs and reconstructions of {@code inputs}, one flattened sample a row. */
  Translated translate(GanModel.Translation translation, float[][] inputs) {
    Shape input = translation.input().shape();
    long[] sample = Arrays.copyOfRange(input.asArray(), 1, input.numDimensions());
    try (TFloat32 x = batchOf(inputs, sample);
        Result r = session.runner().feed(translation.input(), x)
            .fetch(translation.output()).fetch(translation.reconstruction()).run()) {
      return new Translated(rows((TFloat32) r.get(0), inputs.length), rows((TFloat32) r.get(1), inputs.length));
    }
  }

  /** @param outputs the translations; @param reconstructions the translations translated back */
  record Translated(float[][] outputs, float[][] reconstructions) {}

  /** The domain a translation reads and the one it writes: a2b reads A (the dataset itself), b2a reads B. */
  record Domains(Dataset source, Dataset target) {
    static Domains of(GanModel.Translation translation, Dataset data) {
      Dataset b = data.secondDomain().orElseThrow();
      return translation.name().equals(GanModel.Translation.A_TO_B) ? new Domains(data, b) : new Domains(b, data);
    }
  }

  /** Rows of flattened samples as a batch of the given sample shape. */
  private static TFloat32 batchOf(float[][] rows, long[] sample) {
    long[] shape = new long[sample.length + 1];
    shape[0] = rows.length;
    System.arraycopy(sample, 0, shape, 1, sample.length);
    int size = (int) Shape.of(sample).size();
    float[] flat = new float[rows.length * size];
    for (int i = 0; i < rows.length; i++) {
      if (rows[i].length != size) {
        throw new IllegalArgumentException("a row of " + rows[i].length + " values for samples of shape "
            + Arrays.toString(sample));
      }
      System.arraycopy(rows[i], 0, flat, i * size, size);
    }
    return TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(flat, true, false));
  }

  private static float[][] rows(TFloat32 batch, int n) {
    int sample = n == 0 ? 0 : (int) (batch.shape().size() / n);
    float[] flat = new float[n * sample];
    batch.copyTo(DataBuffers.of(flat, false, false));
    float[][] rows = new float[n][];
    for (int i = 0; i < n; i++) {
      rows[i] = Arrays.copyOfRange(flat, i * sample, (i + 1) * sample);
    }
    return rows;
  }

  /**
   * Writes the graph (with its saver ops) and a signature that names its inputs and train ops, so
   * that other tools (the bench's bare loop, a server) can run it without the framework.
   */
  void exportGraph(Path file) throws IOException {
    Files.write(file, graph.toGraphDef().toByteArray());
    com.google.gson.JsonObject signature = new com.google.gson.JsonObject();
    signature.addProperty("real", real.op().name());
    signature.addProperty("noise_seed", noiseSeed.op().name());
    signature.addProperty("step", step.op().name());
    if (realB != null) {
      signature.addProperty("real_b", realB.op().name());
    }
    if (model.samples()) {
      signature.addProperty("latent", model.latent().op().name());
    }
    if (model.generated() != null) {
      signature.addProperty("generated", model.generated().op().name());
    }
    if (realLabels != null) {
      signature.addProperty("real_labels", realLabels.op().name());
    }
    if (realConditions != null) {
      signature.addProperty("real_conditions", realConditions.op().name());
    }
    if (imageConditioned) {
      signature.addProperty("sample_conditions", sampleConditions.op().name());
      signature.addProperty("condition_kind", pairing.kind());
    }
    if (conditional) {
      signature.addProperty("sample_classes", sampleClasses.op().name());
      com.google.gson.JsonArray names = new com.google.gson.JsonArray();
      classNames.forEach(names::add);
      signature.add("classes", names);
    }
    com.google.gson.JsonArray translations = new com.google.gson.JsonArray();
    for (GanModel.Translation t : model.translations()) {
      com.google.gson.JsonObject entry = new com.google.gson.JsonObject();
      entry.addProperty("name", t.name());
      entry.addProperty("input", t.input().op().name());
      entry.addProperty("output", t.output().op().name());
      entry.addProperty("reconstruction", t.reconstruction().op().name());
      translations.add(entry);
    }
    signature.add("translations", translations);
    com.google.gson.JsonArray afterStep = new com.google.gson.JsonArray();
    this.afterStep.forEach(op -> afterStep.add(op.op().name()));
    signature.add("after_step", afterStep);
    com.google.gson.JsonArray list = new com.google.gson.JsonArray();
    for (CompiledObjective o : objectives) {
      com.google.gson.JsonObject entry = new com.google.gson.JsonObject();
      entry.addProperty("name", o.name());
      entry.addProperty("loss", o.loss().op().name());
      entry.addProperty("train", o.train().op().name());
      entry.addProperty("repeats", o.repeats());
      entry.addProperty("interval", o.interval());
      list.add(entry);
    }
    signature.add("objectives", list);
    Files.writeString(file.resolveSibling("signature.json"), signature.toString());
  }

  /**
   * The variables {@code training.freeze} holds fixed: the first K weighted layers of each network
   * it names ({@code discriminator_layers: K}), as the architecture lists them in
   * {@link GanModel#layers()}.
   */
  private static java.util.Set<String> frozenVariables(GanModel model, Map<String, Integer> freeze, String architecture) {
    java.util.Set<String> frozen = new java.util.HashSet<>();
    for (Map.Entry<String, Integer> e : freeze.entrySet()) {
      List<List<Variable<TFloat32>>> layers = model.layers().get(e.getKey());
      if (layers == null) {
        throw new org.ganymede.api.ParameterException("training.freeze." + e.getKey() + "_layers: architecture '"
            + architecture + "' names no layers of a " + e.getKey() + (model.layers().isEmpty()
                ? "; it names none, so nothing of it can be frozen"
                : "; it names those of: " + String.join(", ", new java.util.TreeSet<>(model.layers().keySet()))));
      }
      if (e.getValue() > layers.size()) {
        throw new org.ganymede.api.ParameterException("training.freeze." + e.getKey() + "_layers is " + e.getValue()
            + "; the " + e.getKey() + " of architecture '" + architecture + "' has " + layers.size() + " weighted layers");
      }
      for (List<Variable<TFloat32>> layer : layers.subList(0, e.getValue())) {
        layer.forEach(v -> frozen.add(v.op().name()));
      }
    }
    return frozen;
  }

  /**
   * The op of one optimizer step of {@code objective}; for a discriminator objective (one whose
   * name starts with {@code discriminator}), followed by the regularizers' after-step ops on the
   * variables it trained (weight clipping's clip).
   */
  private CompiledObjective compile(Objective objective, java.util.Set<String> frozen,
      List<ModelContext.SelectedRegularizer> regularizers) {
    List<Variable<TFloat32>> variables = objective.variables().stream()
        .filter(v -> !frozen.contains(v.op().name())).toList();
    if (variables.isEmpty()) {
      throw new org.ganymede.api.ParameterException("training.freeze leaves objective '" + objective.name()
          + "' nothing to train; freeze fewer layers");
    }
    Output<?>[] outputs = new Output<?>[variables.size()];
    for (int i = 0; i < outputs.length; i++) {
      outputs[i] = variables.get(i).asOutput();
    }
    // Explicit gradients: the optimizer must update this objective's variables and no others.
    Output<?>[] gradients = graph.addGradients("gradients_" + objective.name(),
        new Output<?>[] {objective.loss().asOutput()}, outputs, null);
    for (int i = 0; i < gradients.length; i++) {
      if (gradients[i] == null) {
        throw new IllegalStateException("objective '" + objective.name() + "' does not depend on variable "
            + variables.get(i).op().name());
      }
    }
    List<Operand<TFloat32>> applied = floats(gradients);
    Operand<TFloat32> loss = objective.loss();
    Operand<TFloat32> stopVotes = null;
    if (workers != null) {
      Exchange exchange = exchange(objective.name(), variables, applied, loss);
      applied = exchange.gradients();
      loss = exchange.loss();
      stopVotes = exchange.stopVotes();
    }
    OptimizerSpec spec = objective.optimizer();
    String name = "train_" + objective.name();
    Operand<TFloat32> rate = learningRate(spec);
    Op step = switch (spec.type()) {
      case "adam" -> AdamOptimizer.step(tf, name, variables, applied, rate, (float) spec.beta1(),
          (float) spec.beta2(), (float) spec.epsilon());
      case "rmsprop" -> RmsPropOptimizer.step(tf, name, variables, applied, rate, (float) spec.beta2(),
          (float) spec.beta1(), (float) spec.epsilon());
      default -> throw new IllegalArgumentException("unknown optimizer " + spec.type());
    };
    List<Op> after = new ArrayList<>();
    for (ModelContext.SelectedRegularizer r : objective.name().startsWith("discriminator") ? regularizers
        : List.<ModelContext.SelectedRegularizer>of()) {
      Ops scoped = tf.withSubScope("after_" + name + "_" + r.name().replaceAll("[^A-Za-z0-9_]", "_"))
          .withControlDependencies(List.of(step));
      after.addAll(r.regularizer().afterCriticStep(new Regularizer.CriticStep(scoped, variables, r.parameters())));
    }
    Op train = after.isEmpty() ? step : tf.withName(name + "_constrained").withControlDependencies(after).noOp();
    return new CompiledObjective(objective.name(), loss, train, objective.repeats(), objective.interval(), stopVotes);
  }

  /** An objective's gradients, loss and stop votes averaged over all workers. */
  private record Exchange(List<Operand<TFloat32>> gradients, Operand<TFloat32> loss, Operand<TFloat32> stopVotes) {}

  /**
   * One all-reduce per objective run: the gradients flattened into one vector with the loss and
   * this worker's stop request behind them (one exchange costs far less than one per variable).
   */
  private Exchange exchange(String objective, List<Variable<TFloat32>> variables, List<Operand<TFloat32>> gradients,
      Operand<TFloat32> loss) {
    Ops scoped = tf.withSubScope("exchange_" + objective);
    Operand<TInt32> flat = scoped.constant(new int[] {-1});
    List<Operand<TFloat32>> parts = new ArrayList<>();
    for (Operand<TFloat32> g : gradients) {
      parts.add(scoped.reshape(g, flat));
    }
    parts.add(scoped.reshape(loss, flat));
    parts.add(scoped.reshape(stopRequested, flat));
    Operand<TFloat32> mean = workers.mean(scoped, scoped.concat(parts, scoped.constant(0)));
    List<Operand<TFloat32>> averaged = new ArrayList<>();
    int offset = 0;
    for (Variable<TFloat32> v : variables) {
      int size = (int) v.shape().size();
      averaged.add(scoped.reshape(scoped.slice(mean, scoped.constant(new int[] {offset}),
          scoped.constant(new int[] {size})), scoped.constant(v.shape())));
      offset += size;
    }
    Operand<TInt32> one = scoped.constant(new int[] {1});
    Operand<TInt32> scalar = scoped.constant(new int[0]);
    Operand<TFloat32> meanLoss = scoped.reshape(scoped.slice(mean, scoped.constant(new int[] {offset}), one), scalar);
    Operand<TFloat32> votes = scoped.reshape(scoped.slice(mean, scoped.constant(new int[] {offset + 1}), one), scalar);
    return new Exchange(averaged, meanLoss, votes);
  }

  /** The spec's learning rate at the fed step: constant, or falling linearly to 0 over its decay steps. */
  private Operand<TFloat32> learningRate(OptimizerSpec spec) {
    Operand<TFloat32> rate = tf.constant((float) spec.learningRate());
    if (!spec.decays()) {
      return rate;
    }
    Operand<TFloat32> left = tf.math.div(
        tf.math.sub(tf.constant((float) spec.decayEnd()), tf.dtypes.cast(step, TFloat32.class)),
        tf.constant((float) (spec.decayEnd() - spec.decayStart())));
    return tf.math.mul(rate, tf.clipByValue(left, tf.constant(0f), tf.constant(1f)));
  }

  @SuppressWarnings("unchecked")
  private static List<Operand<TFloat32>> floats(Output<?>[] gradients) {
    List<Operand<TFloat32>> result = new ArrayList<>();
    for (Output<?> g : gradients) {
      result.add((Output<TFloat32>) g);
    }
    return result;
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
