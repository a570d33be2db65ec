package org.ganymede.stylegan.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import org.ganymede.api.Architecture;
import org.ganymede.api.GanModel;
import org.ganymede.api.ModelContext;
import org.ganymede.api.Objective;
import org.ganymede.api.OptimizerSpec;
import org.ganymede.api.PenaltyContext;
import org.ganymede.api.Plugins;
import org.ganymede.nn.Gradients;
import org.ganymede.nn.MovingAverage;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.osgi.service.component.annotations.Component;

/**
 * A StyleGAN2-like GAN (Karras et al. 2020, configuration F without path length regularisation)
 * for square images of 32, 64, 128 or 256 px with 1 or 3 channels.
 *
 * <p>Parameters:
 *
 * <ul>
 *   <li>{@code latent_size}, {@code style_size} (default 4 x image side, at most 512: 128 at
 *       32 px): sizes of z and of w
 *   <li>{@code mapping_layers} (default 8, at least 1): dense layers of the mapping network, whose
 *       learning rate is multiplied by 0.01
 *   <li>{@code channels} (default 128): width of the feature maps up to 64 px; it halves with each
 *       doubling above
 *   <li>{@code r1_gamma} (default 10; 0 for none): weight of the lazy R1 penalty on real images
 *   <li>{@code r1_interval} (default 16): the R1 objective runs every this many steps, its loss
 *       multiplied by the interval
 *   <li>{@code mixing} (default 0.9): probability of style mixing in training
 *   <li>{@code ema_beta} (default 0.999): share of itself the moving average of the generator
 *       keeps each step
 * </ul>
 *
 * <p>Style mixing: each training batch draws two latents z1, z2 and maps both; with probability
 * {@code mixing} (one draw per batch) a crossover index c is drawn uniformly from 1 to the number
 * of style inputs minus 1, and the style inputs from c on read w2 instead of w1; otherwise every
 * input reads w1. Noise is drawn per layer from the run's stateless random numbers, so training is
 * repeatable. Sampling ({@link GanModel#generated}) reads the moving average of the generator,
 * without mixing and with fixed noise, so it needs only the latent.
 *
 * <p>Objectives: {@code discriminator} (the experiment's adversarial loss plus its regularizers),
 * {@code discriminator_r1} (every {@code r1_interval} steps: r1_interval * gamma / 2 * mean over
 * the batch of |grad_x D(x)|^2 on real images) and {@code generator}. All train with Adam, learning
 * rate 0.002, betas 0 and 0.99, epsilon 1e-8, unless the experiment says otherwise.
 */
@Component(
    service = Architecture.class,
    property = {
      Plugins.NAME + "=stylegan",
      Plugins.DESCRIPTION + "=StyleGAN2-like GAN (style-modulated generator, residual discriminator, lazy R1,"
          + " moving average) for 32 to 256 px images with 1 or 3 channels"
    })
public final class StyleganArchitecture implements Architecture {
  static final OptimizerSpec DEFAULT_OPTIMIZER = OptimizerSpec.adam(0.002, 0.0, 0.99);
  static final String R1 = "discriminator_r1";

  /** The networks of a built model, for tests to look into. */
  record Networks(Generator generator, Discriminator discriminator, Generator average) {}

  private final Consumer<Networks> inspector;

  public StyleganArchitecture() {
    this(networks -> {});
  }

  /** @param inspector sees the networks of every model built */
  StyleganArchitecture(Consumer<Networks> inspector) {
    this.inspector = inspector;
  }

