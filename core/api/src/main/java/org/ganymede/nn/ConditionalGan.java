package org.ganymede.nn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ganymede.api.Condition;
import org.ganymede.api.GanModel;
import org.ganymede.api.ModelContext;
import org.ganymede.api.Objective;
import org.ganymede.api.OptimizerSpec;
import org.ganymede.api.PenaltyContext;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * The game of one class-conditional generator and one discriminator that sees the class: the
 * wiring CGAN, the projection discriminator, ACGAN and BigGAN share. The generator makes the classes
 * the engine draws for it; the discriminator judges real samples with their labels and generated
 * ones with the classes they were made for. Penalties see the discriminator with the real batch's
 * labels. A discriminator with an auxiliary classifier (ACGAN) adds {@code classWeight} times the
 * cross-entropy of its class logits, on real and generated samples, to its loss, and on generated
 * ones to the generator's (Odena et al. 2017).
 */
public final class ConditionalGan {
  private ConditionalGan() {}

  /** A generator of a class: latents {@code [n, latent]} and classes {@code [n, classes]} to samples. */
  @FunctionalInterface
  public interface Generator {
    Operand<TFloat32> generate(Operand<TFloat32> latent, Operand<TFloat32> classRows);
  }

  /** A discriminator that sees the class of what it judges. */
  @FunctionalInterface
  public interface Discriminator {
    Judgement judge(Operand<TFloat32> samples, Operand<TFloat32> classRows);
  }

  /**
   * @param logits real-or-fake logits {@code [n, 1]}
   * @param classLogits an auxiliary classifier's logits {@code [n, classes]}, or null
   */
  public record Judgement(Operand<TFloat32> logits, Operand<TFloat32> classLogits) {}

  /**
   * A network's trained variables and the ops it runs after each step (spectral normalisation's).
   */
  public record Parts(List<Variable<TFloat32>> variables, List<Op> updates) {
    public Parts {
      variables = List.copyOf(variables);
      updates = List.copyOf(updates);
    }

    public static Parts of(Network network) {
      return new Parts(network.variables(), network.updates());
    }

    public static Parts of(Weights weights) {
      return new Parts(weights.variables(), weights.updates());
    }
  }

  /**
   * @param labels the run's class labels ({@code context.condition().labels(owner)})
   * @param afterStep more ops to run after each step (a generator's moving average, say), after
   *     the networks' own updates
   * @param sampler the generator that makes {@link GanModel#generated()} (a moving average of the
   *     trained one, say), or null for the trained one
   * @param classWeight the auxiliary classifier's weight; ignored when the discriminator has none
   */
  public static GanModel build(
      ModelContext context,
      Condition.Labels labels,
      Generator generator,
      Parts generatorParts,
      Discriminator discriminator,
      Parts discriminatorParts,
      int latentSize,
      OptimizerSpec generatorOptimizer,
      OptimizerSpec discriminatorOptimizer,
      float classWeight,
      Generator sampler,
      List<Op> afterStep) {
    Gradients.registerMissing();
    Ops tf = context.tf();
    Operand<TFloat32> noise = context.random().normal(tf.constant(new int[] {context.batchSize(), latentSize}));
    Operand<TFloat32> realClasses = labels.oneHot(tf, labels.real());
    Operand<TFloat32> fakeClasses = labels.oneHot(tf, labels.generated());
    Operand<TFloat32> fake = generator.generate(noise, fakeClasses);
    Judgement real = discriminator.judge(context.real(), realClasses);
    Judgement judgedFake = discriminator.judge(fake, fakeClasses);

    Map<String, Operand<TFloat32>> scalars = new LinkedHashMap<>();
    List<Operand<TFloat32>> terms = new ArrayList<>(List.of(tf.withName("discriminator_adversarial_loss").identity(
        context.loss().discriminatorLoss(tf.withSubScope("d_loss"), real.logits(), judgedFake.logits()))));
    for (ModelContext.SelectedRegularizer r : context.regularizers()) {
      Ops scoped = tf.withSubScope("penalty_" + r.name().replaceAll("[^A-Za-z0-9_]", "_"));
      Operand<TFloat32> penalty = r.regularizer().penalty(new PenaltyContext(scoped,
          x -> discriminator.judge(x, realClasses).logits(), context.real(), tf.stopGradient(fake), r.parameters(),
          context.random()));
      scalars.put("penalty/" + r.name(), penalty);
      terms.add(penalty);
    }
    Operand<TFloat32> generatorLoss = context.loss().generatorLoss(tf.withSubScope("g_loss"), real.logits(),
        judgedFake.logits());
    if (real.classLogits() != null) {
      Operand<TFloat32> weight = tf.constant(classWeight);
      Operand<TFloat32> realClassLoss = ConditionalLayers.classLoss(tf, real.classLogits(), labels.real());
      Operand<TFloat32> fakeClassLoss = ConditionalLayers.classLoss(tf, judgedFake.classLogits(), labels.generated());
      terms.add(tf.math.mul(weight, tf.math.add(realClassLoss, fakeClassLoss)));
      generatorLoss = tf.math.add(generatorLoss, tf.math.mul(weight, fakeClassLoss));
      scalars.put("class/loss_real", realClassLoss);
      scalars.put("class/loss_fake", fakeClassLoss);
      scalars.put("class/accuracy_real", ConditionalLayers.accuracy(tf, real.classLogits(), labels.real()));
    }
    Operand<TFloat32> discriminatorLoss = tf.withName("discriminator_loss").math.addN(terms);
    generatorLoss = tf.withName("generator_loss").identity(generatorLoss);
    scalars.put("critic/real", tf.math.mean(real.logits(), tf.constant(new int[] {0, 1})));
    scalars.put("critic/fake", tf.math.mean(judgedFake.logits(), tf.constant(new int[] {0, 1})));

    Placeholder<TFloat32> latent =
        tf.withName("latent").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, latentSize)));
    Operand<TFloat32> generated = tf.withName("generated").identity(
        (sampler == null ? generator : sampler).generate(latent, labels.sampling()));

    List<Objective> objectives = List.of(
        new Objective("discriminator", discriminatorLoss, discriminatorParts.variables(),
            context.optimizer("discriminator", discriminatorOptimizer), context.criticSteps()),
        new Objective("generator", generatorLoss, generatorParts.variables(),
            context.optimizer("generator", generatorOptimizer), 1));
    List<Op> after = new ArrayList<>(discriminatorParts.updates());
    after.addAll(generatorParts.updates());
    after.addAll(afterStep);
    return new GanModel(objectives, scalars, latent, generated, after);
  }
}
