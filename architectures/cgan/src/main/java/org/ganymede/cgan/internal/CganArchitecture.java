package org.ganymede.cgan.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BinaryOperator;
import org.ganymede.api.Architecture;
import org.ganymede.api.Condition;
import org.ganymede.api.DataSpec;
import org.ganymede.api.GanModel;
import org.ganymede.api.ModelContext;
import org.ganymede.api.ParameterException;
import org.ganymede.api.OptimizerSpec;
import org.ganymede.api.Parameters;
import org.ganymede.api.Plugins;
import org.ganymede.nn.ConditionalGan;
import org.ganymede.nn.ConditionalLayers;
import org.ganymede.nn.DcganLayout;
import org.ganymede.nn.MlpLayout;
import org.ganymede.nn.Network;
import org.osgi.service.component.annotations.Component;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * The conditional GAN (Mirza and Osindero 2014): generator and discriminator both see the class,
 * so the generator learns to make the class it is asked for. The data must carry class labels.
 * Each network has its own label vector: a learned class embedding or the one-hot row itself.
 *
 * <p>Two forms:
 *
 * <ul>
 *   <li>{@code mlp}, the vanilla GAN's perceptrons (ReLU in the generator, LeakyReLU 0.2 in the
 *       discriminator, tanh out of the generator for images, linear for vectors): the generator
 *       reads {@code [z, label]}, the discriminator the flattened sample with the label. Adam
 *       (learning rate 1e-3, beta1 0.5, beta2 0.999).
 *   <li>{@code conv}, DCGAN's networks: the generator's dense layer reads {@code [z, label]}; the
 *       discriminator sees the label as constant feature maps, one per component, appended to its
 *       input image. Adam (learning rate 2e-4, beta1 0.5, beta2 0.999).
 * </ul>
 *
 * <p>Parameters:
 *
 * <ul>
 *   <li>{@code form} ({@code mlp} or {@code conv}): {@code conv} by default for square images of
 *       28, 32 or 64 px with 1 or 3 channels, the only data it takes; {@code mlp} for the rest
 *   <li>{@code label} ({@code embedding}, the default, or {@code one-hot}, the paper's): how the
 *       class joins the networks' inputs
 *   <li>{@code embedding_size} (default 10; {@code embedding} only): size of each network's class
 *       embedding; one-hot rows are as wide as the classes
 *   <li>{@code latent_size}: size of the generator's noise, the label not counted; in form
 *       {@code conv} 100 by default, in form {@code mlp} 100 for images and for vectors twice
 *       their size, at most 100 (4 for 2-D points)
 *   <li>{@code depth} (default 3; {@code mlp} only): hidden layers in each network
 *   <li>{@code width} (default 128; {@code mlp} only): units in each hidden layer
 *   <li>{@code base_width} (default 64; {@code conv} only): channels of the discriminator's first
 *       convolution and the generator's last hidden layer; they double at every stage towards 4x4
 *       (7x7 at 28 px)
 *   <li>{@code spectral_norm} (default false): divide every weight of the discriminator by its
 *       spectral norm (Miyato et al. 2018)
 * </ul>
 *
 * <p>A parameter of the other form or of one-hot rows is never read, so the engine rejects it.
 */
@Component(
    service = Architecture.class,
    property = {
      Plugins.NAME + "=cgan",
      Plugins.DESCRIPTION + "=The conditional GAN (Mirza and Osindero 2014) for labelled vectors and images"
    })
public final class CganArchitecture implements Architecture {
  private static final String MLP = "mlp";
  private static final String CONV = "conv";
  /** As wide as a one-hot row of 10 classes (MNIST, CIFAR-10); in form conv each component is an input map. */
  private static final int DEFAULT_EMBEDDING_SIZE = 10;
  private static final int DEFAULT_BASE_WIDTH = 64;
  private static final int DEFAULT_CONV_LATENT_SIZE = 100;
  private static final OptimizerSpec MLP_OPTIMIZER = OptimizerSpec.adam(1e-3, 0.5, 0.999);
  private static final OptimizerSpec CONV_OPTIMIZER = OptimizerSpec.adam(2e-4, 0.5, 0.999);

  @Override
  public GanModel build(ModelContext context) {
    Parameters parameters = context.parameters();
    Condition.Labels labels = context.condition().labels(parameters.owner());
    DataSpec data = context.data();
    Ops tf = context.tf();
    String form = parameters.choice("form", DcganLayout.Geometry.fits(data) ? CONV : MLP, List.of(MLP, CONV));
    LabelInput label = LabelInput.of(parameters.choice("label", "embedding", LabelInput.NAMES));
    boolean spectral = parameters.booleanValue("spectral_norm", false);
    int labelSize = label == LabelInput.ONE_HOT
        ? labels.classes()
        : parameters.intInRange("embedding_size", DEFAULT_EMBEDDING_SIZE, 1, 1024);

    // Draws from one stream keyed by the run's seed: repeatable, and different for each network
    // and each embedding. Weights key a draw by seed and position only, so a network and its
    // embedding on one seed would start from the same numbers.
    SplittableRandom seeds = new SplittableRandom(context.seed());
    long generatorSeed = seeds.nextLong();
    long discriminatorSeed = seeds.nextLong();
    LabelVector generatorLabel = label.vector(tf, seeds.nextLong(), labels.classes(), labelSize);
    LabelVector discriminatorLabel = label.vector(tf, seeds.nextLong(), labels.classes(), labelSize);

    // The networks' variables stay in the root name scope: the optimizers name a variable's slots
    // after it ("dense_kernel-m"), and TensorFlow Java's withName rejects the '/' of a sub-scope.
    Network generator;
    Network discriminator;
    BinaryOperator<Operand<TFloat32>> showLabel; // (samples, label vectors) to the discriminator's input
    int latentSize;
    OptimizerSpec optimizer;
    if (form.equals(CONV)) {
      if (!DcganLayout.Geometry.fits(data)) {
        throw new ParameterException(parameters.owner() + ": form 'conv' needs " + DcganLayout.Geometry.ALLOWED
            + " and the data are " + data + "; form 'mlp' takes vectors and images of any size");
      }
      DcganLayout.Geometry image = DcganLayout.Geometry.of(data, parameters.owner());
      int baseWidth = parameters.intInRange("base_width", DEFAULT_BASE_WIDTH, 1, 1024);
      latentSize = parameters.intInRange("latent_size", DEFAULT_CONV_LATENT_SIZE, 1, 4096);
      generator = DcganLayout.generator(tf, generatorSeed, image, baseWidth, latentSize + labelSize);
      discriminator = DcganLayout.discriminator(tf, discriminatorSeed, image, image.channels() + labelSize, baseWidth,
          DcganLayout.CriticNorm.BATCH, spectral);
      showLabel = (samples, vectors) -> ConditionalLayers.appendClassMaps(tf, samples, vectors);
      optimizer = CONV_OPTIMIZER;
    } else {
      MlpLayout.Shape shape = MlpLayout.Shape.read(parameters, data);
      latentSize = shape.latentSize();
      generator = MlpLayout.generator(tf, generatorSeed, shape, latentSize + labelSize, data);
      discriminator = MlpLayout.discriminator(tf, discriminatorSeed, shape, data.sampleSize() + labelSize, spectral);
      Operand<TInt64> flat = tf.constant(new long[] {-1, data.sampleSize()});
      showLabel = (samples, vectors) -> concat(tf, tf.reshape(samples, flat), vectors);
      optimizer = MLP_OPTIMIZER;
    }
    ConditionalGan.Generator generate =
        (latent, classRows) -> generator.apply(concat(tf, latent, generatorLabel.encode().apply(tf, classRows)));
    // CGAN's discriminator has no auxiliary classifier: no class logits.
    ConditionalGan.Discriminator judge = (samples, classRows) -> new ConditionalGan.Judgement(
        discriminator.apply(showLabel.apply(samples, discriminatorLabel.encode().apply(tf, classRows))), null);
    return ConditionalGan.builder(context, labels, latentSize)
        .generator(generate, parts(generatorLabel, generator))
        .discriminator(judge, parts(discriminatorLabel, discriminator))
        .optimizers(optimizer, optimizer)
        .build();
  }

  private static Operand<TFloat32> concat(Ops tf, Operand<TFloat32> a, Operand<TFloat32> b) {
    return tf.concat(List.of(a, b), tf.constant(1));
  }

  private static ConditionalGan.Parts parts(LabelVector label, Network network) {
    List<Variable<TFloat32>> variables = new ArrayList<>(label.variables());
    variables.addAll(network.variables());
    return new ConditionalGan.Parts(variables, network.updates());
  }
}
