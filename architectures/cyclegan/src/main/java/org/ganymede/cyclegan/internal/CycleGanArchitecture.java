package org.ganymede.cyclegan.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.ganymede.api.Architecture;
import org.ganymede.api.DataSpec;
import org.ganymede.api.GanModel;
import org.ganymede.api.ModelContext;
import org.ganymede.api.Objective;
import org.ganymede.api.OptimizerSpec;
import org.ganymede.api.Plugins;
import org.ganymede.api.SamplingControls;
import org.ganymede.nn.Gradients;
import org.ganymede.nn.Network;
import org.ganymede.nn.TwoPlayerGan;
import org.osgi.service.component.annotations.Component;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * CycleGAN (Zhu et al. 2017) for unpaired image-to-image translation, as the authors' PyTorch
 * reference trains it. It needs a dataset of two domains, A and B, of square images of the same
 * side; their channels may differ. Generator G_AB translates A to B and G_BA translates B to A;
 * discriminator D_A judges images of domain A and D_B images of B. Weights are drawn from
 * N(0, 0.02) with the run's seed. Experiments that name no loss get {@code least-squares}, the
 * reference's.
 *
 * <p>Parameters:
 *
 * <ul>
 *   <li>{@code generator} ({@code resnet}, the default, or {@code unet}): the generators'
 *       network; the U-Net needs a side that is a power of two of at least 32 px, the ResNet one
 *       divisible by 4
 *   <li>{@code blocks} (default 6 below 256 px, 9 from 256 px): residual blocks of the ResNet
 *       generator
 *   <li>{@code ngf} (default 64): channels of the generators' first layer
 *   <li>{@code ndf} (default 64): channels of the discriminators' first layer
 *   <li>{@code discriminator_layers} (default 3): stride-2 layers of the PatchGAN discriminators
 *   <li>{@code lambda_cycle} (default 10): weight of the cycle-consistency losses
 *   <li>{@code lambda_identity} (default 0.5): weight of the identity losses as a fraction of
 *       {@code lambda_cycle}; 0 for none, which data whose domains differ in channels need
 *   <li>{@code pool_size} (default 50; 0 for none): past fakes each discriminator's
 *       {@link ImagePool} holds
 * </ul>
 *
 * <p>Objectives, run in this order every step, each on fresh batches a of A and b of B, with
 * |x|_1 the mean absolute value over the batch's pixels and adv_G, adv_D the selected loss's
 * generator and discriminator losses of (logits on real images, logits on generated ones):
 *
 * <ul>
 *   <li>{@code generators} trains G_AB and G_BA on adv_G(D_B(b), D_B(G_AB(a))) + adv_G(D_A(a),
 *       D_A(G_BA(b))) + lambda_cycle (|G_BA(G_AB(a)) - a|_1 + |G_AB(G_BA(b)) - b|_1) +
 *       lambda_cycle lambda_identity (|G_BA(a) - a|_1 + |G_AB(b) - b|_1)
 *   <li>{@code discriminator_a} trains D_A on 0.5 adv_D(D_A(a), D_A(pool_A(G_BA(b)))) plus the
 *       experiment's regularizers, which judge a against the pooled fakes; {@code critic_steps}
 *       times per step
 *   <li>{@code discriminator_b} likewise trains D_B on 0.5 adv_D(D_B(b), D_B(pool_B(G_AB(a))))
 *       plus the regularizers
 * </ul>
 *
 * <p>Ganymede's {@code least-squares} loss carries a factor 1/2 that PyTorch's MSELoss, the
 * reference's, does not: with it, the adversarial terms weigh half as much against
 * {@code lambda_cycle} as in the reference; {@code lambda_cycle: 5} restores the reference's
 * balance (the rest of the generators' loss is then half the reference's, which Adam does not
 * notice).
 *
 * <p>All objectives train with Adam, learning rate 2e-4, beta1 0.5, beta2 0.999, unless the
 * experiment says otherwise. The reference's schedule, constant for n epochs and then falling
 * linearly to 0 over n more, is set per objective in the experiment in steps, e.g.
 * {@code training: {optimizers: {generators: {decay_start: 10000, decay_end: 20000}, ...}}} with
 * the same for {@code discriminator_a} and {@code discriminator_b}.
 *
 * <p>Translations: {@code a2b} feeds images of A to the placeholder {@code translate_a}; its
 * output is {@code translation_a2b} = G_AB(input) and its reconstruction
 * {@code reconstruction_a2b} = G_BA(G_AB(input)). {@code b2a} likewise, from {@code translate_b}.
 *
 * <p>Logged scalars, measured without changing anything: {@code cycle/a} = |G_BA(G_AB(a)) - a|_1,
 * {@code cycle/b}, {@code identity/a} = |G_BA(a) - a|_1 and {@code identity/b} (with the identity
 * loss), the generators' adversarial terms {@code adversarial/a2b} and {@code adversarial/b2a}, the
 * mean logits {@code critic/real_a}, {@code critic/fake_a} (on G_BA(b), not pooled),
 * {@code critic/real_b}, {@code critic/fake_b}, and each regularizer's penalty
 * {@code penalty/NAME/a} and {@code penalty/NAME/b}.
 */