  @Override
  public GanModel build(ModelContext context) {
    StyleganConfig config = StyleganConfig.of(context.data(), context.parameters());
    Gradients.registerMissing();
    Ops tf = context.tf();
    int n = context.batchSize();

    // Variables stay in the root name scope: the optimizers name their slots after them.
    SplittableRandom seeds = new SplittableRandom(context.seed());
    long generatorSeed = seeds.nextLong();
    Generator generator = new Generator(tf, generatorSeed, config);
    Discriminator discriminator = new Discriminator(tf, seeds.nextLong(), config, n);
    Generator average = new Generator(tf, generatorSeed, config);
    inspector.accept(new Networks(generator, discriminator, average));

    Operand<TFloat32> fake = tf.withName("fake").identity(
        generator.synthesize(tf, mixedStyles(context, config, generator), trainingNoise(context, generator)));
    Operand<TFloat32> realLogits = discriminator.apply(tf, context.real());
    Operand<TFloat32> fakeLogits = discriminator.apply(tf, fake);

    Map<String, Operand<TFloat32>> scalars = new LinkedHashMap<>();
    List<Operand<TFloat32>> terms = new ArrayList<>();
    terms.add(tf.withName("discriminator_adversarial_loss").identity(
        context.loss().discriminatorLoss(tf.withSubScope("d_loss"), realLogits, fakeLogits)));
    for (ModelContext.SelectedRegularizer r : context.regularizers()) {
      Ops scoped = tf.withSubScope("penalty_" + r.name().replaceAll("[^A-Za-z0-9_]", "_"));
      Operand<TFloat32> penalty = r.regularizer().penalty(new PenaltyContext(scoped, discriminator.critic(tf),
          context.real(), tf.stopGradient(fake), r.parameters(), context.random()));
      scalars.put("penalty/" + r.name(), penalty);
      terms.add(penalty);
    }
    Operand<TFloat32> discriminatorLoss = tf.withName("discriminator_loss").math.addN(terms);
    Operand<TFloat32> generatorLoss = tf.withName("generator_loss").identity(
        context.loss().generatorLoss(tf.withSubScope("g_loss"), realLogits, fakeLogits));
    scalars.put("critic/real", tf.math.mean(realLogits, tf.constant(new int[] {0, 1})));
    scalars.put("critic/fake", tf.math.mean(fakeLogits, tf.constant(new int[] {0, 1})));

    List<Objective> objectives = new ArrayList<>();
    objectives.add(new Objective("discriminator", discriminatorLoss, discriminator.variables(),
        context.optimizer("discriminator", DEFAULT_OPTIMIZER), context.criticSteps()));
    if (config.r1Gamma() > 0) {
      Operand<TFloat32> r1 = r1Penalty(tf, realLogits, context.real());
      scalars.put("penalty/r1", r1);
      Operand<TFloat32> loss = tf.withName("discriminator_r1_loss").math.mul(r1,
          tf.constant((float) (config.r1Interval() * config.r1Gamma() / 2)));
      objectives.add(new Objective(R1, loss, discriminator.variables(),
          context.optimizer(R1, DEFAULT_OPTIMIZER), 1, config.r1Interval()));
    }
    objectives.add(new Objective("generator", generatorLoss, generator.variables(),
        context.optimizer("generator", DEFAULT_OPTIMIZER), 1));

    Placeholder<TFloat32> latent = tf.withName("latent")
        .placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, config.latentSize())));
    Operand<TFloat32> w = average.map(tf, latent);
    List<Operand<TFloat32>> ws = new ArrayList<>();
    for (int i = 0; i < config.styleInputs(); i++) {
      ws.add(w);
    }
    Operand<TFloat32> generated = tf.withName("generated").identity(
        average.synthesize(tf, ws, fixedNoise(tf, context.seed(), average)));
    Op ema = MovingAverage.update(tf, "generator_moving_average", average.variables(), generator.variables(),
        (float) config.emaBeta());
    return new GanModel(objectives, scalars, latent, generated, List.of(ema));
  }

  /** Mean over the batch of the squared norm of D's gradient at each real image. */
  private static Operand<TFloat32> r1Penalty(Ops tf, Operand<TFloat32> realLogits, Operand<TFloat32> real) {
    // Each logit depends on its own image only (the minibatch stddev aside, as in the reference).
    Operand<TFloat32> total = tf.reduceSum(realLogits, tf.constant(new int[] {0, 1}));
    Operand<TFloat32> grad = tf.gradients(total, List.of(real)).dy(0);
    Operand<TFloat32> perSample = tf.reduceSum(tf.math.square(grad), tf.constant(new int[] {1, 2, 3}));
    return tf.withName("r1_penalty").math.mean(perSample, tf.constant(new int[] {0}));
  }

  /** One w per style input: w1 before the crossover, w2 from it on (see the class comment). */
  private static List<Operand<TFloat32>> mixedStyles(ModelContext context, StyleganConfig config, Generator g) {
    Ops tf = context.tf();
    Operand<TInt32> zShape = tf.constant(new int[] {context.batchSize(), config.latentSize()});
    Operand<TFloat32> w1 = g.map(tf, context.random().normal(zShape));
    int inputs = config.styleInputs();
    List<Operand<TFloat32>> ws = new ArrayList<>();
    if (config.mixing() == 0) {
      for (int i = 0; i < inputs; i++) {
        ws.add(w1);
      }
      return ws;
    }
    Operand<TFloat32> w2 = g.map(tf, context.random().normal(zShape));
    Operand<TFloat32> draws = context.random().uniform(tf.constant(new int[] {2}));
    Operand<TFloat32> mixes = tf.slice(draws, tf.constant(new int[] {0}), tf.constant(new int[] {1}));
    Operand<TFloat32> where = tf.slice(draws, tf.constant(new int[] {1}), tf.constant(new int[] {1}));
    // Crossover uniform in {1, ..., inputs - 1} when mixing, else inputs (no input reads w2).
    Operand<TFloat32> crossover = tf.select(
        tf.math.less(mixes, tf.constant(new float[] {(float) config.mixing()})),
        tf.math.add(tf.math.floor(tf.math.mul(where, tf.constant(new float[] {inputs - 1}))),
            tf.constant(new float[] {1})),
        tf.constant(new float[] {inputs}));
    Operand<TFloat32> cut = tf.withName("mixing_crossover").reshape(crossover, tf.constant(new int[0]));
    for (int i = 0; i < inputs; i++) {
      // 1 before the crossover, 0 from it on: w1 * keep + w2 * (1 - keep).
      Operand<TFloat32> keep = tf.dtypes.cast(tf.math.less(tf.constant((float) i), cut), TFloat32.class);
      ws.add(tf.math.add(tf.math.mul(w1, keep), tf.math.mul(w2, tf.math.sub(tf.constant(1f), keep))));
    }
    return ws;
  }

  /** Fresh noise for every conv, {@code [batch, r, r, 1]}, from the run's random numbers. */
  private static IntFunction<Operand<TFloat32>> trainingNoise(ModelContext context, Generator g) {
    List<Operand<TFloat32>> noise = new ArrayList<>();
    for (int i = 0; i < g.convCount(); i++) {
      int r = g.resolutionOf(i);
      noise.add(context.random().normal(context.tf().constant(new int[] {context.batchSize(), r, r, 1})));
    }
    return noise::get;
  }

  /** Noise fixed by the run's seed, {@code [1, r, r, 1]} per conv, shared by every sample. */
  private static IntFunction<Operand<TFloat32>> fixedNoise(Ops tf, long seed, Generator g) {
    List<Operand<TFloat32>> noise = new ArrayList<>();
    for (int i = 0; i < g.convCount(); i++) {
      int r = g.resolutionOf(i);
      noise.add(tf.random.statelessRandomNormal(
          tf.constant(new int[] {1, r, r, 1}), tf.constant(new long[] {seed, 1000 + i})));
    }
    return noise::get;
  }
}
