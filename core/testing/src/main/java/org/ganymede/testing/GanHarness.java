package org.ganymede.testing;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.ganymede.api.Architecture;
import org.ganymede.api.DataSpec;
import org.ganymede.api.GanModel;
import org.ganymede.api.ModelContext;
import org.ganymede.api.Objective;
import org.ganymede.api.Parameters;
import org.ganymede.nn.StatelessRandom;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/** One architecture built into a fresh graph the way the engine builds it, with a session to run it. */
public final class GanHarness implements AutoCloseable {
  final Graph graph = new Graph();
  public final Parameters parameters;
  final DataSpec data;
  final int batchSize;
  final Placeholder<TFloat32> real;
  final Placeholder<TInt64> stepSeed;
  public final GanModel model;
  private Session session;

  public GanHarness(Architecture architecture, DataSpec data, int batchSize, Map<String, ?> values, long seed) {
    this.data = data;
    this.batchSize = batchSize;
    this.parameters = new Parameters("architecture 'under test'", values);
    Ops tf = Ops.create(graph);
    real = tf.withName("real").placeholder(TFloat32.class, Placeholder.shape(Shape.of(data.batchShape(batchSize))));
    stepSeed = tf.withName("step_seed").placeholder(TInt64.class, Placeholder.shape(Shape.of(2)));
    ModelContext context = new ModelContext(tf, data, real, batchSize, parameters, new NonSaturatingLoss(), List.of(),
        new StatelessRandom(tf, stepSeed), seed, (name, spec) -> spec, 1);
    try {
      model = architecture.build(context);
    } catch (RuntimeException e) {
      graph.close();
      throw e;
    }
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
    SplittableRandom random = new SplittableRandom(seed);
    float[] latent = new float[count * model.latentSize()];
    for (int i = 0; i < latent.length; i++) {
      latent[i] = (float) random.nextGaussian();
    }
    try (TFloat32 z = TFloat32.tensorOf(Shape.of(count, model.latentSize()), DataBuffers.of(latent));
        Result r = session().runner().feed(model.latent(), z).fetch(model.generated()).run()) {
      TFloat32 out = (TFloat32) r.get(0);
      float[] values = new float[(int) out.size()];
      out.copyTo(DataBuffers.of(values, false, false));
      return new Samples(out.shape().asArray(), values);
    }
  }

  /** The losses of every objective on a real batch of uniform noise in [-1, 1), at the given step seed. */
  public float[] losses(long seedWord) {
    float[] values = uniformRealBatch(new SplittableRandom(seedWord));
    try (TFloat32 batch = TFloat32.tensorOf(Shape.of(data.batchShape(batchSize)), DataBuffers.of(values));
        TInt64 seed = TInt64.vectorOf(seedWord, 0)) {
      Session.Runner runner = session().runner().feed(real, batch).feed(stepSeed, seed);
      model.objectives().forEach(o -> runner.fetch(o.loss()));
      try (Result r = runner.run()) {
        float[] losses = new float[model.objectives().size()];
        for (int i = 0; i < losses.length; i++) {
          losses[i] = ((TFloat32) r.get(i)).getFloat();
        }
        return losses;
      }
    }
  }

  /** A flattened real batch of values drawn uniformly from [-1, 1). */
  public float[] uniformRealBatch(SplittableRandom random) {
    float[] values = new float[batchSize * data.sampleSize()];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) random.nextDouble(-1, 1);
    }
    return values;
  }

  /** The current value of a variable, flattened. */
  public float[] read(Variable<TFloat32> variable) {
    try (Result r = session().runner().fetch(variable).run()) {
      TFloat32 t = (TFloat32) r.get(0);
      float[] values = new float[(int) t.size()];
      t.copyTo(DataBuffers.of(values, false, false));
      return values;
    }
  }

  /** Generated samples: their shape, batch first, and their values in row-major order. */
  public record Samples(long[] shape, float[] values) {}

  @Override
  public void close() {
    if (session != null) {
      session.close();
    }
    graph.close();
  }
}
