package org.ganymede.stylegan.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.ganymede.api.DataSpec;
import org.ganymede.api.SamplingControls;
import org.ganymede.testing.AdamTrainer;
import org.ganymede.testing.GanHarness;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/** The average style and the sampling controls, on a tiny 32 px network trained for two steps. */
class StyleganSamplingTest {
  private static final DataSpec GREY_32 = DataSpec.image(32, 32, 1, 0);
  private static final int BATCH = 4;

  @Test
  void averageStyleMovesTowardsTheBatchMeanOfWOnlyWhenTheGeneratorObjectiveRuns() {
    float beta = 0.8f;
    Map<String, Object> values = new HashMap<>(StyleganArchitectureTest.TINY);
    values.put("w_avg_beta", beta);
    AtomicReference<StyleganArchitecture.Parts> parts = new AtomicReference<>();
    try (GanHarness gan = new GanHarness(new StyleganArchitecture(parts::set), GREY_32, BATCH, values, 3)) {
      AdamTrainer trainer = new AdamTrainer(gan);
      Variable<TFloat32> average = parts.get().averageStyle().variable();
      assertFalse(parts.get().generator().variables().contains(average), "no optimizer trains w_avg");
      float[] before = gan.read(average);
      assertArrayEquals(new float[32], before, "w_avg starts at 0");
      Graph graph = (Graph) average.env();
      for (long seed = 1; seed <= 2; seed++) {
        // The discriminator's objectives and the logged scalars see the same fakes and leave it.
        try (Result r = run(gan, graph, seed, gan.objective("discriminator").loss(),
            gan.objective(StyleganArchitecture.R1).loss())) {
          assertArrayEquals(before, gan.read(average), "a discriminator objective moved w_avg");
        }
        gan.model.scalars().values().forEach(s -> run(gan, graph, 9, s).close());
        assertArrayEquals(before, gan.read(average), "logging a scalar moved w_avg");

        float[] w;
        try (Result r = run(gan, graph, seed, gan.objective("generator").loss(), parts.get().styles().first())) {
          w = floats((TFloat32) r.get(1));
        }
        float[] after = gan.read(average);
        for (int j = 0; j < before.length; j++) {
          double mean = 0;
          for (int i = 0; i < BATCH; i++) {
            mean += w[i * before.length + j] / BATCH;
          }
          double expected = before[j] + (1 - beta) * (mean - before[j]);
          assertEquals(expected, after[j], 1e-6 * (1 + Math.abs(expected)), "w_avg[" + j + "] after run " + seed);
        }
        assertFalse(Arrays.equals(before, after));
        before = after;
      }
      trainer.step(() -> gan.uniformRealBatch(new SplittableRandom(4)));
      assertFalse(Arrays.equals(before, gan.read(average)), "a training step moves w_avg");
    }
  }

  @Test
  void truncationToZeroGivesTheImageOfTheAverageStyleForEveryLatent() {
    AtomicReference<StyleganArchitecture.Parts> parts = new AtomicReference<>();
    try (GanHarness gan = trained(parts)) {
      SamplingControls controls = gan.model.sampling();
      assertTrue(controls.truncates());
      // Set w_avg to the sampled network's w of latent 5: then psi 0 must draw latent 5's image.
      Ops tf = Ops.create((Graph) gan.model.latent().env());
      Operand<TFloat32> w = parts.get().average().map(tf, gan.model.latent());
      Placeholder<TFloat32> value = tf.placeholder(TFloat32.class);
      Operand<TFloat32> setAverage = tf.assign(parts.get().averageStyle().variable(), value);
      float[] w5;
      try (TFloat32 z = latent(5); Result r = gan.session().runner().feed(gan.model.latent(), z).fetch(w).run()) {
        w5 = floats((TFloat32) r.get(0));
      }
      try (TFloat32 t = TFloat32.tensorOf(Shape.of(w5.length), DataBuffers.of(w5))) {
        gan.session().runner().feed(value, t).addTarget(setAverage).run().close();
      }
      float[] image5 = sample(gan, 5, Map.of());
      for (long seed : new long[] {1, 2, 3}) {
        try (TFloat32 psi = TFloat32.scalarOf(0f)) {
          assertArrayEquals(image5, sample(gan, seed, Map.of(controls.truncation(), psi)), 1e-6f, "seed " + seed);
        }
        try (TFloat32 psi = TFloat32.scalarOf(0.5f)) {
          float[] halfway = sample(gan, seed, Map.of(controls.truncation(), psi));
          assertFalse(close(image5, halfway) || close(sample(gan, seed, Map.of()), halfway), "psi 0.5, seed " + seed);
        }
      }
    }
  }

