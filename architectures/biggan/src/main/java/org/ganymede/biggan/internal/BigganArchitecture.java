package org.ganymede.biggan.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.ganymede.api.Architecture;
import org.ganymede.api.Condition;
import org.ganymede.api.GanModel;
import org.ganymede.api.ModelContext;
import org.ganymede.api.OptimizerSpec;
import org.ganymede.api.Plugins;
import org.ganymede.api.SamplingControls;
import org.ganymede.nn.ConditionalGan;
import org.ganymede.nn.MovingAverage;
import org.osgi.service.component.annotations.Component;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * BigGAN (Brock et al. 2019) for labelled square images of 32 or 64 px with 1 or 3 channels, as
 * PyTorch-StudioGAN's CIFAR-10 BigGAN ({@code big_resnet}, conditional batch norm, projection
 * discriminator), narrower by default so that it trains on a CPU.
 *
 * <p>Parameters:
 *
 * <ul>
 *   <li>{@code channels} (default 32; StudioGAN 96): the width multiplier of both networks, laid
 *       out as StudioGAN's tables: at 32 px the generator's three blocks are 4 x channels wide and
 *       the discriminator's four 2 x channels (128 and 64 by default, 384 and 192 in the
 *       reference); at 64 px the generator narrows from 16 x to 1 x over four blocks and the
 *       discriminator widens from 1 x to 16 x over five
 *   <li>{@code latent_size} (default 80, as StudioGAN): z, split into one chunk for the first
 *       dense layer and one per residual block (4 chunks of 20 at 32 px, 5 of 16 at 64 px); it
 *       must be divisible by the number of chunks
 *   <li>{@code embedding_size} (default 128, as StudioGAN): the shared class embedding; joined to
 *       a block's chunk of z it is the condition of that block's two conditional batch norms. It
 *       only widens their condition matrices, a small share of the work, so the reference's size
 *       stays
 *   <li>{@code attention_resolution} (default half the image side: 16 at 32 px, where StudioGAN's
 *       CIFAR-10 config attends, after the generator's second block and the discriminator's first;
 *       0 for none): the side of the feature maps after which both networks apply SAGAN's
 *       self-attention; 8 or 16 at 32 px, 8, 16 or 32 at 64 px
 *   <li>{@code orthogonal} (default 0, off; the paper's beta is 1e-4): weight beta of the
 *       generator's orthogonal regularisation, {@code beta sum_W ||W^T W (.) (1 - I)||_F^2} over its
 *       matrices and filters (not the shared embedding, the biases or the norms), each seen as
 *       {@code [fan-in, out]}; added to the generator's loss and logged as {@code penalty/orthogonal}.
 *       BigGAN-PyTorch's code adds {@code 2 beta (W^T W (.) (1 - I)) W} to the gradient, the gradient
 *       of half this penalty: its 1e-4 is 5e-5 here
 *   <li>{@code ema_beta} (default 0.999; StudioGAN 0.9999): share of itself the moving average of
 *       the generator keeps after each step; 0.999 averages over about a thousand steps, what short
 *       CPU runs can fill
 * </ul>
 *
 * <p>Always as BigGAN: spectral normalisation of every convolution and dense layer of both networks
 * and of the projection's class embedding (the generator's shared embedding and its norms' own
 * parameters are plain, as in StudioGAN); the hinge loss unless the experiment names another;
 * Adam for both networks with StudioGAN's learning rate 2e-4, betas 0.5 and 0.999 and epsilon
 * 1e-6 (its CIFAR-10 BigGAN config and defaults), unless {@code training.optimizers} says
 * otherwise. Discriminator steps per generator step are the experiment's
 * {@code training.critic_steps}: StudioGAN's CIFAR-10 BigGAN takes 5, at batch size 64.
 *
 * <p>Sampling ({@link GanModel#generated}) reads the moving average, whose spectral-norm vectors
 * follow its own weights after each step. Its {@link SamplingControls#truncation} psi (default 1)
 * scales the latent, {@code z -> psi z}, before the generator reads it: psi 1 samples plainly, psi 0
 * gives every latent of a class the sample of z = 0 (in that batch: see below). BigGAN's truncation trick resamples the values
 * beyond a threshold instead; a scaling is deterministic and stays in the graph.
 *
 * <p>Where this differs from the reference:
 *
 * <ul>
 *   <li>Batch norms use the batch's own statistics when sampling too, as in training (the
 *       reference samples with running averages), so a sample depends on the rest of its batch:
 *       sample batches that mix the classes, as the engine's grids (one row per class) do. The
 *       first batch norm also takes back part of a truncation: it rescales the first layer's output,
 *       which psi scales; the chunks of z the other norms read, and the shortcuts, stay scaled
 *   <li>The conditional batch norms' scale and shift matrices are plain and start at 0 (every
 *       class at scale 1, shift 0); the reference's are spectrally normalised linear layers
 *   <li>Weights are drawn from N(0, 1 / max(fan-in, fan-out)), the element scale of the
 *       reference's orthogonal initialisation, not orthogonal matrices
 *   <li>Spectral normalisation's power iteration moves once per step, after it ({@link
 *       org.ganymede.nn.SpectralNorm}), not in every forward pass
 *   <li>The moving average starts with the first step (StudioGAN copies the weights for the first
 *       1000 steps)
 *   <li>Attention's keys and values are max-pooled by a reshape and a maximum, the same values by
 *       other ops, so that gradient penalties can differentiate the discriminator twice
 * </ul>
 */
