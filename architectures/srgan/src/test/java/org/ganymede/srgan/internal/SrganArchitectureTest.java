package org.ganymede.srgan.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.ganymede.api.Condition;
import org.ganymede.api.DataSpec;
import org.ganymede.api.FeatureExtractor;
import org.ganymede.api.GanModel;
import org.ganymede.api.ModelContext;
import org.ganymede.api.ParameterException;
import org.ganymede.api.Parameters;
import org.ganymede.api.Plugins;
import org.ganymede.nn.StatelessRandom;
import org.ganymede.testing.NonSaturatingLoss;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

class SrganArchitectureTest {
  private static final DataSpec TARGET = DataSpec.image(16, 16, 1, 0);
  private static final DataSpec LOW = DataSpec.image(4, 4, 1, 0);
  private static final int BATCH = 2;
  private static final Map<String, Object> SMALL = Map.of("width", 4, "blocks", 1, "ndf", 2);

  /** Features that are each image's mean pixel: a perceptual loss one can compute by hand. */
  private static final FeatureExtractor MEAN_PIXEL = new FeatureExtractor() {
    @Override
    public Extraction open(DataSpec spec, Parameters parameters) {
      throw new UnsupportedOperationException("only in a graph");
    }

    @Override
    public java.util.Optional<InGraph> inGraph(DataSpec spec, Parameters parameters) {
      return java.util.Optional.of((tf, images) -> tf.math.mean(images, tf.constant(new int[] {1, 2})));
    }
  };

  /** SRGAN built in a fresh graph on x4 pairs, with the given extractors registered. */
  private static final class Built implements AutoCloseable {
    final Graph graph = new Graph();
    final Ops tf = Ops.create(graph);
    final Placeholder<TFloat32> real;
    final Placeholder<TFloat32> conditions;
    final Placeholder<TFloat32> sampling;
    final Placeholder<TInt64> seed;
    final GanModel model;
    final Session session;

