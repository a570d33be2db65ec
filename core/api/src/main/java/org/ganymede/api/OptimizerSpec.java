package org.ganymede.api;

import java.util.List;

/**
 * Which optimizer trains an objective. Architectures give defaults; the experiment overrides.
 *
 * @param type {@code adam} or {@code rmsprop}
 * @param learningRate the step size
 * @param beta1 Adam's first-moment decay; RMSProp's momentum
 * @param beta2 Adam's second-moment decay; RMSProp's decay
 * @param epsilon the denominator's guard
 * @param decayStart the step from which the learning rate falls linearly (CycleGAN's schedule); 0
 *     with {@code decayEnd} 0 for a constant rate
 * @param decayEnd the step at which it reaches 0 and stays
 */
public record OptimizerSpec(
    String type, double learningRate, double beta1, double beta2, double epsilon, long decayStart, long decayEnd) {
  public static final List<String> TYPES = List.of("adam", "rmsprop");

  public OptimizerSpec {
    if (!TYPES.contains(type)) {
      throw new ParameterException("optimizer type '" + type + "' is unknown; allowed: " + String.join(", ", TYPES));
    }
    if (!(learningRate > 0)) {
      throw new ParameterException("optimizer learning rate must be positive, was " + learningRate);
    }
    if (decayStart < 0 || decayEnd < 0 || (decayEnd != 0 && decayEnd <= decayStart)) {
      throw new ParameterException("optimizer decay_end must come after decay_start (both steps, 0 and 0 for no decay);"
          + " got decay_start " + decayStart + ", decay_end " + decayEnd);
    }
  }

  /** A constant learning rate. */
  public OptimizerSpec(String type, double learningRate, double beta1, double beta2, double epsilon) {
    this(type, learningRate, beta1, beta2, epsilon, 0, 0);
  }

  /** Whether the rate falls: constant before decayStart, then linearly to 0 at decayEnd. */
  public boolean decays() {
    return decayEnd > 0;
  }

  public static OptimizerSpec adam(double learningRate, double beta1, double beta2) {
    return new OptimizerSpec("adam", learningRate, beta1, beta2, 1e-8);
  }

  public static OptimizerSpec rmsprop(double learningRate) {
    return new OptimizerSpec("rmsprop", learningRate, 0.0, 0.9, 1e-10);
  }

  /**
   * This spec with the keys of {@code overrides} (type, lr, beta1, beta2, epsilon, decay_start,
   * decay_end) applied.
   */
  public OptimizerSpec with(Parameters overrides) {
    String t = overrides.choice("type", type, TYPES);
    return new OptimizerSpec(
        t,
        overrides.positive("lr", learningRate),
        overrides.nonNegative("beta1", t.equals(type) ? beta1 : t.equals("adam") ? 0.9 : 0.0),
        overrides.nonNegative("beta2", t.equals(type) ? beta2 : t.equals("adam") ? 0.999 : 0.9),
        overrides.positive("epsilon", t.equals(type) ? epsilon : t.equals("adam") ? 1e-8 : 1e-10),
        overrides.longValue("decay_start", decayStart),
        overrides.longValue("decay_end", decayEnd));
  }
}