@Component(
    service = Architecture.class,
    property = {
      Plugins.NAME + "=biggan",
      Plugins.DEFAULT_LOSS + "=hinge",
      Plugins.DESCRIPTION + "=BigGAN (class-conditional residual GAN: shared embedding, conditional batch norm,"
          + " self-attention, projection discriminator, spectral norm, moving average, truncation) for labelled"
          + " 32 and 64 px images with 1 or 3 channels"
    })
public final class BigganArchitecture implements Architecture {
  static final OptimizerSpec DEFAULT_OPTIMIZER = new OptimizerSpec("adam", 2e-4, 0.5, 0.999, 1e-6);

  /** The networks of a built model, for tests to look into. */
  record Parts(Generator generator, Generator average, Discriminator discriminator) {}

  private final Consumer<Parts> inspector;

  public BigganArchitecture() {
    this(parts -> {});
  }

  /** @param inspector sees the networks of every model built */
  BigganArchitecture(Consumer<Parts> inspector) {
    this.inspector = inspector;
  }

  @Override
  public GanModel build(ModelContext context) {
    BigganConfig config = BigganConfig.of(context.data(), context.parameters());
    Condition.Labels labels = context.condition().labels(context.parameters().owner());
    Ops tf = context.tf();
    // Variables stay in the root name scope: the optimizers name their slots after them.
    SplittableRandom seeds = new SplittableRandom(context.seed());
    long generatorSeed = seeds.nextLong();
    Generator generator = new Generator(tf, generatorSeed, config, labels.classes());
    Discriminator discriminator = new Discriminator(tf, seeds.nextLong(), config, labels.classes());
    Generator average = new Generator(tf, generatorSeed, config, labels.classes());
    inspector.accept(new Parts(generator, average, discriminator));

    Operand<TFloat32> psi = tf.withName("truncation").placeholderWithDefault(tf.constant(1f), Shape.scalar());
    List<Op> afterStep = new ArrayList<>(List.of(MovingAverage.update(tf, "generator_moving_average",
        average.variables(), generator.variables(), (float) config.emaBeta())));
    // The average's own estimates of its spectral norms: a stale u would misjudge its weights.
    afterStep.addAll(average.weights().updates());
    ConditionalGan.Builder game = ConditionalGan.builder(context, labels, config.latentSize())
        .generator(generator, ConditionalGan.Parts.of(generator.weights()))
        .discriminator(discriminator, ConditionalGan.Parts.of(discriminator.weights()))
        .optimizers(DEFAULT_OPTIMIZER, DEFAULT_OPTIMIZER)
        .sampler((z, classRows) -> average.generate(tf.math.mul(z, psi), classRows), afterStep)
        .sampling(new SamplingControls(psi, null, null, 0));
    if (config.orthogonal() > 0) {
      game.generatorPenalty("orthogonal", tf.withName("orthogonal_penalty").math.mul(
          tf.constant((float) config.orthogonal()), BigganLayers.orthogonality(tf, generator.regularizedWeights())));
    }
    return game.build();
  }
}
