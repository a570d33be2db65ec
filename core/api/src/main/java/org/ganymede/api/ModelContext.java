package org.ganymede.api;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * What an architecture gets to build its model with.
 *
 * @param tf the graph's ops
 * @param data shape of one real sample
 * @param real the real batch, shape {@code [batch, ...sample]}, a fresh batch every objective run
 * @param batchSize the number of samples in {@link #real}
 * @param parameters the experiment's parameters for this architecture
 * @param loss the selected adversarial loss
 * @param regularizers the selected regularizers with their parameters
 * @param random stateless random numbers for noise
 * @param seed the run's seed, for weight initialisation
 * @param optimizers the experiment's optimizer overrides, by objective name
 * @param criticSteps discriminator runs per generator run, from the experiment
 * @param secondDomain the second domain of unpaired two-domain data (then {@link #real} is a batch
 *     of domain A), or null when the data have one domain
 * @param condition what the samples are conditioned on (class labels, say); never null
 * @param augmentations what the discriminator's inputs go through (DiffAugment, say): apply them to
 *     every batch the discriminator judges; {@link Augmentations#none()} when none are selected
 */
public record ModelContext(
    Ops tf,
    DataSpec data,
    Operand<TFloat32> real,
    int batchSize,
    Parameters parameters,
    AdversarialLoss loss,
    List<SelectedRegularizer> regularizers,
    RandomSource random,
    long seed,
    java.util.function.BiFunction<String, OptimizerSpec, OptimizerSpec> optimizers,
    int criticSteps,
    SecondDomain secondDomain,
    Condition condition,
    Augmentations augmentations) {
  private static final Condition UNCONDITIONED = Condition.none("the data carry no condition");

  public ModelContext {
    if (condition == null) {
      throw new IllegalArgumentException("a context without a condition has Condition.none(...), not null");
    }
    if (augmentations == null) {
      throw new IllegalArgumentException("a context without augmentations has Augmentations.none(), not null");
    }
  }

  /** The context of conditioned data without augmentations (API 2.2). */
  public ModelContext(
      Ops tf,
      DataSpec data,
      Operand<TFloat32> real,
      int batchSize,
      Parameters parameters,
      AdversarialLoss loss,
      List<SelectedRegularizer> regularizers,
      RandomSource random,
      long seed,
      java.util.function.BiFunction<String, OptimizerSpec, OptimizerSpec> optimizers,
      int criticSteps,
      SecondDomain secondDomain,
      Condition condition) {
    this(tf, data, real, batchSize, parameters, loss, regularizers, random, seed, optimizers, criticSteps, secondDomain,
        condition, Augmentations.none());
  }

  /** The context of data with two domains or one, and no condition (API 2.1). */
  public ModelContext(
      Ops tf,
      DataSpec data,
      Operand<TFloat32> real,
      int batchSize,
      Parameters parameters,
      AdversarialLoss loss,
      List<SelectedRegularizer> regularizers,
      RandomSource random,
      long seed,
      java.util.function.BiFunction<String, OptimizerSpec, OptimizerSpec> optimizers,
      int criticSteps,
      SecondDomain secondDomain) {
    this(tf, data, real, batchSize, parameters, loss, regularizers, random, seed, optimizers, criticSteps, secondDomain,
        UNCONDITIONED, Augmentations.none());
  }

  /** The context of data with one domain. */
  public ModelContext(
      Ops tf,
      DataSpec data,
      Operand<TFloat32> real,
      int batchSize,
      Parameters parameters,
      AdversarialLoss loss,
      List<SelectedRegularizer> regularizers,
      RandomSource random,
      long seed,
      java.util.function.BiFunction<String, OptimizerSpec, OptimizerSpec> optimizers,
      int criticSteps) {
    this(tf, data, real, batchSize, parameters, loss, regularizers, random, seed, optimizers, criticSteps, null,
        UNCONDITIONED, Augmentations.none());
  }

  /**
   * A builder, so that contexts grow without more constructors: the graph's ops, the data and the
   * real batch are required; a loss and a random source must be set; the rest defaults to no
   * parameters, no regularizers, seed 0, the architecture's own optimizers, one critic step, one
   * domain, no condition and no augmentations.
   */
  public static Builder builder(Ops tf, DataSpec data, Operand<TFloat32> real, int batchSize) {
    return new Builder(tf, data, real, batchSize);
  }

  /** Builds a {@link ModelContext}; see {@link ModelContext#builder}. */
  public static final class Builder {
    private final Ops tf;
    private final DataSpec data;
    private final Operand<TFloat32> real;
    private final int batchSize;
    private Parameters parameters = Parameters.empty("architecture");
    private AdversarialLoss loss;
    private List<SelectedRegularizer> regularizers = List.of();
    private RandomSource random;
    private long seed;
    private java.util.function.BiFunction<String, OptimizerSpec, OptimizerSpec> optimizers = (name, spec) -> spec;
    private int criticSteps = 1;
    private SecondDomain secondDomain;
    private Condition condition = UNCONDITIONED;
    private Augmentations augmentations = Augmentations.none();

    private Builder(Ops tf, DataSpec data, Operand<TFloat32> real, int batchSize) {
      this.tf = tf;
      this.data = data;
      this.real = real;
      this.batchSize = batchSize;
    }

    public Builder parameters(Parameters value) {
      parameters = value;
      return this;
    }

    public Builder loss(AdversarialLoss value) {
      loss = value;
      return this;
    }

    public Builder regularizers(List<SelectedRegularizer> value) {
      regularizers = List.copyOf(value);
      return this;
    }

    public Builder random(RandomSource value) {
      random = value;
      return this;
    }

    public Builder seed(long value) {
      seed = value;
      return this;
    }

    /** The experiment's optimizer overrides: (objective name, the architecture's default) to the one to use. */
    public Builder optimizers(java.util.function.BiFunction<String, OptimizerSpec, OptimizerSpec> value) {
      optimizers = value;
      return this;
    }

    public Builder criticSteps(int value) {
      criticSteps = value;
      return this;
    }

    public Builder secondDomain(SecondDomain value) {
      secondDomain = value;
      return this;
    }

    public Builder condition(Condition value) {
      condition = value;
      return this;
    }

    public Builder augmentations(Augmentations value) {
      augmentations = value;
      return this;
    }

    public ModelContext build() {
      if (loss == null || random == null) {
        throw new IllegalStateException("a model context needs a loss and a random source");
      }
      return new ModelContext(tf, data, real, batchSize, parameters, loss, regularizers, random, seed, optimizers,
          criticSteps, secondDomain, condition, augmentations);
    }
  }

  /**
   * The second domain, for architectures that translate between two.
   *
   * @param architecture the architecture's name, for the message
   * @throws ParameterException when the data have one domain
   */
  public SecondDomain requireSecondDomain(String architecture) {
    if (secondDomain == null) {
      throw new ParameterException("architecture '" + architecture + "' translates between two domains and the"
          + " dataset has one (" + data + "); choose a dataset of unpaired two-domain data");
    }
    return secondDomain;
  }

  /** The optimizer for objective {@code name}: the architecture's default with the experiment's overrides. */
  public OptimizerSpec optimizer(String name, OptimizerSpec fallback) {
    return optimizers.apply(name, fallback);
  }

  /**
   * Domain B of unpaired data.
   *
   * @param data shape of one sample of B
   * @param real a batch of B, shape {@code [batch, ...sample]}, fresh with every objective run
   */
  public record SecondDomain(DataSpec data, Operand<TFloat32> real) {}

  /** A regularizer chosen by the experiment, with its parameters. */
  public record SelectedRegularizer(String name, Regularizer regularizer, Parameters parameters) {}
}
