package org.ganymede.testing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import org.ganymede.api.AdversarialLoss;
import org.ganymede.api.Architecture;
import org.ganymede.api.Condition;
import org.ganymede.api.DataSpec;
import org.ganymede.api.GanModel;
import org.ganymede.api.ModelContext;
import org.ganymede.api.Objective;
import org.ganymede.api.Parameters;
import org.ganymede.nn.StatelessRandom;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * One architecture built into a fresh graph the way the engine builds it, with a session to run
 * it. The real batch is fed to {@code real}; for unpaired two-domain data ({@link #twoDomains})
 * that is domain A, and domain B's batch is fed to {@code real_b}. The noise seed is fed to
 * {@code step_seed}. For labelled data ({@link #labelled}) the real batch's labels are fed to
 * {@code real_labels}, the generator's classes are drawn uniformly from the seed as the engine
 * draws them, and sampling feeds one-hot classes.
 */
public final class GanHarness implements AutoCloseable {
  final Graph graph = new Graph();
  public final Parameters parameters;
  final DataSpec data;
  /** Domain B's sample shape; null for data with one domain. */
  final DataSpec secondData;
  final int batchSize;
  final Placeholder<TFloat32> real;
  /** Domain B's batch; null for data with one domain. */
  final Placeholder<TFloat32> realB;
  final Placeholder<TInt64> stepSeed;
  /** The real batch's labels; null for unlabelled data. */
  final Placeholder<TInt32> realLabels;
  /** Sampling's classes; null for unlabelled data. */
  final Placeholder<TFloat32> sampleClasses;
  /** The condition the architecture was offered. */
  public final Condition condition;
  public final GanModel model;
  private Session session;

  private static final long CLASS_STREAM = 0x2545F4914F6CDD1DL;

  /** Data with one domain, under the non-saturating loss; labelled data when {@code data.classes()} is above 0. */
  public GanHarness(Architecture architecture, DataSpec data, int batchSize, Map<String, ?> values, long seed) {
    this(architecture, data, null, batchSize, new NonSaturatingLoss(), values, seed);
  }

  private GanHarness(Architecture architecture, DataSpec data, DataSpec secondData, int batchSize,
      AdversarialLoss loss, Map<String, ?> values, long seed) {
    this.data = data;
    this.secondData = secondData;
    this.batchSize = batchSize;
    this.parameters = new Parameters("architecture 'under test'", values);
    Ops tf = Ops.create(graph);
    real = tf.withName("real").placeholder(TFloat32.class, Placeholder.shape(Shape.of(data.batchShape(batchSize))));
    realB = secondData == null ? null : tf.withName("real_b")
        .placeholder(TFloat32.class, Placeholder.shape(Shape.of(secondData.batchShape(batchSize))));
    stepSeed = tf.withName("step_seed").placeholder(TInt64.class, Placeholder.shape(Shape.of(2)));
    int classes = data.classes();
    if (classes > 0) {
      realLabels = tf.withName("real_labels").placeholder(TInt32.class, Placeholder.shape(Shape.of(batchSize)));
      sampleClasses = tf.withName("sample_classes").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, classes)));
      Operand<TInt32> drawn = tf.reshape(tf.random.statelessMultinomial(tf.zeros(tf.constant(new int[] {1, classes}),
          TFloat32.class), tf.constant(batchSize), tf.math.add(stepSeed, tf.constant(new long[] {CLASS_STREAM, 0})),
          TInt32.class), tf.constant(new int[] {batchSize}));
      condition = Condition.of(new Condition.Labels(classes,
          IntStream.range(0, classes).mapToObj(Integer::toString).toList(), realLabels, drawn, sampleClasses));
    } else {
      realLabels = null;
      sampleClasses = null;
      condition = Condition.none("the data under test carry no labels");
    }
    ModelContext context = ModelContext.builder(tf, data, real, batchSize)
        .parameters(parameters)
        .loss(loss)
        .random(new StatelessRandom(tf, stepSeed))
        .seed(seed)
        .secondDomain(secondData == null ? null : new ModelContext.SecondDomain(secondData, realB))
        .condition(condition)
        .build();
    try {
      model = architecture.build(context);
    } catch (RuntimeException e) {
      graph.close();
      throw e;
    }
  }

  /**
   * Unpaired two-domain data: the context's real batch is domain A and its second domain is B.
   *
   * @param loss the adversarial loss the experiment would select
   */
  public static GanHarness twoDomains(Architecture architecture, DataSpec a, DataSpec b, int batchSize,
      AdversarialLoss loss, Map<String, ?> values, long seed) {
    return new GanHarness(architecture, a, b, batchSize, loss, values, seed);
  }

  /** The session, created (and the variables initialised) once the graph is complete. */
  public Session session() {
    if (session == null) {
      session = new Session(graph);
      session.initialize();
    }
    return session;
  }

  public Objective objective(String name) {
    return model.objectives().stream().filter(o -> o.name().equals(name)).findFirst().orElseThrow();
  }

  /** Number of scalars the objective trains. */
  public long parameterCount(String objective) {
    long n = 0;
    for (Variable<TFloat32> v : objective(objective).variables()) {
      n += v.shape().size();
    }
    return n;
  }

  /** Generates {@code count} samples from latent vectors drawn from N(0, 1) with {@code seed}. */
  public Samples generate(int count, long seed) {
    return generate(count, seed, null);
  }

  /**
   * Generates {@code count} samples of the given classes from latent vectors drawn from N(0, 1)
   * with {@code seed}.
   *
   * @param classes the class id of each sample for a conditional model, else null
   */
  public Samples generate(int count, long seed, int[] classes) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] latent = new float[count * model.latentSize()];
    for (int i = 0; i < latent.length; i++) {
      latent[i] = (float) random.nextGaussian();
    }
    float[] oneHot = classes == null ? null : new float[count * data.classes()];
    for (int i = 0; classes != null && i < count; i++) {
      oneHot[i * data.classes() + classes[i]] = 1;
    }
    try (TFloat32 z = TFloat32.tensorOf(Shape.of(count, model.latentSize()), DataBuffers.of(latent));
        TFloat32 c = oneHot == null ? null : TFloat32.tensorOf(Shape.of(count, data.classes()), DataBuffers.of(oneHot))) {
      Session.Runner runner = session().runner().feed(model.latent(), z);
      if (c != null) {
        runner.feed(sampleClasses, c);
      }
      try (Result r = runner.fetch(model.generated()).run()) {
        return Samples.of((TFloat32) r.get(0));
      }
    }
  }

  /**
   * Translates flattened images in one direction.
   *
   * @param direction a translation's name, {@code a2b} say
   * @param images any number of source images, flattened
   */
  public Translated translate(String direction, float[] images) {
    GanModel.Translation translation = model.translations().stream()
        .filter(t -> t.name().equals(direction)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("the model does not translate " + direction));
    long[] shape = translation.input().shape().asArray();
    long sampleSize = 1;
    for (int i = 1; i < shape.length; i++) {
      sampleSize *= shape[i];
    }
    shape[0] = images.length / sampleSize;
    try (TFloat32 input = TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(images));
        Result r = session().runner().feed(translation.input(), input)
            .fetch(translation.output()).fetch(translation.reconstruction()).run()) {
      return new Translated(Samples.of((TFloat32) r.get(0)), Samples.of((TFloat32) r.get(1)));
    }
  }

  /** The losses of every objective on a real batch of uniform noise in [-1, 1), at the given step seed. */
  public float[] losses(long seedWord) {
    SplittableRandom random = new SplittableRandom(seedWord);
    float[] a = uniformRealBatch(random);
    float[] b = secondData == null ? null : uniformSecondBatch(random);
    int[] labels = realLabels == null ? null : random.ints(batchSize, 0, data.classes()).toArray();
    try (Result r = run(a, b, labels, seedWord, runner -> {
      model.objectives().forEach(o -> runner.fetch(o.loss()));
      return runner;
    })) {
      float[] losses = new float[model.objectives().size()];
      for (int i = 0; i < losses.length; i++) {
        losses[i] = ((TFloat32) r.get(i)).getFloat();
      }
      return losses;
    }
  }

  /**
   * The model's scalars on the given batches, as the engine logs them.
   *
   * @param b domain B's batch; null for data with one domain
   */
  public Map<String, Float> scalars(float[] a, float[] b, long seedWord) {
    List<String> names = List.copyOf(model.scalars().keySet());
    try (Result r = run(a, b, seedWord, runner -> {
      names.forEach(name -> runner.fetch(model.scalars().get(name)));
      return runner;
    })) {
      Map<String, Float> values = new LinkedHashMap<>();
      for (int i = 0; i < names.size(); i++) {
        values.put(names.get(i), ((TFloat32) r.get(i)).getFloat());
      }
      return values;
    }
  }

  /** Fetches {@code fetched} with the given batches and seed fed. */
  public float[] evaluate(Operand<TFloat32> fetched, float[] a, float[] b, long seedWord) {
    try (Result r = run(a, b, seedWord, runner -> runner.fetch(fetched))) {
      return Samples.of((TFloat32) r.get(0)).values();
    }
  }

  /** A flattened real batch of values drawn uniformly from [-1, 1). */
  public float[] uniformRealBatch(SplittableRandom random) {
    return uniform(random, data);
  }

  /** A flattened batch of domain B of values drawn uniformly from [-1, 1). */
  public float[] uniformSecondBatch(SplittableRandom random) {
    if (secondData == null) {
      throw new IllegalStateException("the data have one domain");
    }
    return uniform(random, secondData);
  }

  /** The current value of a variable, flattened. */
  public float[] read(Variable<TFloat32> variable) {
    try (Result r = session().runner().fetch(variable).run()) {
      return Samples.of((TFloat32) r.get(0)).values();
    }
  }

  /**
   * Runs what {@code request} asks of a runner with the real batches and the seed {@code [seedWord, 0]} fed.
   *
   * @param b domain B's batch: required for two domains, null for one
   */
  Result run(float[] a, float[] b, long seedWord, UnaryOperator<Session.Runner> request) {
    return run(a, b, null, seedWord, request);
  }

  /**
   * Runs what {@code request} asks with the real batch and its labels fed.
   *
   * @param labels the class of each row of {@code a}: required for labelled data, null otherwise
   */
  public Result run(float[] a, float[] b, int[] labels, long seedWord, UnaryOperator<Session.Runner> request) {
    if ((labels == null) != (realLabels == null)) {
      throw new IllegalArgumentException(realLabels == null ? "the data carry no labels: there are none to feed"
          : "the data are labelled: feed the label of every row");
    }
    if ((b == null) != (secondData == null)) {
      throw new IllegalArgumentException(secondData == null
          ? "the data have one domain: there is no batch of B to feed"
          : "the data have two domains: feed a batch of each");
    }
    try (TFloat32 batchA = TFloat32.tensorOf(Shape.of(data.batchShape(batchSize)), DataBuffers.of(a));
        TFloat32 batchB = b == null ? null
            : TFloat32.tensorOf(Shape.of(secondData.batchShape(batchSize)), DataBuffers.of(b));
        TInt32 rowLabels = labels == null ? null : TInt32.vectorOf(labels);
        TInt64 seed = TInt64.vectorOf(seedWord, 0)) {
      Session.Runner runner = session().runner().feed(real, batchA).feed(stepSeed, seed);
      if (rowLabels != null) {
        runner.feed(realLabels, rowLabels);
      }
      if (batchB != null) {
        runner.feed(realB, batchB);
      }
      return request.apply(runner).run();
    }
  }

  private float[] uniform(SplittableRandom random, DataSpec spec) {
    float[] values = new float[batchSize * spec.sampleSize()];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) random.nextDouble(-1, 1);
    }
    return values;
  }

  /** Generated samples: their shape, batch first, and their values in row-major order. */
  public record Samples(long[] shape, float[] values) {
    static Samples of(TFloat32 t) {
      float[] values = new float[(int) t.size()];
      t.copyTo(DataBuffers.of(values, false, false));
      return new Samples(t.shape().asArray(), values);
    }
  }

  /** Translated images and their translations back. */
  public record Translated(Samples output, Samples reconstruction) {}

  @Override
  public void close() {
    if (session != null) {
      session.close();
    }
    graph.close();
  }
}
