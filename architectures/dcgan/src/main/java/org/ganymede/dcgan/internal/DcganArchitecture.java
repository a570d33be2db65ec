package org.ganymede.dcgan.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.ganymede.api.Architecture;
import org.ganymede.api.Condition;
import org.ganymede.api.GanModel;
import org.ganymede.api.ModelContext;
import org.ganymede.api.OptimizerSpec;
import org.ganymede.api.ParameterException;
import org.ganymede.api.Parameters;
import org.ganymede.api.Plugins;
import org.ganymede.nn.ConditionalGan;
import org.ganymede.nn.ConditionalLayers;
import org.ganymede.nn.CriticOptions;
import org.ganymede.nn.DcganLayout;
import org.ganymede.nn.Layer;
import org.ganymede.nn.Layers;
import org.ganymede.nn.Network;
import org.ganymede.nn.SpectralNorm;
import org.ganymede.nn.StyleLayers;
import org.ganymede.nn.TwoPlayerGan;
import org.ganymede.nn.Weights;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
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
 *   <li>{@code spectral_norm} (default false): divide every weight of the discriminator by its
 *       spectral norm (Miyato et al. 2018)
 *   <li>{@code conditioning} (default {@code none}): for labelled data, how the networks see the
 *       class: {@code concat} (one-hot class joined to the latent and appended to the image as
 *       feature maps), {@code projection} (conditional batch norm in the generator, the projection
 *       discriminator) or {@code acgan} (class joined to the latent, an auxiliary classifier on the
 *       discriminator with {@code class_weight}, default 1)
 *   <li>{@code packing} (default 1): PacGAN's m (Lin et al. 2018), the discriminator judges m
 *       images stacked along the channels
 *   <li>{@code minibatch_kernels} (default 0, none) and {@code minibatch_kernel_size} (5):
 *       minibatch discrimination (Salimans et al. 2016) between the flattened features and the logit
 *   <li>{@code minibatch_stddev} (default false): StyleGAN's minibatch standard deviation as one
 *       more feature map of the last stage (group of 4)
 * </ul>
 * The last three are for {@code conditioning: none}.
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
    DcganLayout.CriticNorm norm = DcganLayout.CriticNorm.of(parameters.choice("critic_norm", "batch",
        DcganLayout.CriticNorm.NAMES));
    boolean spectral = parameters.booleanValue("spectral_norm", false);
    Conditioning conditioning = Conditioning.of(parameters.choice("conditioning", "none", Conditioning.NAMES));
    DcganLayout.Geometry image = DcganLayout.Geometry.of(context.data(), parameters.owner());

    // Draws from one stream keyed by the run's seed: repeatable, and different for each network.
    SplittableRandom seeds = new SplittableRandom(context.seed());
    // The networks' variables stay in the root name scope: the optimizers name a variable's slots
    // after it ("dense_kernel-m"), and TensorFlow Java's withName rejects the '/' of a sub-scope.
    Ops tf = context.tf();
    CriticOptions critic = CriticOptions.read(parameters, context.batchSize());
    if (conditioning == Conditioning.NONE) {
      Network generator = DcganLayout.generator(tf, seeds.nextLong(), image, baseWidth, latentSize);
      Network discriminator = DcganLayout.discriminator(tf, seeds.nextLong(), image, image.channels(), baseWidth, norm,
          spectral, critic);
      return TwoPlayerGan.build(context, generator, discriminator, latentSize, DEFAULT_OPTIMIZER, DEFAULT_OPTIMIZER);
    }
    if (!critic.isNone()) {
      throw new ParameterException(parameters.owner() + ": packing, minibatch_kernels and minibatch_stddev judge"
          + " samples together, which a conditional discriminator (conditioning " + conditioning.parameterValue()
          + ") does not; use them with conditioning none");
    }
    Condition.Labels labels = context.condition().labels(parameters.owner() + " with conditioning "
        + conditioning.parameterValue());
    int classes = labels.classes();
    float classWeight = conditioning == Conditioning.ACGAN ? (float) parameters.nonNegative("class_weight", 1) : 1f;
    ConditionalGan.Generator generator;
    ConditionalGan.Parts generatorParts;
    if (conditioning == Conditioning.PROJECTION) {
      Weights w = Weights.seeded(tf, seeds.nextLong());
      generator = DcganLayout.classNormalizedGenerator(w, image, baseWidth, latentSize, classes);
      generatorParts = ConditionalGan.Parts.of(w);
    } else {
      Network joined = DcganLayout.generator(tf, seeds.nextLong(), image, baseWidth, latentSize + classes);
      generator = (z, classRows) -> joined.apply(tf.concat(List.of(z, classRows), tf.constant(1)));
      generatorParts = ConditionalGan.Parts.of(joined);
    }
    long discriminatorSeed = seeds.nextLong();
    ConditionalGan.Discriminator discriminator;
    ConditionalGan.Parts discriminatorParts;
    if (conditioning == Conditioning.CONCAT) {
      Network withMaps = DcganLayout.discriminator(tf, discriminatorSeed, image, image.channels() + classes, baseWidth,
          norm, spectral);
      discriminator = (x, classRows) -> new ConditionalGan.Judgement(
          withMaps.apply(ConditionalLayers.appendClassMaps(tf, x, classRows)), null);
      discriminatorParts = ConditionalGan.Parts.of(withMaps);
    } else {
      Network trunk = DcganLayout.trunk(Network.builder(tf, discriminatorSeed), image, image.channels(), baseWidth,
          norm, spectral).build();
      int features = DcganLayout.features(image, baseWidth);
      Weights heads = Weights.seeded(tf, seeds.nextLong());
      Layer logit = spectral ? SpectralNorm.dense(heads, features, 1, DcganLayout.WEIGHT_STDDEV)
          : Layers.dense(heads, features, 1, DcganLayout.WEIGHT_STDDEV);
      if (conditioning == Conditioning.PROJECTION) {
        StyleLayers.Conditioned projection =
            ConditionalLayers.projection(heads, classes, features, DcganLayout.WEIGHT_STDDEV);
        discriminator = (x, classRows) -> {
          Operand<TFloat32> h = trunk.apply(x);
          return new ConditionalGan.Judgement(tf.math.add(logit.apply(tf, h), projection.apply(tf, h, classRows)), null);
        };
      } else {
        Layer classifier = Layers.dense(heads, features, classes, DcganLayout.WEIGHT_STDDEV);
        discriminator = (x, classRows) -> {
          Operand<TFloat32> h = trunk.apply(x);
          return new ConditionalGan.Judgement(logit.apply(tf, h), classifier.apply(tf, h));
        };
      }
      List<Variable<TFloat32>> variables = new ArrayList<>(trunk.variables());
      variables.addAll(heads.variables());
      List<Op> updates = new ArrayList<>(trunk.updates());
      updates.addAll(heads.updates());
      discriminatorParts = new ConditionalGan.Parts(variables, updates);
    }
    return ConditionalGan.builder(context, labels, latentSize)
        .generator(generator, generatorParts)
        .discriminator(discriminator, discriminatorParts)
        .optimizers(DEFAULT_OPTIMIZER, DEFAULT_OPTIMIZER)
        .classWeight(classWeight)
        .build();
  }
}