@Component(
    service = Architecture.class,
    property = {
      Plugins.NAME + "=" + CycleGanArchitecture.NAME,
      Plugins.DESCRIPTION + "=CycleGAN (Zhu et al. 2017): unpaired image-to-image translation with ResNet or U-Net"
          + " generators, PatchGAN discriminators, cycle and identity losses and image pools",
      Plugins.DEFAULT_LOSS + "=least-squares"
    })
public final class CycleGanArchitecture implements Architecture {
  static final String NAME = "cyclegan";
  static final String GENERATORS = "generators";
  static final String DISCRIMINATOR_A = "discriminator_a";
  static final String DISCRIMINATOR_B = "discriminator_b";
  static final OptimizerSpec DEFAULT_OPTIMIZER = OptimizerSpec.adam(2e-4, 0.5, 0.999);

  @Override
  public GanModel build(ModelContext context) {
    ModelContext.SecondDomain domainB = context.requireSecondDomain(NAME);
    CycleGanConfig config = CycleGanConfig.of(context.data(), domainB.data(), context.parameters());
    Gradients.registerMissing();
    Ops tf = context.tf();

    // Variables stay in the root name scope: the optimizers name their slots after them.
    SplittableRandom seeds = new SplittableRandom(context.seed());
    Network aToB = config.generator(tf, seeds.nextLong(), config.channelsA(), config.channelsB());
    Network bToA = config.generator(tf, seeds.nextLong(), config.channelsB(), config.channelsA());
    Network judgeA = config.discriminator(tf, seeds.nextLong(), config.channelsA());
    Network judgeB = config.discriminator(tf, seeds.nextLong(), config.channelsB());

    Direction a2b = Direction.of(tf, "a", "b", context.real(), domainB.real(), aToB, bToA, judgeB);
    Direction b2a = Direction.of(tf, "b", "a", domainB.real(), context.real(), bToA, aToB, judgeA);

    Map<String, Operand<TFloat32>> scalars = new LinkedHashMap<>();
    Operand<TFloat32> generatorsLoss = generatorsLoss(context, config, a2b, b2a, scalars);
    List<Variable<TFloat32>> generatorVariables = new ArrayList<>(aToB.variables());
    generatorVariables.addAll(bToA.variables());
    List<Objective> objectives = List.of(
        new Objective(GENERATORS, generatorsLoss, generatorVariables,
            context.optimizer(GENERATORS, DEFAULT_OPTIMIZER), 1),
        discriminatorObjective(context, config, DISCRIMINATOR_A, b2a, context.data(), scalars),
        discriminatorObjective(context, config, DISCRIMINATOR_B, a2b, domainB.data(), scalars));
    for (Direction d : List.of(a2b, b2a)) {
      scalars.put("critic/real_" + d.target(), CycleLosses.meanOfAll(tf, d.realLogits()));
      scalars.put("critic/fake_" + d.target(), CycleLosses.meanOfAll(tf, d.fakeLogits()));
    }

    List<GanModel.Translation> translations = List.of(
        translation(tf, "a2b", context.data(), aToB, bToA),
        translation(tf, "b2a", domainB.data(), bToA, aToB));
    return new GanModel(objectives, scalars, null, null, List.of(), SamplingControls.NONE, translations);
  }

  /**
   * One direction of the cycle on the training batches, A to B say: the fakes G_AB(a), their way
   * back G_BA(G_AB(a)), and D_B's logits on real images of B and on the fakes.
   *
   * @param source the domain translated from, {@code a} or {@code b}
   * @param target the domain translated to
   */
  private record Direction(
      String source,
      String target,
      Network forward,
      Network judge,
      Operand<TFloat32> real,
      Operand<TFloat32> targetReal,
      Operand<TFloat32> fake,
      Operand<TFloat32> reconstructed,
      Operand<TFloat32> realLogits,
      Operand<TFloat32> fakeLogits) {
    static Direction of(Ops tf, String source, String target, Operand<TFloat32> real, Operand<TFloat32> targetReal,
        Network forward, Network back, Network judge) {
      Operand<TFloat32> fake = tf.withName("fake_" + target).identity(forward.apply(real));
      return new Direction(source, target, forward, judge, real, targetReal, fake, back.apply(fake),
          judge.apply(targetReal), judge.apply(fake));
    }

    String name() {
      return source + "2" + target;
    }
  }

