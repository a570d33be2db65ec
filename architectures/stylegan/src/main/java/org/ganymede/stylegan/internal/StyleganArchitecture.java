package org.ganymede.stylegan.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import org.ganymede.api.Architecture;
import org.ganymede.api.Critic;
import org.ganymede.api.GanModel;
import org.ganymede.api.ModelContext;
import org.ganymede.api.Objective;
import org.ganymede.api.OptimizerSpec;
import org.ganymede.api.Plugins;
import org.ganymede.api.SamplingControls;
import org.ganymede.nn.Gradients;
import org.ganymede.nn.MovingAverage;
import org.ganymede.nn.TwoPlayerGan;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.osgi.service.component.annotations.Component;

/**
 * A StyleGAN2-like GAN (Karras et al. 2020, configuration F) for square images of 32, 64, 128 or
 * 256 px with 1 or 3 channels.
 *
 * <p>Parameters:
 *
 * <ul>
 *   <li>{@code latent_size}, {@code style_size} (default 4 x image side, at most 512: 128 at
 *       32 px): sizes of z and of w
 *   <li>{@code mapping_layers} (default 8, at least 1): dense layers of the mapping network, whose
 *       learning rate is multiplied by 0.01
 *   <li>{@code channels} (default 128): the widest feature maps
 *   <li>{@code channel_base} (default 64 x channels): the feature maps at side r have
 *       min(channels, channel_base / r) channels, so by default {@code channels} up to 64 px, halving
 *       with each doubling above; a smaller base narrows the high resolutions, where most of the
 *       work is (128 and 512 at 32 px: 128, 64, 32 and 16 channels at 4, 8, 16 and 32 px)
 *   <li>{@code r1_gamma} (default 10; 0 for none): weight of the lazy R1 penalty on real images
 *   <li>{@code r1_interval} (default 16): the R1 objective runs every this many steps, its loss
 *       multiplied by the interval
 *   <li>{@code path_length_weight} (default 0, off; the reference uses 2): weight of the lazy path
 *       length penalty on the generator
 *   <li>{@code path_length_interval} (default 4): the path length objective runs every this many
 *       steps, its loss multiplied by the interval
 *   <li>{@code mixing} (default 0.9): probability of style mixing in training
 *   <li>{@code ema_beta} (default 0.999): share of itself the moving average of the generator
 *       keeps each step
 *   <li>{@code w_avg_beta} (default 0.995): share of itself the average style keeps each
 *       generator step
 * </ul>
 *
 * <p>Style mixing: each training batch draws two latents z1, z2 and maps both; with probability
 * {@code mixing} (one draw per batch) a crossover index c is drawn uniformly from 1 to the number
 * of style inputs minus 1, and the style inputs from c on read w2 instead of w1; otherwise every
 * input reads w1. Noise is drawn per layer from the run's stateless random numbers, so training is
 * repeatable.
 *
 * <p>Average style: w_avg (a variable no optimizer trains, saved in checkpoints) starts at 0 and,
 * each time the generator objective runs, moves {@code 1 - w_avg_beta} of the way to the batch
 * mean of that run's w1 (StyleGAN2-ADA updates it on every training pass of the mapping network;
 * here once a step, so that neither the discriminator's runs nor logging move it).
 *
 * <p>Sampling ({@link GanModel#generated}) reads the moving average of the generator with fixed
 * noise, and takes {@link SamplingControls}: {@code truncation} psi (default 1) maps each style to
 * {@code psi w + (1 - psi) w_avg}, so psi 0 gives the image of w_avg for every latent;
 * {@code mix_latent} (default the latent) and {@code mix_from} (default the number of style
 * inputs): style inputs from {@code mix_from} on read the (truncated) w of the second latent.
 *
 * <p>Skip images are upsampled bilinearly (StyleGAN2 filters them with [1, 3, 3, 1]); feature maps
 * by nearest neighbour, ahead of a 3x3 convolution.
 *
 * <p>Objectives: {@code discriminator} (the experiment's adversarial loss plus its regularizers),
 * {@code discriminator_r1} (every {@code r1_interval} steps: r1_interval * gamma / 2 * mean over
 * the batch of |grad_x D(x)|^2 on real images), {@code generator}, and {@code generator_path_length}
 * when its weight is positive (every {@code path_length_interval} steps, on half a batch: the
 * interval times the weight times the mean of (pl_length - pl_mean)^2; see {@link PathLength}); it
 * is not logged, as computing it moves pl_mean ({@code path_length/mean} is). All train with Adam,
 * learning rate 0.002, betas 0 and 0.99, epsilon 1e-8, unless the experiment says otherwise; as in
 * StyleGAN2, a network with a lazy regulariser (the discriminator with R1, the generator with path
 * length) gets, for both its objectives, the learning rate times c = interval / (interval + 1) and
 * the betas to the power c (with R1 every 16 steps: 0.00188, 0 and 0.9906). Keys an experiment
 * gives under {@code training.optimizers} replace these values as given.
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

  static final String PATH_LENGTH = "generator_path_length";

  /**
   * The parts of a built model, for tests to look into.
   *
   * @param styles the training styles of the generator's batch
   * @param pathLength null when the penalty is off
   */
  record Parts(Generator generator, Discriminator discriminator, Generator average, AverageStyle averageStyle,
      TrainingInputs.Styles styles, PathLength.Penalty pathLength) {}

  private final Consumer<Parts> inspector;

  public StyleganArchitecture() {
    this(parts -> {});
  }

  /** @param inspector sees the parts of every model built */
  StyleganArchitecture(Consumer<Parts> inspector) {
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
    AverageStyle averageStyle = new AverageStyle(tf, config.styleSize(), (float) config.averageStyleBeta());

    TrainingInputs.Styles styles = TrainingInputs.styles(context, config, generator, n);
    Operand<TFloat32> fake = tf.withName("fake").identity(
        generator.synthesize(tf, styles.inputs(), TrainingInputs.noise(context, generator, n)));
    // The discriminator judges every batch through the selected augmentations (ADA's setting).
    Critic judged = context.augmentations().judged(discriminator.critic(tf));
    Operand<TFloat32> realLogits = judged.apply(context.real());
    Operand<TFloat32> fakeLogits = judged.apply(fake);

    Map<String, Operand<TFloat32>> scalars = new LinkedHashMap<>();
    List<Operand<TFloat32>> terms = new ArrayList<>();
    terms.add(tf.withName("discriminator_adversarial_loss").identity(
        context.loss().discriminatorLoss(tf.withSubScope("d_loss"), realLogits, fakeLogits)));
    terms.addAll(TwoPlayerGan.penalties(context, judged, context.real(), fake, "", scalars));
    Operand<TFloat32> discriminatorLoss = tf.withName("discriminator_loss")
        .identity(context.augmentations().observed(tf, tf.math.addN(terms), realLogits));
    // The average style follows the generator's runs only: the discriminator's runs and logged
    // scalars evaluate the same fakes, and must not move it.
    Operand<TFloat32> generatorLoss = tf.withName("generator_loss")
        .withControlDependencies(List.of(averageStyle.update(tf, styles.first())))
        .identity(context.loss().generatorLoss(tf.withSubScope("g_loss"), realLogits, fakeLogits));
    scalars.put("critic/real", tf.math.mean(realLogits, tf.constant(new int[] {0, 1})));
    scalars.put("critic/fake", tf.math.mean(fakeLogits, tf.constant(new int[] {0, 1})));

    OptimizerSpec discriminatorDefault = config.r1Gamma() > 0
        ? lazilyRegularized(DEFAULT_OPTIMIZER, config.r1Interval()) : DEFAULT_OPTIMIZER;
    OptimizerSpec generatorDefault = config.pathLengthWeight() > 0
        ? lazilyRegularized(DEFAULT_OPTIMIZER, config.pathLengthInterval()) : DEFAULT_OPTIMIZER;
    List<Objective> objectives = new ArrayList<>();
    objectives.add(new Objective("discriminator", discriminatorLoss, discriminator.variables(),
        context.optimizer("discriminator", discriminatorDefault), context.criticSteps()));
    if (config.r1Gamma() > 0) {
      Operand<TFloat32> r1 = r1Penalty(tf, realLogits, context.real());
      scalars.put("penalty/r1", r1);
      Operand<TFloat32> loss = tf.withName("discriminator_r1_loss").math.mul(r1,
          tf.constant((float) (config.r1Interval() * config.r1Gamma() / 2)));
      objectives.add(new Objective(R1, loss, discriminator.variables(),
          context.optimizer(R1, discriminatorDefault), 1, config.r1Interval()));
    }
    objectives.add(new Objective("generator", generatorLoss, generator.variables(),
        context.optimizer("generator", generatorDefault), 1));
    PathLength.Penalty pathLength = null;
    if (config.pathLengthWeight() > 0) {
      pathLength = PathLength.build(context, config, generator);
      // pl_mean is logged as it stands; the penalty itself is not, as computing it moves pl_mean.
      scalars.put("path_length/mean", tf.identity(pathLength.mean()));
      objectives.add(new Objective(PATH_LENGTH, pathLength.loss(), generator.variables(),
          context.optimizer(PATH_LENGTH, generatorDefault), 1, config.pathLengthInterval()));
    }

    Sampling sampling = sampling(tf, config, average, averageStyle, context.seed());
    Op ema = MovingAverage.update(tf, "generator_moving_average", average.variables(), generator.variables(),
        (float) config.emaBeta());
    inspector.accept(new Parts(generator, discriminator, average, averageStyle, styles, pathLength));
    // Freezing: the discriminator's blocks from the image in, the generator's mapping layers (FreezeD, and
    // the mapping of transfer learning).
    return new GanModel(objectives, scalars, sampling.latent(), sampling.generated(), List.of(ema),
        sampling.controls(), List.of())
        .withLayers("discriminator", discriminator.layers())
        .withLayers("generator", generator.mappingLayers());
  }

  /**
   * StyleGAN2's correction for a network with a lazy regulariser: its optimizer steps
   * {@code interval + 1} times in {@code interval} steps, so the learning rate is multiplied by
   * {@code c = interval / (interval + 1)} and the betas raised to the power c.
   */
  static OptimizerSpec lazilyRegularized(OptimizerSpec spec, int interval) {
    double c = interval / (interval + 1.0);
    return new OptimizerSpec(spec.type(), spec.learningRate() * c, Math.pow(spec.beta1(), c),
        Math.pow(spec.beta2(), c), spec.epsilon(), spec.decayStart(), spec.decayEnd());
  }

  /** The sampling side of the model: its latent, what it generates and the controls. */
  private record Sampling(Placeholder<TFloat32> latent, Operand<TFloat32> generated, SamplingControls controls) {}

  /**
   * The moving average of the generator with fixed noise, steered by truncation towards the
   * average style and by style mixing with a second latent, each a placeholder with a default
   * that samples plainly.
   */
  private static Sampling sampling(Ops tf, StyleganConfig config, Generator average, AverageStyle averageStyle,
      long seed) {
    int inputs = config.styleInputs();
    Placeholder<TFloat32> latent = tf.withName("latent")
        .placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, config.latentSize())));
    Operand<TFloat32> psi = tf.withName("truncation").placeholderWithDefault(tf.constant(1f), Shape.scalar());
    Operand<TFloat32> mixLatent = tf.withName("mix_latent")
        .placeholderWithDefault(latent, Shape.of(-1, config.latentSize()));
    Operand<TInt32> mixFrom = tf.withName("mix_from").placeholderWithDefault(tf.constant(inputs), Shape.scalar());
    Operand<TFloat32> w = averageStyle.truncate(tf, average.map(tf, latent), psi);
    Operand<TFloat32> mixed = averageStyle.truncate(tf, average.map(tf, mixLatent), psi);
    List<Operand<TFloat32>> ws = new ArrayList<>();
    for (int i = 0; i < inputs; i++) {
      ws.add(tf.select(tf.math.less(tf.constant(i), mixFrom), w, mixed));
    }
    Operand<TFloat32> generated = tf.withName("generated").identity(
        average.synthesize(tf, ws, fixedNoise(tf, seed, average)));
    return new Sampling(latent, generated, new SamplingControls(psi, mixLatent, mixFrom, inputs));
  }

  /** Mean over the batch of the squared norm of D's gradient at each real image. */
  private static Operand<TFloat32> r1Penalty(Ops tf, Operand<TFloat32> realLogits, Operand<TFloat32> real) {
    // Each logit depends on its own image only (the minibatch stddev aside, as in the reference).
    Operand<TFloat32> total = tf.reduceSum(realLogits, tf.constant(new int[] {0, 1}));
    Operand<TFloat32> grad = tf.gradients(total, List.of(real)).dy(0);
    Operand<TFloat32> perSample = tf.reduceSum(tf.math.square(grad), tf.constant(new int[] {1, 2, 3}));
    return tf.withName("r1_penalty").math.mean(perSample, tf.constant(new int[] {0}));
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
