package org.ganymede.nn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ganymede.api.Critic;
import org.ganymede.api.GanModel;
import org.ganymede.api.ModelContext;
import org.ganymede.api.Objective;
import org.ganymede.api.OptimizerSpec;
import org.ganymede.api.PenaltyContext;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * The classic game of one generator and one discriminator: the wiring DCGAN, the MLP GAN and
 * other single-pair architectures share. The discriminator's objective is the loss plus every
 * selected penalty; it runs {@code criticSteps} times per generator step. The discriminator judges
 * every batch through the selected augmentations. The networks' own per-step updates (spectral
 * normalisation's) run after each step.
 */
public final class TwoPlayerGan {
  private TwoPlayerGan() {}

  /**
   * @param context what the engine gave the architecture
   * @param generator maps {@code [n, latentSize]} to {@code [n, ...sample]}
   * @param discriminator maps {@code [n, ...sample]} to logits {@code [n, 1]}
   * @param latentSize size of the generator's input
   * @param generatorOptimizer the architecture's default for the generator
   * @param discriminatorOptimizer the architecture's default for the discriminator
   */
  public static GanModel build(
      ModelContext context,
      Network generator,
      Network discriminator,
      int latentSize,
      OptimizerSpec generatorOptimizer,
      OptimizerSpec discriminatorOptimizer) {
    Gradients.registerMissing();
    Ops tf = context.tf();
    Operand<TFloat32> noise = context.random().normal(tf.constant(new int[] {context.batchSize(), latentSize}));
    Operand<TFloat32> fake = generator.apply(noise);
    Critic judged = context.augmentations().judged(discriminator::apply);
    Operand<TFloat32> realLogits = judged.apply(context.real());
    Operand<TFloat32> fakeLogits = judged.apply(fake);

    Map<String, Operand<TFloat32>> scalars = new LinkedHashMap<>();
    Operand<TFloat32> discriminatorLoss = discriminatorLoss(context, judged, realLogits, fakeLogits, fake, scalars);
    Operand<TFloat32> generatorLoss = tf.withName("generator_loss").identity(
        context.loss().generatorLoss(tf.withSubScope("g_loss"), realLogits, fakeLogits));
    scalars.put("critic/real", tf.math.mean(realLogits, tf.constant(new int[] {0, 1})));
    scalars.put("critic/fake", tf.math.mean(fakeLogits, tf.constant(new int[] {0, 1})));

    Placeholder<TFloat32> latent =
        tf.withName("latent").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, latentSize)));
    Operand<TFloat32> generated = tf.withName("generated").identity(generator.apply(latent));

    List<Objective> objectives = List.of(
        new Objective("discriminator", discriminatorLoss, discriminator.variables(),
            context.optimizer("discriminator", discriminatorOptimizer), context.criticSteps()),
        new Objective("generator", generatorLoss, generator.variables(),
            context.optimizer("generator", generatorOptimizer), 1));
    List<org.tensorflow.op.Op> updates = new ArrayList<>(discriminator.updates());
    updates.addAll(generator.updates());
    return new GanModel(objectives, scalars, latent, generated, updates)
        .withLayers("discriminator", discriminator.layers())
        .withLayers("generator", generator.layers());
  }

  /**
   * A discriminator's loss: the selected adversarial loss of its logits on the real and the
   * generated batch, plus every selected penalty of the critic (the generated batch held fixed),
   * each penalty also logged in {@code scalars} as {@code penalty/NAME}; running it runs the
   * augmentations' watching ops on {@code realLogits}.
   *
   * @param critic the discriminator as the penalties see it (with a pair's condition fixed, say),
   *     augmentations included when the logits were judged through them
   */
  public static Operand<TFloat32> discriminatorLoss(ModelContext context, Critic critic, Operand<TFloat32> realLogits,
      Operand<TFloat32> fakeLogits, Operand<TFloat32> fake, Map<String, Operand<TFloat32>> scalars) {
    Ops tf = context.tf();
    List<Operand<TFloat32>> terms = new ArrayList<>(List.of(tf.withName("discriminator_adversarial_loss")
        .identity(context.loss().discriminatorLoss(tf.withSubScope("d_loss"), realLogits, fakeLogits))));
    terms.addAll(penalties(context, critic, context.real(), fake, "", scalars));
    return tf.withName("discriminator_loss").identity(
        context.augmentations().observed(tf, tf.math.addN(terms), realLogits));
  }

  /**
   * Every selected regularizer's penalty of the critic on {@code real} and {@code fake} (held
   * fixed), each logged in {@code scalars} as {@code penalty/NAME} followed by {@code suffix} (which
   * tells a game's several critics apart); regularizers that add none (weight clipping) are left out.
   */
  public static List<Operand<TFloat32>> penalties(ModelContext context, Critic critic, Operand<TFloat32> real,
      Operand<TFloat32> fake, String suffix, Map<String, Operand<TFloat32>> scalars) {
    Ops tf = context.tf();
    List<Operand<TFloat32>> terms = new ArrayList<>();
    for (ModelContext.SelectedRegularizer r : context.regularizers()) {
      Ops scoped = tf.withSubScope("penalty_" + (r.name() + suffix).replaceAll("[^A-Za-z0-9_]", "_"));
      Operand<TFloat32> penalty = r.regularizer().penalty(
          new PenaltyContext(scoped, critic, real, tf.stopGradient(fake), r.parameters(), context.random()));
      if (penalty != null) {
        scalars.put("penalty/" + r.name() + suffix, penalty);
        terms.add(penalty);
      }
    }
    return terms;
  }
}