  /** The generators' loss (see the class comment); its terms go to {@code scalars}. */
  private static Operand<TFloat32> generatorsLoss(
      ModelContext context, CycleGanConfig config, Direction a2b, Direction b2a, Map<String, Operand<TFloat32>> scalars) {
    Ops tf = context.tf();
    List<Operand<TFloat32>> adversarial = new ArrayList<>();
    List<Operand<TFloat32>> cycle = new ArrayList<>();
    List<Operand<TFloat32>> identity = new ArrayList<>();
    for (Direction d : List.of(a2b, b2a)) {
      Operand<TFloat32> fooled = context.loss().generatorLoss(
          tf.withSubScope("g_loss_" + d.name()), d.realLogits(), d.fakeLogits());
      scalars.put("adversarial/" + d.name(), fooled);
      adversarial.add(fooled);
      Operand<TFloat32> cycled = CycleLosses.cycle(tf, d.real(), d.reconstructed());
      scalars.put("cycle/" + d.source(), cycled);
      cycle.add(cycled);
    }
    if (config.identityLoss()) {
      // The generator into a domain should leave that domain's images as they are: G_BA(a) = a.
      for (Direction d : List.of(b2a, a2b)) {
        Operand<TFloat32> kept = CycleLosses.identity(tf, d.targetReal(), d.forward().apply(d.targetReal()));
        scalars.put("identity/" + d.target(), kept);
        identity.add(kept);
      }
    }
    return tf.withName(GENERATORS + "_loss").identity(CycleLosses.generators(tf, adversarial, cycle, identity,
        (float) config.lambdaCycle(), (float) config.lambdaIdentity()));
  }

  /**
   * The objective of the discriminator of {@code direction}'s target domain: half the selected
   * loss on that domain's real images against the direction's fakes, drawn through an image pool
   * when there is one, plus the experiment's regularizers.
   */
  private static Objective discriminatorObjective(ModelContext context, CycleGanConfig config, String name,
      Direction direction, DataSpec domain, Map<String, Operand<TFloat32>> scalars) {
    Ops tf = context.tf();
    String target = direction.target();
    // The discriminator's objective does not train the generators.
    Operand<TFloat32> fakes = tf.stopGradient(direction.fake());
    List<Op> poolUpdate = new ArrayList<>();
    if (config.poolSize() > 0) {
      ImagePool pool = new ImagePool(tf, "image_pool_" + target, config.poolSize(), domain.shape());
      ImagePool.Query query = pool.query(fakes, context.batchSize(), context.random());
      fakes = query.images();
      poolUpdate.add(query.update());
    }
    Network judge = direction.judge();
    List<Operand<TFloat32>> terms = new ArrayList<>();
    terms.add(CycleLosses.discriminator(
        tf.withSubScope("d_loss_" + target), context.loss(), direction.realLogits(), judge.apply(fakes)));
    terms.addAll(TwoPlayerGan.penalties(context, judge, direction.targetReal(), fakes, "/" + target, scalars));
    // The loss waits for the pool's update: each run of this objective, and nothing else, moves the pool.
    Operand<TFloat32> loss = tf.withControlDependencies(poolUpdate).withName(name + "_loss")
        .identity(tf.math.addN(terms));
    return new Objective(name, loss, judge.variables(), context.optimizer(name, DEFAULT_OPTIMIZER),
        context.criticSteps());
  }

  /** Translation {@code name} of any number of images of {@code source} and its way back. */
  private static GanModel.Translation translation(
      Ops tf, String name, DataSpec source, Network forward, Network back) {
    Placeholder<TFloat32> input = tf.withName("translate_" + name.charAt(0))
        .placeholder(TFloat32.class, Placeholder.shape(Shape.of(source.batchShape(-1))));
    Operand<TFloat32> output = tf.withName("translation_" + name).identity(forward.apply(input));
    Operand<TFloat32> reconstruction = tf.withName("reconstruction_" + name).identity(back.apply(output));
    return new GanModel.Translation(name, input, output, reconstruction);
  }
}
