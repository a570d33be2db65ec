package org.ganymede.srgan.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.ganymede.api.Architecture;
import org.ganymede.api.Condition;
import org.ganymede.api.DataSpec;
import org.ganymede.api.FeatureExtractor;
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
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * SRGAN (Ledig et al. 2017): super-resolution by a factor of 2, 4 or 8 on pairs of a
 * low-resolution condition and its full-resolution target. The generator is SRResNet, residual
 * blocks with sub-pixel upsampling ({@link SrganNetworks}); the discriminator judges
 * full-resolution images alone. The generator minimises a content loss, the pixel loss plus a
 * perceptual loss (the mean squared difference of a feature extractor's features of output and
 * target: the Fashion-MNIST classifier's by default, built into the training graph with its
 * weights fixed), plus the adversarial loss weighted 1e-3. Adam 1e-4, beta1 0.9, as the paper.
 *
 * <p>A warm-up of {@code warmup_steps} trains the generator on the content loss alone (the
 * paper's SRResNet initialisation, ESRGAN's PSNR-oriented first phase): a step counter kept in
 * the checkpoints switches the adversarial term on, so a resumed run switches where an
 * uninterrupted one would. The discriminator trains throughout. With {@code adversarial_weight}
 * 0 the model is SRResNet alone, without a discriminator.
 *
 * <p>Parameters:
 *
 * <ul>
 *   <li>{@code width} (default 64): the generator's channels
 *   <li>{@code blocks} (default 16): its residual blocks
 *   <li>{@code ndf} (default 64): the discriminator's first channels (then 2, 4 and 8 times)
 *   <li>{@code pixel_loss} ({@code mse}, the default, or {@code l1})
 *   <li>{@code perceptual_weight} (default 0.006, the paper's rescaling of VGG features by
 *       1/12.75^2; 0 for none): the weight of the perceptual loss
 *   <li>{@code features} (default {@code fashion-mnist-classifier}): the feature extractor of the
 *       perceptual loss, a name or a map of its name and parameters; it must build into another
 *       graph, as the shipped classifier does
 *   <li>{@code adversarial_weight} (default 1e-3; 0 for SRResNet without a discriminator)
 *   <li>{@code warmup_steps} (default 0): generator steps on the content loss alone first
 * </ul>
 *
 * <p>Objectives, each step on a fresh batch of pairs (x low resolution, y target):
 * {@code discriminator} minimises adv_D(D(y), D(G(x))) plus the selected penalties;
 * {@code generator} minimises pixel(G(x), y) + perceptual_weight |phi(G(x)) - phi(y)|^2 +
 * adversarial_weight adv_G(D(y), D(G(x))), the last term from the end of the warm-up on. Logged:
 * {@code content/pixel}, {@code content/perceptual}, {@code critic/real}, {@code critic/fake},
 * {@code adversarial_on}.
 */
@Component(
    service = Architecture.class,
    property = {
      Plugins.NAME + "=srgan",
      Plugins.DESCRIPTION + "=SRGAN: super-resolution x2, x4 or x8 (SRResNet generator, content and adversarial loss)"
    })
public final class SrganArchitecture implements Architecture {
  static final String OWNER = "architecture 'srgan'";
  static final String DEFAULT_FEATURES = "fashion-mnist-classifier";
  private static final long DISCRIMINATOR_SEED = 0x5DEECE66DL;

  private final Map<String, FeatureExtractor> extractors = new ConcurrentHashMap<>();

