package org.ganymede.lapgan.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.ganymede.api.Architecture;
import org.ganymede.api.Critic;
import org.ganymede.api.DataSpec;
import org.ganymede.api.GanModel;
import org.ganymede.api.ModelContext;
import org.ganymede.api.Objective;
import org.ganymede.api.OptimizerSpec;
import org.ganymede.api.ParameterException;
import org.ganymede.api.Parameters;
import org.ganymede.api.Plugins;
import org.ganymede.api.SamplingControls;
import org.ganymede.nn.Gradients;
import org.ganymede.nn.Network;
import org.ganymede.nn.TwoPlayerGan;
import org.osgi.service.component.annotations.Component;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * LAPGAN (Denton et al. 2015): a Laplacian pyramid of GANs for square images whose side is a
 * power of two of at least 16 px. The coarsest image (8x8 by default) is made from noise and
 * judged by a small DCGAN pair; every finer level k has a convolutional generator that makes the
 * band-pass residual h_k from the coarser image up-sampled, l_k, and a noise plane, and a
 * discriminator that judges (h_k, l_k) together, concatenated along the channels. As in the
 * paper every level trains on its own, on the pyramid of the real batch (l_k = up(down(I_k)) of a
 * real I_k; see {@link LaplacianPyramid}); sampling runs the levels coarse to fine, each on the
 * image the one below made. {@link LevelNetworks} describes the networks. Adam 2e-4, beta1 0.5
 * for every network; the loss the experiment names, the non-saturating one by default.
 *
 * <p>Parameters:
 *
 * <ul>
 *   <li>{@code levels} (default: down to 8x8, log2(side / 8); 2 at 32 px): band-pass levels above
 *       the coarsest image, from 1 to as many as leave it 4 px or more
 *   <li>{@code coarsest} (default 8): the coarsest image's side instead, a power of two from 4 px to
 *       half the images' side
 *   <li>{@code latent_size} (default 100): the coarsest generator's noise
 *   <li>{@code width} (default 64): channels of the finer levels' convolutions, and of the
 *       coarsest pair's at the coarsest side (twice as many at half of it)
 *   <li>{@code batch_norm} (default true): batch normalisation of every discriminator's last
 *       convolution (never of a generator's, so that a sample depends on its latent alone); it
 *       trained the coarsest and finer levels faster on Fashion-MNIST; gradient penalties want it
 *       off
 * </ul>
 *
 * <p>Objectives, two for each level, named after its side (8, 16, 32 at 32 px), coarsest first,
 * each training its own level's network alone: {@code discriminator_8} minimises the loss of D_0
 * on real and generated coarsest images plus the selected penalties, {@code criticSteps} times a
 * step; {@code generator_8} the generator's loss of G_0; {@code discriminator_16} and
 * {@code generator_16} the same of D_1 on (h, l) and G_1, with real residuals and generated ones
 * G_1(l, noise) of the same real l (the penalties see h -> D_1(h, l)); and so on. Logged:
 * {@code critic/real_8}, {@code critic/fake_8}, ... (mean logits) and {@code penalty/NAME_8}, ...
 *
 * <p>Sampling: the latent is the coarsest generator's noise ({@code latent_size} values) followed
 * by one noise plane of side x side values for each finer level, coarse to fine, so that a sample
 * depends on its latent alone. The generated image is the finest level's, clipped to [-1, 1]
 * (residuals can carry it out), or, when sampling feeds the pyramid's levels control, the image
 * after that many finer levels, enlarged; {@link #buildWithLevels} gives each level's image too.
 */
@Component(
    service = Architecture.class,
    property = {
      Plugins.NAME + "=lapgan",
      Plugins.DESCRIPTION + "=LAPGAN (Denton et al. 2015): a Laplacian pyramid of GANs, coarse to fine, for square"
          + " images of 16, 32, 64 ... px"
    })
public final class LapganArchitecture implements Architecture {
  static final String OWNER = "architecture 'lapgan'";
  private static final OptimizerSpec DEFAULT_OPTIMIZER = OptimizerSpec.adam(2e-4, 0.5, 0.999);
  private static final int MIN_SIDE = 16;
  private static final int MIN_COARSEST = 4;
  private static final int DEFAULT_COARSEST = 8;
  private static final int CHANNELS_AXIS = 3;

  /**
   * A sample at one level of the pyramid, for a picture of every level.
   *
   * @param side the level's own side
   * @param enlarged the level's image for the model's latent, up-sampled to the finest side and
   *     clipped to [-1, 1], {@code [n, size, size, channels]}; named {@code level_sample_SIDE} in
   *     the graph
   */
  public record LevelSample(int side, Operand<TFloat32> enlarged) {}

  /**
   * What {@link #buildWithLevels} builds.
   *
   * @param model what {@link #build} returns
   * @param levelSamples coarsest first; the model's generated image is the last unless sampling
   *     asks for fewer levels
   */
  public record Built(GanModel model, List<LevelSample> levelSamples) {
    public Built {
      levelSamples = List.copyOf(levelSamples);
    }
  }

  @Override
  public GanModel build(ModelContext context) {
    return buildWithLevels(context).model();
  }

  /** Builds the model as {@link #build} does, with each level's sample from the same latent. */
  public Built buildWithLevels(ModelContext context) {
    Gradients.registerMissing();
    Ops tf = context.tf();
    Parameters p = context.parameters();
    DataSpec data = context.data();
    int side = requireShape(data);
    int levels = levels(p, side);
    int latentSize = p.intInRange("latent_size", 100, 1, 4096);
    int width = p.intInRange("width", 64, 1, 1024);
    boolean batchNorm = p.booleanValue("batch_norm", true);
    int coarsestSide = side >> levels;

    // Draws from one stream keyed by the run's seed: repeatable, and different for each network.
    SplittableRandom seeds = new SplittableRandom(context.seed());
    Network coarsestGenerator =
        LevelNetworks.coarsestGenerator(tf, seeds.nextLong(), coarsestSide, data.channels(), width, latentSize);
    Network coarsestDiscriminator =
        LevelNetworks.coarsestDiscriminator(tf, seeds.nextLong(), coarsestSide, data.channels(), width, batchNorm);
    LaplacianPyramid.Decomposition real = LaplacianPyramid.decompose(tf, context.real(), levels);
    List<Network> generators = new ArrayList<>();
    List<Network> discriminators = new ArrayList<>();
    for (LaplacianPyramid.Band band : real.bands()) {
      generators.add(LevelNetworks.residualGenerator(tf, seeds.nextLong(), data.channels(), width));
      discriminators.add(LevelNetworks.residualDiscriminator(tf, seeds.nextLong(), band.side(), data.channels(), width,
          batchNorm));
    }

    Map<String, Operand<TFloat32>> scalars = new LinkedHashMap<>();
    Operand<TFloat32> coarsestNoise = context.random().normal(tf.constant(new int[] {context.batchSize(), latentSize}));
    List<Objective> objectives = new ArrayList<>(game(context, coarsestSide, coarsestDiscriminator, real.coarsest(),
        coarsestGenerator.apply(coarsestNoise), coarsestGenerator, coarsestDiscriminator, scalars));
    for (int k = 0; k < real.bands().size(); k++) {
      LaplacianPyramid.Band band = real.bands().get(k);
      Network discriminator = discriminators.get(k);
      Operand<TFloat32> plane = context.random().normal(tf.constant(new int[] {context.batchSize(), band.side(),
          band.side(), LevelNetworks.NOISE_CHANNELS}));
      Operand<TFloat32> fake = generators.get(k).apply(joined(tf, band.coarse(), plane));
      Critic critic = h -> discriminator.apply(joined(tf, h, band.coarse()));
      objectives.addAll(game(context, band.side(), critic, band.residual(), fake, generators.get(k), discriminator,
          scalars));
    }

    // The latent: the coarsest generator's noise, then each finer level's noise plane.
    int latentWidth = latentSize;
    for (LaplacianPyramid.Band band : real.bands()) {
      latentWidth += band.side() * band.side();
    }
    Placeholder<TFloat32> latent =
        tf.withName("latent").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, latentWidth)));
    Operand<TFloat32> coarsestSample = coarsestGenerator.apply(columns(tf, latent, 0, latentSize));
    List<UnaryOperator<Operand<TFloat32>>> residuals = new ArrayList<>();
    int offset = latentSize;
    for (int k = 0; k < real.bands().size(); k++) {
      int bandSide = real.bands().get(k).side();
      Operand<TFloat32> plane = tf.reshape(columns(tf, latent, offset, bandSide * bandSide),
          tf.constant(new int[] {-1, bandSide, bandSide, LevelNetworks.NOISE_CHANNELS}));
      Network generator = generators.get(k);
      residuals.add(coarse -> generator.apply(joined(tf, coarse, plane)));
      offset += bandSide * bandSide;
    }
    List<LevelSample> levelSamples = new ArrayList<>();
    for (Operand<TFloat32> image : LaplacianPyramid.reconstruct(tf, coarsestSample, residuals)) {
      int levelSide = (int) image.shape().get(1);
      levelSamples.add(new LevelSample(levelSide, tf.withName("level_sample_" + levelSide)
          .clipByValue(LaplacianPyramid.enlarge(tf, image, side), tf.constant(-1f), tf.constant(1f))));
    }
    // Sampling can stop after any number of finer levels, to show every level; by default after all.
    Operand<TInt32> levelsShown = tf.withName("levels").placeholderWithDefault(tf.constant(levels), Shape.scalar());
    Operand<TFloat32> generated = tf.withName("generated").gather(
        tf.stack(levelSamples.stream().map(LevelSample::enlarged).toList()), levelsShown, tf.constant(0));
    return new Built(new GanModel(objectives, scalars, latent, generated, List.of(),
        SamplingControls.pyramid(levelsShown, levels), List.of()), levelSamples);
  }

  /**
   * The two objectives of one level's game, its discriminator's then its generator's, each
   * training its own network; puts the level's critic means and penalties into {@code scalars}.
   *
   * @param critic the discriminator as the loss and the penalties see it
   * @param real what the level's discriminator takes for real
   * @param fake what the level's generator made of the step's noise
   */
  private static List<Objective> game(ModelContext context, int side, Critic critic, Operand<TFloat32> real,
      Operand<TFloat32> fake, Network generator, Network discriminator, Map<String, Operand<TFloat32>> scalars) {
    Ops tf = context.tf();
    Operand<TFloat32> realLogits = critic.apply(real);
    Operand<TFloat32> fakeLogits = critic.apply(fake);
    List<Operand<TFloat32>> terms = new ArrayList<>(List.of(tf.withName("discriminator_adversarial_loss_" + side)
        .identity(context.loss().discriminatorLoss(tf.withSubScope("d_loss_" + side), realLogits, fakeLogits))));
    terms.addAll(TwoPlayerGan.penalties(context, critic, real, fake, "_" + side, scalars));
    Operand<TFloat32> generatorLoss = tf.withName("generator_loss_" + side)
        .identity(context.loss().generatorLoss(tf.withSubScope("g_loss_" + side), realLogits, fakeLogits));
    scalars.put("critic/real_" + side, tf.math.mean(realLogits, tf.constant(new int[] {0, 1})));
    scalars.put("critic/fake_" + side, tf.math.mean(fakeLogits, tf.constant(new int[] {0, 1})));
    String discriminatorName = "discriminator_" + side;
    String generatorName = "generator_" + side;
    return List.of(
        new Objective(discriminatorName, tf.withName("discriminator_loss_" + side).math.addN(terms),
            discriminator.variables(), context.optimizer(discriminatorName, DEFAULT_OPTIMIZER), context.criticSteps()),
        new Objective(generatorName, generatorLoss, generator.variables(),
            context.optimizer(generatorName, DEFAULT_OPTIMIZER), 1));
  }

  /** Two image batches of the same side concatenated along the channels. */
  private static Operand<TFloat32> joined(Ops tf, Operand<TFloat32> first, Operand<TFloat32> second) {
    return tf.concat(List.of(first, second), tf.constant(CHANNELS_AXIS));
  }

  /** Columns {@code [from, from + count)} of every row of {@code rows}. */
  private static Operand<TFloat32> columns(Ops tf, Operand<TFloat32> rows, int from, int count) {
    return tf.slice(rows, tf.constant(new int[] {0, from}), tf.constant(new int[] {-1, count}));
  }

  /** The images' side, once they are known to be square with a side that is a power of two of 16 px or more. */
  private static int requireShape(DataSpec data) {
    if (!data.isImage() || data.height() != data.width() || data.height() < MIN_SIDE
        || Integer.bitCount(data.height()) != 1) {
      throw new ParameterException(OWNER + " needs square images whose side is a power of two of at least " + MIN_SIDE
          + " px (16, 32, 64 ...); the data are " + data);
    }
    return data.height();
  }

  /**
   * The number of band-pass levels, from {@code levels} or {@code coarsest} (the side the levels
   * halve the images down to), which must agree when both are given.
   */
  private static int levels(Parameters p, int side) {
    int most = log2(side / MIN_COARSEST);
    boolean coarsestGiven = p.has("coarsest");
    int coarsest = p.intValue("coarsest", DEFAULT_COARSEST);
    if (coarsest < MIN_COARSEST || coarsest > side / 2 || Integer.bitCount(coarsest) != 1) {
      throw new ParameterException(OWNER + ": 'coarsest' is " + coarsest + "; allowed: a power of two from "
          + MIN_COARSEST + " to " + side / 2 + " px for images of " + side + " px");
    }
    int levelsToCoarsest = log2(side / coarsest);
    boolean levelsGiven = p.has("levels");
    int levels = p.intValue("levels", levelsToCoarsest);
    if (levels < 1 || levels > most) {
      throw new ParameterException(OWNER + ": 'levels' is " + levels + "; allowed: 1 to " + most + " for images of "
          + side + " px (each level halves the side, and the coarsest image needs at least " + MIN_COARSEST + " px)");
    }
    if (coarsestGiven && levelsGiven && levels != levelsToCoarsest) {
      throw new ParameterException(OWNER + ": 'levels' " + levels + " and 'coarsest' " + coarsest + " disagree: "
          + levels + " levels halve images of " + side + " px down to " + (side >> levels) + " px; give one of them");
    }
    return levels;
  }

  private static int log2(int powerOfTwo) {
    return Integer.numberOfTrailingZeros(powerOfTwo);
  }
}
