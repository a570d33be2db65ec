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
import org.ganymede.api.DataSpec;
import org.ganymede.api.Dataset;
import org.ganymede.api.GanModel;
import org.ganymede.api.ModelContext;
import org.ganymede.api.Objective;
import org.ganymede.api.OptimizerSpec;
import org.ganymede.api.Parameters;
import org.ganymede.nn.AdamOptimizer;
import org.ganymede.nn.Gradients;
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
import org.tensorflow.types.TInt64;

/**
 * The TensorFlow side of a run: the graph the architecture built, one optimizer per objective
 * (each updating only its own variables), and the session that runs them.
 */
final class TrainingGraph implements AutoCloseable {
  /** Graph names the bench's bare loop and other tools find the inputs and train ops by. */
  static final String REAL = "real";
  static final String REAL_B = "real_b";
  static final String NOISE_SEED = "noise_seed";
  static final String STEP = "step";

  final Graph graph;
  final Session session;
  final Ops tf;
  final DataSpec data;
  final int batch;
  final Placeholder<TFloat32> real;
  /** Domain B's batch for unpaired two-domain data, else null. */
  final Placeholder<TFloat32> realB;
  final Placeholder<TInt64> noiseSeed;
  /** The training step (from 0), for scheduled learning rates; 0 when not fed. */
  final Operand<TInt64> step;
  final GanModel model;
  final List<CompiledObjective> objectives;
  final Map<String, Operand<TFloat32>> scalars;

  /** An objective with the op that applies one optimizer step to it. */
  record CompiledObjective(String name, Operand<TFloat32> loss, Op train, int repeats, int interval) {
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
    Gradients.registerMissing();
    this.real = tf.withName(REAL).placeholder(TFloat32.class, Placeholder.shape(Shape.of(data.batchShape(batch))));
    this.noiseSeed = tf.withName(NOISE_SEED).placeholder(TInt64.class, Placeholder.shape(Shape.of(2)));
    this.step = tf.withName(STEP).placeholderWithDefault(tf.constant(0L), Shape.scalar());
    this.realB = dataB == null ? null
        : tf.withName(REAL_B).placeholder(TFloat32.class, Placeholder.shape(Shape.of(dataB.batchShape(batch))));
    ModelContext context = new ModelContext(tf, data, real, batch, request.architectureParameters(), request.loss(),
        request.regularizers(), new StatelessRandom(tf, noiseSeed), request.seed(),
        (name, fallback) -> fallback.with(request.optimizerParameters().apply(name)), request.criticSteps(),
        dataB == null ? null : new ModelContext.SecondDomain(dataB, realB));
    this.model = request.architecture().build(context);
    List<CompiledObjective> compiled = new ArrayList<>();
    for (Objective o : model.objectives()) {
      compiled.add(new CompiledObjective(o.name(), o.loss(), trainOp(o), o.repeats(), o.interval()));
    }
    this.objectives = List.copyOf(compiled);
    this.scalars = new LinkedHashMap<>(model.scalars());
    this.session = new Session(graph);
  }

  /**
   * What to build: the architecture and the pieces it is given.
   *
   * @param optimizerParameters the experiment's optimizer overrides, by objective name
   */
  record BuildRequest(
      Architecture architecture,
      Parameters architectureParameters,
      AdversarialLoss loss,
      List<ModelContext.SelectedRegularizer> regularizers,
      long seed,
      int criticSteps,
      java.util.function.Function<String, Parameters> optimizerParameters) {}

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

  /**
   * Runs one optimizer step of {@code objective} at training step {@code at} and returns its loss before it.
   *
   * @param real the real batch, and domain B's after it for two-domain data
   */
  float runObjective(CompiledObjective objective, List<TFloat32> real, TInt64 seed, TInt64 at) {
    try (Result r = feedReal(session.runner(), real)
        .feed(noiseSeed, seed)
        .feed(step, at)
        .addTarget(objective.train())
        .fetch(objective.loss())
        .run()) {
      return ((TFloat32) r.get(0)).getFloat();
    }
  }

  /** The model's extra scalars (penalties, critic outputs) on one batch, without training. */
  Map<String, Double> evaluateScalars(List<TFloat32> real, TInt64 seed) {
    Map<String, Double> values = new LinkedHashMap<>();
    if (scalars.isEmpty()) {
      return values;
    }
    Session.Runner runner = feedReal(session.runner(), real).feed(noiseSeed, seed);
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

  private Session.Runner feedReal(Session.Runner runner, List<TFloat32> batches) {
    runner.feed(real, batches.get(0));
    return realB == null ? runner : runner.feed(realB, batches.get(1));
  }

  /** Runs the model's after-step ops (a moving average's update, say), in order. */
  void afterStep() {
    for (Op op : model.afterStep()) {
      session.runner().addTarget(op).run().close();
    }
  }

  /** Generator output for the given latent vectors, one flattened sample a row. */
  float[][] generate(float[][] latents) {
    return generate(latents, Map.of());
  }

  /**
   * Generator output for the given latent vectors with more inputs fed (the model's sampling
   * controls), one flattened sample a row.
   */
  float[][] generate(float[][] latents, Map<Operand<?>, Tensor> feeds) {
    try (TFloat32 z = batchOf(latents, new long[] {model.latentSize()})) {
      Session.Runner runner = session.runner().feed(model.latent(), z);
      feeds.forEach(runner::feed);
      try (Result r = runner.fetch(model.generated()).run()) {
        return rows((TFloat32) r.get(0), latents.length);
      }
    }
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
      signature.addProperty("generated", model.generated().op().name());
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
    model.afterStep().forEach(op -> afterStep.add(op.op().name()));
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

  private Op trainOp(Objective objective) {
    List<Variable<TFloat32>> variables = objective.variables();
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
    OptimizerSpec spec = objective.optimizer();
    String name = "train_" + objective.name();
    Operand<TFloat32> rate = learningRate(spec);
    return switch (spec.type()) {
      case "adam" -> AdamOptimizer.step(tf, name, variables, floats(gradients), rate, (float) spec.beta1(),
          (float) spec.beta2(), (float) spec.epsilon());
      case "rmsprop" -> RmsPropOptimizer.step(tf, name, variables, floats(gradients), rate, (float) spec.beta2(),
          (float) spec.beta1(), (float) spec.epsilon());
      default -> throw new IllegalArgumentException("unknown optimizer " + spec.type());
    };
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