  @Test
  void mixingFromTheLastInputIsNoneAndFromTheFirstGivesTheSecondLatentsImage() {
    try (GanHarness gan = trained(new AtomicReference<>())) {
      SamplingControls controls = gan.model.sampling();
      assertTrue(controls.mixes());
      int inputs = controls.styleInputs();
      assertEquals(8, inputs, "32 px: 7 convolutions and the last toRGB");
      float[] plain1 = sample(gan, 1, Map.of());
      float[] plain2 = sample(gan, 2, Map.of());
      try (TFloat32 z1 = latent(1); TFloat32 z2 = latent(2); TInt32 middle = TInt32.scalarOf(inputs / 2);
          TInt32 first = TInt32.scalarOf(0); TInt32 none = TInt32.scalarOf(inputs)) {
        assertArrayEquals(plain1, sample(gan, 1, Map.of(controls.mixLatent(), z1, controls.mixFrom(), middle)), 1e-6f,
            "mixing a latent with itself");
        assertArrayEquals(plain1, sample(gan, 1, Map.of(controls.mixLatent(), z2, controls.mixFrom(), none)), 1e-6f,
            "mixing from past the last input");
        assertArrayEquals(plain2, sample(gan, 1, Map.of(controls.mixLatent(), z2, controls.mixFrom(), first)), 1e-6f,
            "mixing from input 0");
        float[] mixed = sample(gan, 1, Map.of(controls.mixLatent(), z2, controls.mixFrom(), middle));
        assertFalse(close(plain1, mixed) || close(plain2, mixed), "mixing half the inputs changes the image");
      }
    }
  }

  /** A tiny model after two training steps, so that w_avg and the averaged generator have moved. */
  private static GanHarness trained(AtomicReference<StyleganArchitecture.Parts> parts) {
    GanHarness gan = new GanHarness(new StyleganArchitecture(parts::set), GREY_32, BATCH,
        StyleganArchitectureTest.TINY, 3);
    AdamTrainer trainer = new AdamTrainer(gan);
    SplittableRandom random = new SplittableRandom(5);
    for (int i = 0; i < 2; i++) {
      trainer.step(() -> gan.uniformRealBatch(random));
    }
    return gan;
  }

  private static Result run(GanHarness gan, Graph graph, long seed, Operand<?>... fetches) {
    float[] real = gan.uniformRealBatch(new SplittableRandom(seed));
    try (TFloat32 batch = TFloat32.tensorOf(Shape.of(BATCH, 32, 32, 1), DataBuffers.of(real));
        TInt64 stepSeed = TInt64.vectorOf(seed, 0)) {
      Session.Runner runner = gan.session().runner()
          .feed(graph.operation("real").output(0), batch)
          .feed(graph.operation("step_seed").output(0), stepSeed);
      for (Operand<?> f : fetches) {
        runner.fetch(f);
      }
      return runner.run();
    }
  }

  /** One image from the latent of {@code seed}, with the given controls fed. */
  private static float[] sample(GanHarness gan, long seed, Map<Operand<?>, ? extends Tensor> controls) {
    try (TFloat32 z = latent(seed)) {
      Session.Runner runner = gan.session().runner().feed(gan.model.latent(), z);
      controls.forEach(runner::feed);
      try (Result r = runner.fetch(gan.model.generated()).run()) {
        return floats((TFloat32) r.get(0));
      }
    }
  }

  private static TFloat32 latent(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] z = new float[32];
    for (int i = 0; i < z.length; i++) {
      z[i] = (float) random.nextGaussian();
    }
    return TFloat32.tensorOf(Shape.of(1, z.length), DataBuffers.of(z));
  }

  private static boolean close(float[] a, float[] b) {
    for (int i = 0; i < a.length; i++) {
      if (Math.abs(a[i] - b[i]) > 1e-4f) {
        return false;
      }
    }
    return true;
  }

  private static float[] floats(TFloat32 t) {
    float[] values = new float[(int) t.size()];
    t.copyTo(DataBuffers.of(values, false, false));
    return values;
  }
}
