package org.ganymede.dcgan.internal;

import java.util.SplittableRandom;
import org.ganymede.api.Architecture;
import org.ganymede.api.GanModel;
import org.ganymede.api.ModelContext;
import org.ganymede.api.OptimizerSpec;
import org.ganymede.api.Parameters;
import org.ganymede.api.Plugins;
import org.ganymede.nn.Network;
import org.ganymede.nn.TwoPlayerGan;
import org.osgi.service.component.annotations.Component;

/**
 * DCGAN (Radford et al. 2016) for square images of 28, 32 or 64 px with 1 or 3 channels.
 *
 * <p>Parameters:
 *
 * <ul>
 *   <li>{@code base_width} (default 64): channels of the discriminator's first convolution and the
 *       generator's last hidden layer; they double at every stage towards 4x4 (7x7 at 28 px)
 *   <li>{@code latent_size} (default 100): size of the generator's input
 *   <li>{@code critic_norm} ({@code batch}, the default, {@code layer} or {@code none}): the
 *       normalisation inside the discriminator; gradient penalties want {@code layer} or {@code none}
 * </ul>
 *
 * <p>Both networks train with Adam (learning rate 2e-4, beta1 0.5, beta2 0.999), as in the paper.
 */
@Component(
    service = Architecture.class,
    property = {
      Plugins.NAME + "=dcgan",
      Plugins.DESCRIPTION + "=DCGAN (Radford et al. 2016) for 28, 32 and 64 px images with 1 or 3 channels"
    })
public final class DcganArchitecture implements Architecture {
  private static final OptimizerSpec DEFAULT_OPTIMIZER = OptimizerSpec.adam(2e-4, 0.5, 0.999);

  @Override
  public GanModel build(ModelContext context) {
    Parameters parameters = context.parameters();
    int baseWidth = parameters.intInRange("base_width", 64, 1, 1024);
    int latentSize = parameters.intInRange("latent_size", 100, 1, 4096);
    CriticNorm norm = CriticNorm.of(parameters.choice("critic_norm", "batch", CriticNorm.NAMES));
    ImageGeometry image = ImageGeometry.of(context.data(), parameters.owner());

    // Two draws from one stream keyed by the run's seed: repeatable, and different for each network.
    SplittableRandom seeds = new SplittableRandom(context.seed());
    // The networks' variables stay in the root name scope: the optimizers name a variable's slots
    // after it ("dense_kernel-m"), and TensorFlow Java's withName rejects the '/' of a sub-scope.
    Network generator = DcganNetworks.generator(context.tf(), seeds.nextLong(), image, baseWidth, latentSize);
    Network discriminator = DcganNetworks.discriminator(context.tf(), seeds.nextLong(), image, baseWidth, norm);
    return TwoPlayerGan.build(context, generator, discriminator, latentSize, DEFAULT_OPTIMIZER, DEFAULT_OPTIMIZER);
  }
}