    Built(DataSpec low, String kind, Map<String, ?> parameters, Map<String, FeatureExtractor> extractors) {
      real = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(TARGET.batchShape(BATCH))));
      conditions = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(low.batchShape(BATCH))));
      sampling = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(low.batchShape(-1))));
      seed = tf.placeholder(TInt64.class, Placeholder.shape(Shape.of(2)));
      SrganArchitecture srgan = new SrganArchitecture();
      extractors.forEach((name, e) -> srgan.addExtractor(e, Map.of(Plugins.NAME, name)));
      try {
        model = srgan.build(ModelContext.builder(tf, TARGET, real, BATCH)
            .parameters(new Parameters(SrganArchitecture.OWNER, parameters))
            .loss(new NonSaturatingLoss())
            .random(new StatelessRandom(tf, seed))
            .condition(Condition.of(null, "no labels", new Condition.Images(low, kind, conditions, sampling), null))
            .build());
      } catch (RuntimeException e) {
        graph.close();
        throw e;
      }
      session = new Session(graph);
      session.initialize();
    }

    /** The model's scalars and its generated images for the same batch of pairs. */
    Map<String, float[]> run(float[] targets, float[] lows, List<String> scalars) {
      try (TFloat32 y = TFloat32.tensorOf(Shape.of(TARGET.batchShape(BATCH)), DataBuffers.of(targets));
          TFloat32 x = TFloat32.tensorOf(Shape.of(LOW.batchShape(BATCH)), DataBuffers.of(lows));
          TInt64 s = TInt64.vectorOf(1, 0)) {
        Session.Runner runner = session.runner().feed(real, y).feed(conditions, x).feed(sampling, x).feed(seed, s);
        scalars.forEach(name -> runner.fetch(model.scalars().get(name)));
        runner.fetch(model.generated());
        try (Result r = runner.run()) {
          Map<String, float[]> values = new java.util.LinkedHashMap<>();
          for (int i = 0; i <= scalars.size(); i++) {
            float[] v = new float[(int) r.get(i).shape().size()];
            ((TFloat32) r.get(i)).copyTo(DataBuffers.of(v, false, false));
            values.put(i < scalars.size() ? scalars.get(i) : "generated", v);
          }
          return values;
        }
      }
    }

    @Override
    public void close() {
      session.close();
      graph.close();
    }
  }

  private static float[] uniform(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = (float) random.nextDouble(-1, 1);
    }
    return values;
  }

  @Test
  void theContentLossIsThePixelLossPlusTheWeightedFeatureDistance() {
    float[] targets = uniform(BATCH * TARGET.sampleSize(), 1);
    float[] lows = uniform(BATCH * LOW.sampleSize(), 2);
    try (Built srgan = new Built(LOW, Condition.Images.LOW_RESOLUTION, SMALL, Map.of("fashion-mnist-classifier",
        MEAN_PIXEL))) {
      Map<String, float[]> v = srgan.run(targets, lows, List.of("content/pixel", "content/perceptual"));
      float[] out = v.get("generated");
      double squares = 0;
      double perceptual = 0;
      int n = TARGET.sampleSize();
      for (int i = 0; i < BATCH; i++) {
        double meanOut = 0;
        double meanTarget = 0;
        for (int j = 0; j < n; j++) {
          double d = out[i * n + j] - targets[i * n + j];
          squares += d * d;
          meanOut += out[i * n + j] / n;
          meanTarget += targets[i * n + j] / n;
        }
        perceptual += (meanOut - meanTarget) * (meanOut - meanTarget) / BATCH;
      }
      assertEquals(squares / (BATCH * n), v.get("content/pixel")[0], 1e-5);
      assertEquals(perceptual, v.get("content/perceptual")[0], 1e-6);
      assertEquals(List.of("discriminator", "generator"), srgan.model.objectives().stream().map(o -> o.name()).toList());
    }
  }

  @Test
  void theAdversarialTermStartsAfterTheWarmUpAndWithoutOneTheModelIsSrresnet() {
    float[] targets = uniform(BATCH * TARGET.sampleSize(), 3);
    float[] lows = uniform(BATCH * LOW.sampleSize(), 4);
    Map<String, Object> warm = new java.util.HashMap<>(SMALL);
    warm.put("warmup_steps", 2);
    warm.put("perceptual_weight", 0);
    try (Built srgan = new Built(LOW, Condition.Images.LOW_RESOLUTION, warm, Map.of())) {
      float[] seen = new float[4];
      for (int step = 0; step < 4; step++) {
        seen[step] = srgan.run(targets, lows, List.of("adversarial_on")).get("adversarial_on")[0];
        for (Op op : srgan.model.afterStep()) {
          srgan.session.runner().addTarget(op).run().close();
        }
      }
      org.junit.jupiter.api.Assertions.assertArrayEquals(new float[] {0, 0, 1, 1}, seen);
    }
    Map<String, Object> srresnet = new java.util.HashMap<>(SMALL);
    srresnet.put("adversarial_weight", 0);
    srresnet.put("perceptual_weight", 0);
    try (Built plain = new Built(LOW, Condition.Images.LOW_RESOLUTION, srresnet, Map.of())) {
      assertEquals(List.of("generator"), plain.model.objectives().stream().map(o -> o.name()).toList());
      assertTrue(plain.model.afterStep().isEmpty());
    }
  }

  @Test
  void whatDoesNotFitIsRefusedWithWhatWould() {
    ParameterException paired = assertThrows(ParameterException.class,
        () -> new Built(TARGET, Condition.Images.PAIRED, SMALL, Map.of()));
    assertTrue(paired.getMessage().contains("pix2pix"), paired.getMessage());
    ParameterException sixteen = assertThrows(ParameterException.class, () -> new Built(DataSpec.image(1, 1, 1, 0),
        Condition.Images.LOW_RESOLUTION, Map.of("perceptual_weight", 0), Map.of()));
    assertTrue(sixteen.getMessage().contains("upsamples by 2, 4 or 8") && sixteen.getMessage().contains("16 times"),
        sixteen.getMessage());
    ParameterException uneven = assertThrows(ParameterException.class, () -> new Built(DataSpec.image(5, 5, 1, 0),
        Condition.Images.LOW_RESOLUTION, Map.of("perceptual_weight", 0), Map.of()));
    assertTrue(uneven.getMessage().contains("do not scale evenly"), uneven.getMessage());
    ParameterException missing = assertThrows(ParameterException.class,
        () -> new Built(LOW, Condition.Images.LOW_RESOLUTION, SMALL, Map.of("other", MEAN_PIXEL)));
    assertTrue(missing.getMessage().contains("'fashion-mnist-classifier', which is not registered (registered: other)"),
        missing.getMessage());
    FeatureExtractor sessionOnly = (spec, parameters) -> {
      throw new UnsupportedOperationException();
    };
    ParameterException notInGraph = assertThrows(ParameterException.class, () -> new Built(LOW,
        Condition.Images.LOW_RESOLUTION, Map.of("features", "saved-model"), Map.of("saved-model", sessionOnly)));
    assertTrue(notInGraph.getMessage().contains("cannot build into a training graph"), notInGraph.getMessage());
  }
}
