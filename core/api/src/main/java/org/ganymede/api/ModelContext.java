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
    SecondDomain secondDomain) {

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
    this(tf, data, real, batchSize, parameters, loss, regularizers, random, seed, optimizers, criticSteps, null);
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
