package org.ganymede.pix2pix.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ganymede.api.Architecture;
import org.ganymede.api.Condition;
import org.ganymede.api.Critic;
import org.ganymede.api.DataSpec;
import org.ganymede.api.GanModel;
import org.ganymede.api.ModelContext;
import org.ganymede.api.Objective;
import org.ganymede.api.OptimizerSpec;
import org.ganymede.api.ParameterException;
import org.ganymede.api.Parameters;
import org.ganymede.api.Plugins;
import org.ganymede.nn.Gradients;
import org.ganymede.nn.ImageToImageLayout;
import org.ganymede.nn.ImageToImageLayout.Norm;
import org.ganymede.nn.Network;
import org.ganymede.nn.TwoPlayerGan;
import org.osgi.service.component.annotations.Component;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * pix2pix (Isola et al. 2017): paired image-to-image translation as the authors' PyTorch reference
 * trains it. The generator, a U-Net with batch normalisation, makes an image from a condition
 * image of the same size (an edge map, a masked image); its only noise is dropout, which it
 * keeps when sampling, as the reference does. The discriminator, a PatchGAN with batch
 * normalisation, judges (condition, image) pairs concatenated along the channels, one logit per
 * patch. Adam 2e-4, beta1 0.5, weights N(0, 0.02); the loss the experiment names, the
 * non-saturating one (the reference's "vanilla" GAN loss) by default.
 *
 * <p>Inpainting: on masked pairs the output keeps the known pixels exactly and the generator
 * fills the missing ones ({@code keep_known}, on by default).
 *
 * <p>Parameters:
 *
 * <ul>
 *   <li>{@code ngf} (default 64): channels of the generator's first layer
 *   <li>{@code ndf} (default 64): channels of the discriminator's first layer
 *   <li>{@code discriminator_layers} (default 3, or fewer for small images): stride-2 layers of
 *       the PatchGAN discriminator; 3 is the reference's 70x70 PatchGAN
 *   <li>{@code l1_weight} (default 100): weight of the L1 distance to the target in the
 *       generator's loss
 *   <li>{@code dropout} (default 0.5; 0 for none): dropout rate in the U-Net's three levels above
 *       the innermost
 *   <li>{@code keep_known} (default true; masked pairs only): keep the known pixels of the
 *       condition in the output
 * </ul>
 *
 * <p>Objectives, each step on a fresh batch of pairs (x condition, y target), with adv_D and
 * adv_G the selected loss: {@code discriminator} minimises adv_D(D(x, y), D(x, G(x))) plus the
 * selected penalties (on D with x fixed); {@code generator} minimises adv_G(D(x, y), D(x, G(x)))
 * + l1_weight |G(x) - y|_1, the mean absolute difference over the batch's pixels. Logged:
 * {@code l1}, {@code critic/real}, {@code critic/fake}.
 */
@Component(
    service = Architecture.class,
    property = {
      Plugins.NAME + "=pix2pix",
      Plugins.DESCRIPTION + "=pix2pix: paired image-to-image translation and inpainting (U-Net, PatchGAN, L1)"
    })
public final class Pix2PixArchitecture implements Architecture {
  static final String OWNER = "architecture 'pix2pix'";
  private static final long DISCRIMINATOR_SEED = 0x5DEECE66DL;

  @Override
  public GanModel build(ModelContext context) {
    Gradients.registerMissing();
    Ops tf = context.tf();
    Parameters p = context.parameters();
    Condition.Images images = context.condition().images(OWNER);
    DataSpec target = context.data();
    DataSpec condition = images.spec();
    int size = requireShapes(target, condition, images.kind());
    int maxLayers = ImageToImageLayout.maxPatchLayers(size);
    int ngf = p.intInRange("ngf", 64, 1, 1024);
    int ndf = p.intInRange("ndf", 64, 1, 1024);
    int layers = p.intInRange("discriminator_layers", Math.min(3, maxLayers), 1, maxLayers);
    float l1Weight = (float) p.nonNegative("l1_weight", 100);
    double dropout = p.nonNegative("dropout", 0.5);
    if (dropout >= 1) {
      throw new ParameterException(OWNER + ": 'dropout' is a rate from 0 (none) up to, not including, 1; was " + dropout);
    }
    boolean masked = images.kind().equals(Condition.Images.MASKED);
    if (!masked && p.has("keep_known")) {
      throw new ParameterException(OWNER + ": 'keep_known' is for inpainting, and the dataset's conditions are "
          + images.kind() + ", not masked");
    }
    boolean keepKnown = masked && p.booleanValue("keep_known", true);

    Network generator = ImageToImageLayout.unet(tf, context.seed(), size, condition.channels(), target.channels(), ngf,
        ImageToImageLayout.unetDownsFor(size), Norm.BATCH,
        dropout == 0 ? null : new ImageToImageLayout.Dropout(context.random(), (float) dropout));
    Network discriminator = ImageToImageLayout.patchDiscriminator(tf, context.seed() ^ DISCRIMINATOR_SEED,
        condition.channels() + target.channels(), ndf, layers, Norm.BATCH);

    Operand<TFloat32> x = images.real();
    Operand<TFloat32> fake = output(tf, generator, x, keepKnown, target.channels());
    Critic judge = y -> discriminator.apply(tf.concat(List.of(x, y), tf.constant(3)));
    Operand<TFloat32> realLogits = judge.apply(context.real());
    Operand<TFloat32> fakeLogits = judge.apply(fake);

    Map<String, Operand<TFloat32>> scalars = new LinkedHashMap<>();
    Operand<TFloat32> discriminatorLoss = TwoPlayerGan.discriminatorLoss(context, judge, realLogits, fakeLogits, fake,
        scalars);
    Operand<TFloat32> l1 = tf.withName("l1").math.mean(tf.math.abs(tf.math.sub(fake, context.real())),
        tf.constant(new int[] {0, 1, 2, 3}));
    Operand<TFloat32> generatorLoss = tf.withName("generator_loss").math.add(
        context.loss().generatorLoss(tf.withSubScope("g_loss"), realLogits, fakeLogits),
        tf.math.mul(tf.constant(l1Weight), l1));
    scalars.put("l1", l1);
    scalars.put("critic/real", tf.math.mean(realLogits, tf.constant(new int[] {0, 1, 2, 3})));
    scalars.put("critic/fake", tf.math.mean(fakeLogits, tf.constant(new int[] {0, 1, 2, 3})));

    Operand<TFloat32> generated = tf.withName("generated")
        .identity(output(tf, generator, images.sampling(), keepKnown, target.channels()));
    OptimizerSpec adam = OptimizerSpec.adam(2e-4, 0.5, 0.999);
    List<Objective> objectives = List.of(
        new Objective("discriminator", discriminatorLoss, discriminator.variables(),
        context.optimizer("discriminator", adam), context.criticSteps()),
        new Objective("generator", generatorLoss, generator.variables(), context.optimizer("generator", adam), 1));
    return new GanModel(objectives, scalars, null, generated, List.of(), org.ganymede.api.SamplingControls.NONE,
        List.of());
  }

  /**
   * The generator's output for conditions {@code x}; for inpainting the known pixels of x with the
   * generator's pixels where they are missing.
   */
  static Operand<TFloat32> output(Ops tf, Network generator, Operand<TFloat32> x, boolean keepKnown, int channels) {
    Operand<TFloat32> made = generator.apply(x);
    if (!keepKnown) {
      return made;
    }
    // A masked condition holds the image's channels, then the mask: 1 where a pixel is known.
    Operand<TFloat32> known = tf.slice(x, tf.constant(new int[] {0, 0, 0, 0}), tf.constant(new int[] {-1, -1, -1, channels}));
    Operand<TFloat32> mask = tf.slice(x, tf.constant(new int[] {0, 0, 0, channels}), tf.constant(new int[] {-1, -1, -1, 1}));
    return tf.math.add(tf.math.mul(mask, known), tf.math.mul(tf.math.sub(tf.constant(1f), mask), made));
  }

  /** The images' side, once the target and condition are known to fit pix2pix's U-Net. */
  private static int requireShapes(DataSpec target, DataSpec condition, String kind) {
    if (!target.isImage()) {
      throw new ParameterException(OWNER + " makes images, and the dataset's samples are " + target);
    }
    if (kind.equals(Condition.Images.LOW_RESOLUTION)) {
      throw new ParameterException(OWNER + " makes images of its condition's size, and the dataset's conditions are "
          + "low-resolution (" + condition + " for targets of " + target + "); choose srgan for super-resolution");
    }
    if (condition.height() != target.height() || condition.width() != target.width()) {
      throw new ParameterException(OWNER + " needs conditions of the targets' height and width; the dataset's are "
          + condition + " for targets of " + target);
    }
    int size = target.height();
    if (target.width() != size || size < 1 << ImageToImageLayout.UNET_MIN_DOWNS || Integer.bitCount(size) != 1) {
      throw new ParameterException(OWNER + ": the U-Net generator needs square images whose side is a power of two of"
          + " at least " + (1 << ImageToImageLayout.UNET_MIN_DOWNS) + " px; the dataset's are " + target);
    }
    if (kind.equals(Condition.Images.MASKED) && condition.channels() != target.channels() + 1) {
      throw new ParameterException(OWNER + ": a masked condition holds the image's " + target.channels()
          + " channels and a mask, " + (target.channels() + 1) + " channels; the dataset's has " + condition.channels());
    }
    return size;
  }
}
