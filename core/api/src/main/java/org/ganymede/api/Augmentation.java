package org.ganymede.api;

import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.types.TFloat32;

/**
 * A change to every batch the discriminator judges, real and generated alike, differentiable so
 * that the generator learns through it (DiffAugment, ADA, instance noise). A service with a
 * {@code name}; experiments select augmentations by name under {@code augmentations:}.
 */
public interface Augmentation {
  /** Builds this augmentation into a run's graph, once per run. */
  Stage build(AugmentationContext context);

  /** One augmentation as built into a run's graph. */
  interface Stage {
    /**
     * The batch as the discriminator sees it. Each call draws new randomness (from the run's
     * stateless numbers, so a resumed run draws the same); at strength 0 it is the identity.
     */
    Operand<TFloat32> apply(Operand<TFloat32> batch);

    /**
     * Ops to run with every discriminator step, given the discriminator's logits on the real batch
     * (ADA's overfitting statistic, say); none by default.
     */
    default List<Op> observeReal(Operand<TFloat32> realLogits) {
      return List.of();
    }

    /** Ops the trainer runs after each training step (ADA's adjustment of its probability); none by default. */
    default List<Op> afterStep() {
      return List.of();
    }

    /** Values to log with the losses, by name (a probability, a noise level); none by default. */
    default Map<String, Operand<TFloat32>> scalars() {
      return Map.of();
    }
  }
}