  @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
      policyOption = ReferencePolicyOption.GREEDY)
  void addExtractor(FeatureExtractor extractor, Map<String, Object> properties) {
    extractors.put(String.valueOf(properties.get(Plugins.NAME)), extractor);
  }

  void removeExtractor(FeatureExtractor extractor, Map<String, Object> properties) {
    extractors.remove(String.valueOf(properties.get(Plugins.NAME)), extractor);
  }

  @Override
  public GanModel build(ModelContext context) {
    Gradients.registerMissing();
    Ops tf = context.tf();
    Parameters p = context.parameters();
    Condition.Images images = context.condition().images(OWNER);
    DataSpec target = context.data();
    if (!images.kind().equals(Condition.Images.LOW_RESOLUTION)) {
      throw new ParameterException(OWNER + " raises the resolution of low-resolution conditions, and the dataset's"
          + " conditions are " + images.kind() + "; choose pairs made by downsampling (fashion-mnist-pairs with"
          + " pairing: low-resolution, say), or pix2pix for images of the same size");
    }
    int factor = images.factor(target);
    if (factor != 2 && factor != 4 && factor != 8) {
      throw new ParameterException(OWNER + " upsamples by 2, 4 or 8 in sub-pixel steps of 2, and the dataset's"
          + " conditions are " + factor + " times smaller than the targets (" + images.spec() + " for " + target + ")");
    }
    int width = p.intInRange("width", 64, 1, 1024);
    int blocks = p.intInRange("blocks", 16, 0, 64);
    int ndf = p.intInRange("ndf", 64, 1, 1024);
    String pixelLoss = p.choice("pixel_loss", "mse", List.of("mse", "l1"));
    float perceptualWeight = (float) p.nonNegative("perceptual_weight", 0.006);
    float adversarialWeight = (float) p.nonNegative("adversarial_weight", 1e-3);
    long warmup = p.longValue("warmup_steps", 0);
    if (warmup < 0) {
      throw new ParameterException(OWNER + ": 'warmup_steps' counts generator steps, 0 or more; was " + warmup);
    }
    FeatureExtractor.InGraph features = perceptualWeight == 0 ? null : features(p, target);

    Network generator = SrganNetworks.generator(tf, context.seed(), target.channels(), width, blocks, factor);
    Operand<TFloat32> fake = generator.apply(images.real());
    Operand<TFloat32> real = context.real();
    Map<String, Operand<TFloat32>> scalars = new LinkedHashMap<>();
    Operand<TFloat32> pixel = tf.withName("content_pixel").math.mean(pixelLoss.equals("mse")
        ? tf.math.square(tf.math.sub(fake, real)) : tf.math.abs(tf.math.sub(fake, real)), allAxes(tf, 4));
    scalars.put("content/pixel", pixel);
    Operand<TFloat32> generatorLoss = pixel;
    if (features != null) {
      Operand<TFloat32> perceptual = tf.withName("content_perceptual").math.mean(tf.math.square(tf.math.sub(
          features.features(tf.withSubScope("features_of_output"), fake),
          tf.stopGradient(features.features(tf.withSubScope("features_of_target"), real)))), allAxes(tf, 2));
      scalars.put("content/perceptual", perceptual);
      generatorLoss = tf.math.add(generatorLoss, tf.math.mul(tf.constant(perceptualWeight), perceptual));
    }
    OptimizerSpec adam = OptimizerSpec.adam(1e-4, 0.9, 0.999);
    List<Objective> objectives = new ArrayList<>();
    List<Op> afterStep = new ArrayList<>();
    if (adversarialWeight > 0) {
      Network discriminator = SrganNetworks.discriminator(tf, context.seed() ^ DISCRIMINATOR_SEED, target.height(),
          target.channels(), ndf);
      Operand<TFloat32> realLogits = discriminator.apply(real);
      Operand<TFloat32> fakeLogits = discriminator.apply(fake);
      Operand<TFloat32> discriminatorLoss = TwoPlayerGan.discriminatorLoss(context, discriminator, realLogits,
          fakeLogits, fake, scalars);
      // Training steps taken, kept in checkpoints: the adversarial term starts after the warm-up.
      Variable<TFloat32> steps = tf.withName("srgan_training_steps").variable(tf.withInitScope().constant(0f));
      Operand<TFloat32> adversarialOn = tf.withName("adversarial_on").dtypes.cast(
          tf.math.greaterEqual(steps, tf.constant((float) warmup)), TFloat32.class);
      generatorLoss = tf.math.add(generatorLoss, tf.math.mul(tf.math.mul(tf.constant(adversarialWeight), adversarialOn),
          context.loss().generatorLoss(tf.withSubScope("g_loss"), realLogits, fakeLogits)));
      scalars.put("critic/real", tf.math.mean(realLogits, allAxes(tf, 2)));
      scalars.put("critic/fake", tf.math.mean(fakeLogits, allAxes(tf, 2)));
      scalars.put("adversarial_on", adversarialOn);
      objectives.add(new Objective("discriminator", discriminatorLoss, discriminator.variables(),
          context.optimizer("discriminator", adam), context.criticSteps()));
      afterStep.add(tf.assignAdd(steps, tf.constant(1f)));
    }
    objectives.add(new Objective("generator", tf.withName("generator_loss").identity(generatorLoss),
        generator.variables(), context.optimizer("generator", adam), 1));
    Operand<TFloat32> generated = tf.withName("generated").identity(generator.apply(images.sampling()));
    return new GanModel(objectives, scalars, null, generated, afterStep, SamplingControls.NONE, List.of());
  }

  /** The perceptual loss's feature network, built into the training graph. */
  private FeatureExtractor.InGraph features(Parameters p, DataSpec target) {
    Object named = p.has("features") ? p.asMap().get("features") : DEFAULT_FEATURES;
    String name;
    Parameters parameters;
    if (named instanceof Map<?, ?> map && map.get(Plugins.NAME) instanceof String n) {
      name = n;
      Map<String, Object> rest = new LinkedHashMap<>();
      map.forEach((k, v) -> {
        if (!Plugins.NAME.equals(k)) {
          rest.put(String.valueOf(k), v);
        }
      });
      parameters = new Parameters(OWNER + " features '" + name + "'", rest);
    } else if (named instanceof String n) {
      name = n;
      parameters = Parameters.empty(OWNER + " features '" + name + "'");
    } else {
      throw new ParameterException(OWNER + ": 'features' is a feature extractor's name or a map of its name and"
          + " parameters, not " + named);
    }
    FeatureExtractor extractor = extractors.get(name);
    if (extractor == null) {
      throw new ParameterException(OWNER + ": the perceptual loss reads feature extractor '" + name + "', which is not"
          + " registered (registered: " + String.join(", ", new TreeSet<>(extractors.keySet())) + "); install its"
          + " bundle (metrics, for " + DEFAULT_FEATURES + "), or set perceptual_weight: 0");
    }
    Optional<FeatureExtractor.InGraph> network;
    try {
      network = extractor.inGraph(target, parameters);
      parameters.rejectUnknownKeys();
    } catch (ParameterException e) {
      throw e;
    } catch (Exception e) {
      throw new ParameterException(OWNER + ": feature extractor '" + name + "' does not take the targets (" + target
          + "): " + e.getMessage());
    }
    return network.orElseThrow(() -> new ParameterException(OWNER + ": feature extractor '" + name + "' cannot build"
        + " into a training graph, which a perceptual loss needs; choose one that can (" + DEFAULT_FEATURES
        + "), or set perceptual_weight: 0"));
  }

  private static Operand<org.tensorflow.types.TInt32> allAxes(Ops tf, int rank) {
    int[] axes = new int[rank];
    for (int i = 0; i < rank; i++) {
      axes[i] = i;
    }
    return tf.constant(axes);
  }
}
