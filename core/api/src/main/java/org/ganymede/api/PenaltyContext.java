package org.ganymede.api;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * What a regularizer sees.
 *
 * @param tf the graph's ops, scoped for this penalty
 * @param critic the discriminator, to apply to points of the regularizer's choosing
 * @param real the real batch
 * @param fake the generated batch
 * @param parameters the experiment's parameters for this regularizer
 * @param random stateless random numbers, repeatable for a given seed and step
 */
public record PenaltyContext(
    Ops tf,
    Critic critic,
    Operand<TFloat32> real,
    Operand<TFloat32> fake,
    Parameters parameters,
    RandomSource random) {}
