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
    int criticSteps) {

  /** The optimizer for objective {@code name}: the architecture's default with the experiment's overrides. */
  public OptimizerSpec optimizer(String name, OptimizerSpec fallback) {
    return optimizers.apply(name, fallback);
  }

  /** A regularizer chosen by the experiment, with its parameters. */
  public record SelectedRegularizer(String name, Regularizer regularizer, Parameters parameters) {}
}
