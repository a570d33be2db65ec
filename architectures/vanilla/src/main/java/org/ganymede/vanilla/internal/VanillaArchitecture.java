package org.ganymede.vanilla.internal;

import java.util.SplittableRandom;
import org.ganymede.api.Architecture;
import org.ganymede.api.GanModel;
import org.ganymede.api.ModelContext;
import org.ganymede.api.OptimizerSpec;
import org.ganymede.api.Plugins;
import org.ganymede.nn.CriticOptions;
import org.ganymede.nn.MlpLayout;
import org.ganymede.nn.Network;
import org.ganymede.nn.TwoPlayerGan;
import org.osgi.service.component.annotations.Component;

/**
 * The original GAN (Goodfellow et al. 2014): two multilayer perceptrons, for vectors (2-D points,
 * say) and small images, which are flattened. The generator uses ReLU, the discriminator
 * LeakyReLU 0.2; images leave the generator through tanh, vectors through a linear layer.
 *
 * <p>Parameters:
 *
 * <ul>
 *   <li>{@code depth} (default 3, at least 1): hidden layers in each network
 *   <li>{@code width} (default 128): units in each hidden layer
 *   <li>{@code latent_size} (default 100 for images; for vectors twice their size, at most 100, so
 *       4 for 2-D points): size of the generator's input
 *   <li>{@code spectral_norm} (default false): divide every weight of the discriminator by its
 *       spectral norm (Miyato et al. 2018)
 *   <li>{@code generator_norm} ({@code none}, the default, or {@code batch}): batch norm after each
 *       of the generator's hidden layers, as the 2-D mixture benchmarks' generators have
 *   <li>{@code maxout_pieces} (default 1, none): the discriminator's hidden units are maxout units
 *       of this many pieces (Goodfellow et al. 2013) instead of LeakyReLU
 *   <li>{@code packing} (default 1): PacGAN's m, the discriminator judges m samples concatenated
 *   <li>{@code minibatch_kernels} (default 0, none) and {@code minibatch_kernel_size} (5):
 *       minibatch discrimination (Salimans et al. 2016) before the discriminator's last layer
 * </ul>
 *
 * <p>Both networks train with Adam (learning rate 1e-3, beta1 0.5, beta2 0.999).
 */
@Component(
    service = Architecture.class,
    property = {
      Plugins.NAME + "=vanilla",
      Plugins.DESCRIPTION + "=The original MLP GAN (Goodfellow et al. 2014) for vectors and small images"
    })
public final class VanillaArchitecture implements Architecture {
  // Small MLPs take a larger step than DCGAN's 2e-4, at which half the points were still off the
  // 8-Gaussian ring after 3000 steps; with beta1 0.9 instead of 0.5 the game oscillated and lost modes.
  private static final OptimizerSpec DEFAULT_OPTIMIZER = OptimizerSpec.adam(1e-3, 0.5, 0.999);

  @Override
  public GanModel build(ModelContext context) {
    MlpLayout.Shape shape = MlpLayout.Shape.read(context.parameters(), context.data());
    // Two draws from one stream keyed by the run's seed: repeatable, and different for each network.
    SplittableRandom seeds = new SplittableRandom(context.seed());
    // The networks' variables stay in the root name scope: the optimizers name a variable's slots
    // after it ("dense_kernel-m"), and TensorFlow Java's withName rejects the '/' of a sub-scope.
    MlpLayout.Options options = MlpLayout.Options.read(context.parameters());
    CriticOptions critic = CriticOptions.read(context.parameters(), context.batchSize());
    Network generator = MlpLayout.generator(context.tf(), seeds.nextLong(), shape, shape.latentSize(), context.data(),
        options);
    boolean spectral = context.parameters().booleanValue("spectral_norm", false);
    Network discriminator = MlpLayout.discriminator(context.tf(), seeds.nextLong(), shape, context.data().sampleSize(),
        spectral, options, critic);
    return TwoPlayerGan.build(context, generator, discriminator, shape.latentSize(), DEFAULT_OPTIMIZER, DEFAULT_OPTIMIZER);
  }
}
