package org.ganymede.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The augmentations an experiment selected, in its order, as an architecture applies them: to
 * every batch its discriminator judges ({@link #apply}, or {@link #judged} for a critic), and with
 * the discriminator's loss the statistics they watch ({@link #observed}). The engine refuses a run
 * whose architecture selected augmentations but never applied them.
 */
public final class Augmentations {
  private static final Augmentations NONE = new Augmentations(List.of());

  private final List<Selected> stages;
  private boolean applied;
  private boolean observed;

  private Augmentations(List<Selected> stages) {
    this.stages = List.copyOf(stages);
  }

  /** No augmentation: {@link #apply} is the identity. */
  public static Augmentations none() {
    return NONE;
  }

  /** These built augmentations, applied in order. */
  public static Augmentations of(List<Selected> stages) {
    return stages.isEmpty() ? NONE : new Augmentations(stages);
  }

  /** An augmentation the experiment selected, by its name, as built into the graph. */
  public record Selected(String name, Augmentation.Stage stage) {}

  public boolean isEmpty() {
    return stages.isEmpty();
  }

  /** The selected augmentations' names, in order. */
  public List<String> names() {
    return stages.stream().map(Selected::name).toList();
  }

  /** The batch as the discriminator sees it: every augmentation in order, each drawing anew. */
  public Operand<TFloat32> apply(Operand<TFloat32> batch) {
    if (stages.isEmpty()) {
      return batch;
    }
    applied = true;
    Operand<TFloat32> x = batch;
    for (Selected s : stages) {
      x = s.stage().apply(x);
    }
    return x;
  }

  /** The critic as training sees it: the augmentations, then {@code critic}. */
  public Critic judged(Critic critic) {
    return stages.isEmpty() ? critic : x -> critic.apply(apply(x));
  }

  /**
   * The discriminator's loss with the augmentations' watching ops attached: running the loss runs
   * them, once per discriminator step.
   *
   * @param realLogits the discriminator's logits on the (augmented) real batch
   */
  public Operand<TFloat32> observed(Ops tf, Operand<TFloat32> discriminatorLoss, Operand<TFloat32> realLogits) {
    if (stages.isEmpty()) {
      return discriminatorLoss;
    }
    observed = true;
    List<Op> watching = new ArrayList<>();
    for (Selected s : stages) {
      watching.addAll(s.stage().observeReal(realLogits));
    }
    return watching.isEmpty() ? discriminatorLoss : tf.withControlDependencies(watching).identity(discriminatorLoss);
  }

  /** Whether an architecture applied the augmentations to what its discriminator judges. */
  public boolean applied() {
    return applied;
  }

  /** Whether an architecture attached the augmentations' watching ops to its discriminator's loss. */
  public boolean observedReal() {
    return observed;
  }

  /** Every augmentation's after-step ops, in order. */
  public List<Op> afterStep() {
    List<Op> ops = new ArrayList<>();
    stages.forEach(s -> ops.addAll(s.stage().afterStep()));
    return ops;
  }

  /** Every augmentation's logged values, by name. */
  public Map<String, Operand<TFloat32>> scalars() {
    Map<String, Operand<TFloat32>> all = new LinkedHashMap<>();
    stages.forEach(s -> all.putAll(s.stage().scalars()));
    return all;
  }
}
