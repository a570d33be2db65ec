package org.ganymede.nn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ganymede.api.Augmentations;
import org.ganymede.api.Condition;
import org.ganymede.api.GanModel;
import org.ganymede.api.ModelContext;
import org.ganymede.api.Objective;
import org.ganymede.api.OptimizerSpec;
import org.ganymede.api.SamplingControls;
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
   * A network's trained variables, the ops it runs after each step (spectral normalisation's), and
   * its weighted layers input first ({@link Network#layers()}; empty when it names none), which
   * {@code training.freeze} counts.
   */
  public record Parts(List<Variable<TFloat32>> variables, List<Op> updates, List<List<Variable<TFloat32>>> layers) {
    public Parts {
      variables = List.copyOf(variables);
      updates = List.copyOf(updates);
      layers = layers.stream().map(List::copyOf).toList();
    }

    /** Parts that name no layers (nn 1.3). */
    public Parts(List<Variable<TFloat32>> variables, List<Op> updates) {
      this(variables, updates, List.of());
    }

    public static Parts of(Network network) {
      return new Parts(network.variables(), network.updates(), network.layers());
    }

    public static Parts of(Weights weights) {
      return new Parts(weights.variables(), weights.updates());
    }
  }

  /**
   * Starts the game of a model; give it a generator and a discriminator, then {@link Builder#build}.
   *
   * @param labels the run's class labels ({@code context.condition().labels(owner)})
   * @param latentSize the size of the generator's noise
   */
  public static Builder builder(ModelContext context, Condition.Labels labels, int latentSize) {
    return new Builder(context, labels, latentSize);
  }

  /** The pieces of a class-conditional game; every one but the two networks has a default. */
  public static final class Builder {
    private final ModelContext context;
    private final Condition.Labels labels;
    private final int latentSize;
    private Generator generator;
    private Parts generatorParts;
    private Discriminator discriminator;
    private Parts discriminatorParts;
    private OptimizerSpec generatorOptimizer = OptimizerSpec.adam(2e-4, 0.5, 0.999);
    private OptimizerSpec discriminatorOptimizer = OptimizerSpec.adam(2e-4, 0.5, 0.999);
    private float classWeight = 1f;
    private Generator sampler;
    private final List<Op> afterStep = new ArrayList<>();
    private SamplingControls sampling = SamplingControls.NONE;
    private final Map<String, Operand<TFloat32>> generatorPenalties = new LinkedHashMap<>();

    private Builder(ModelContext context, Condition.Labels labels, int latentSize) {
      this.context = context;
      this.labels = labels;
      this.latentSize = latentSize;
    }

    public Builder generator(Generator network, Parts parts) {
      generator = network;
      generatorParts = parts;
      return this;
    }

    public Builder discriminator(Discriminator network, Parts parts) {
      discriminator = network;
      discriminatorParts = parts;
      return this;
    }

    /** The architecture's default optimizers (the experiment may override them); Adam 2e-4, 0.5, 0.999 if not set. */
    public Builder optimizers(OptimizerSpec forGenerator, OptimizerSpec forDiscriminator) {
      generatorOptimizer = forGenerator;
      discriminatorOptimizer = forDiscriminator;
      return this;
    }

    /** The auxiliary classifier's weight (1 if not set); read only when the discriminator judges classes. */
    public Builder classWeight(float weight) {
      classWeight = weight;
      return this;
    }

    /**
     * The generator that makes {@link GanModel#generated()}, a moving average of the trained one,
     * say, and the ops that keep it (run after each step, after the networks' own updates).
     */
    public Builder sampler(Generator network, List<Op> updates) {
      sampler = network;
      afterStep.addAll(updates);
      return this;
    }

    /** The controls sampling may feed (a truncation, say); none if not set. */
    public Builder sampling(SamplingControls controls) {
      sampling = controls;
      return this;
    }

    /** A term added to the generator's loss and logged as {@code penalty/NAME} (a weight regulariser, say). */
    public Builder generatorPenalty(String name, Operand<TFloat32> penalty) {
      generatorPenalties.put(name, penalty);
      return this;
    }

    public GanModel build() {
      if (generator == null || discriminator == null) {
        throw new IllegalStateException("a conditional game needs a generator and a discriminator");
      }
      return ConditionalGan.build(this);
    }
  }

  private static GanModel build(Builder b) {
    ModelContext context = b.context;
    Condition.Labels labels = b.labels;
    Gradients.registerMissing();
    Ops tf = context.tf();
    Operand<TFloat32> noise = context.random().normal(tf.constant(new int[] {context.batchSize(), b.latentSize}));
    Operand<TFloat32> realClasses = labels.oneHot(tf, labels.real());
    Operand<TFloat32> fakeClasses = labels.oneHot(tf, labels.generated());
    Operand<TFloat32> fake = b.generator.generate(noise, fakeClasses);
    // The discriminator judges the images through the augmentations; the classes stay as they are.
    Augmentations augmentations = context.augmentations();
    Judgement real = b.discriminator.judge(augmentations.apply(context.real()), realClasses);
    Judgement judgedFake = b.discriminator.judge(augmentations.apply(fake), fakeClasses);

    Map<String, Operand<TFloat32>> scalars = new LinkedHashMap<>();
    List<Operand<TFloat32>> terms = new ArrayList<>(List.of(tf.withName("discriminator_adversarial_loss").identity(
        context.loss().discriminatorLoss(tf.withSubScope("d_loss"), real.logits(), judgedFake.logits()))));
    terms.addAll(TwoPlayerGan.penalties(context, augmentations.judged(x -> b.discriminator.judge(x, realClasses)
        .logits()), context.real(), fake, "", scalars));
    List<Operand<TFloat32>> generatorTerms = new ArrayList<>(List.of(context.loss().generatorLoss(
        tf.withSubScope("g_loss"), real.logits(), judgedFake.logits())));
    b.generatorPenalties.forEach((name, penalty) -> {
      scalars.put("penalty/" + name, penalty);
      generatorTerms.add(penalty);
    });
    if (real.classLogits() != null) {
      Operand<TFloat32> weight = tf.constant(b.classWeight);
      Operand<TFloat32> realClassLoss = ConditionalLayers.classLoss(tf, real.classLogits(), labels.real());
      Operand<TFloat32> fakeClassLoss = ConditionalLayers.classLoss(tf, judgedFake.classLogits(), labels.generated());
      terms.add(tf.math.mul(weight, tf.math.add(realClassLoss, fakeClassLoss)));
      generatorTerms.add(tf.math.mul(weight, fakeClassLoss));
      scalars.put("class/loss_real", realClassLoss);
      scalars.put("class/loss_fake", fakeClassLoss);
      scalars.put("class/accuracy_real", ConditionalLayers.accuracy(tf, real.classLogits(), labels.real()));
    }
    Operand<TFloat32> discriminatorLoss = tf.withName("discriminator_loss")
        .identity(augmentations.observed(tf, tf.math.addN(terms), real.logits()));
    Operand<TFloat32> generatorLoss = tf.withName("generator_loss").math.addN(generatorTerms);
    scalars.put("critic/real", tf.math.mean(real.logits(), tf.constant(new int[] {0, 1})));
    scalars.put("critic/fake", tf.math.mean(judgedFake.logits(), tf.constant(new int[] {0, 1})));

    Placeholder<TFloat32> latent =
        tf.withName("latent").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, b.latentSize)));
    Operand<TFloat32> generated = tf.withName("generated").identity(
        (b.sampler == null ? b.generator : b.sampler).generate(latent, labels.sampling()));

    List<Objective> objectives = List.of(
        new Objective("discriminator", discriminatorLoss, b.discriminatorParts.variables(),
            context.optimizer("discriminator", b.discriminatorOptimizer), context.criticSteps()),
        new Objective("generator", generatorLoss, b.generatorParts.variables(),
            context.optimizer("generator", b.generatorOptimizer), 1));
    List<Op> after = new ArrayList<>(b.discriminatorParts.updates());
    after.addAll(b.generatorParts.updates());
    after.addAll(b.afterStep);
    GanModel model = new GanModel(objectives, scalars, latent, generated, after, b.sampling, List.of());
    if (!b.discriminatorParts.layers().isEmpty()) {
      model = model.withLayers("discriminator", b.discriminatorParts.layers());
    }
    if (!b.generatorParts.layers().isEmpty()) {
      model = model.withLayers("generator", b.generatorParts.layers());
    }
    return model;
  }
}
