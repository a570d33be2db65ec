package org.ganymede.nn;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Creates a network's variables with repeatable initial values: every variable draws from a
 * stateless generator keyed by the network's seed and the variable's position, so the same seed
 * gives the same weights on every run.
 */
public final class Weights {
  private final Ops tf;
  private final long seed;
  private final List<Variable<TFloat32>> variables = new ArrayList<>();
  private final List<Variable<TFloat32>> state = new ArrayList<>();
  private final List<Op> updates = new ArrayList<>();

  Weights(Ops tf, long seed) {
    this.tf = tf;
    this.seed = seed;
  }

  /**
   * Weights of a network that is not a plain stack of layers (skip connections, several inputs):
   * create its layers through them, then hand {@link #variables()} to its objectives.
   */
  public static Weights seeded(Ops tf, long seed) {
    return new Weights(tf, seed);
  }

  /** A variable drawn from N(mean, stddev^2). */
  public Variable<TFloat32> normal(String name, Shape shape, float mean, float stddev) {
    Ops init = tf.withInitScope();
    Operand<TFloat32> draw = init.random.statelessRandomNormal(
        init.constant(shape.asArray()), init.constant(new long[] {seed, variables.size()}));
    Operand<TFloat32> value = init.math.add(init.math.mul(draw, init.constant(stddev)), init.constant(mean));
    return register(tf.withName(name).variable(value));
  }

  /** A variable filled with {@code value}. */
  public Variable<TFloat32> constant(String name, Shape shape, float value) {
    Ops init = tf.withInitScope();
    return register(tf.withName(name).variable(init.fill(init.constant(shape.asArray()), init.constant(value))));
  }

  /** The graph's ops the variables are created with. */
  public Ops ops() {
    return tf;
  }

  /** Every trained variable created so far, in order. */
  public List<Variable<TFloat32>> variables() {
    return List.copyOf(variables);
  }

  /**
   * A variable that is not trained but updated by an op of its layer (spectral normalisation's
   * power-iteration vector, say), drawn from N(0, 1): checkpoints keep it, optimizers never see it.
   */
  public Variable<TFloat32> untrained(String name, Shape shape) {
    Ops init = tf.withInitScope();
    Variable<TFloat32> v = tf.withName(name).variable(init.random.statelessRandomNormal(
        init.constant(shape.asArray()), init.constant(new long[] {seed, -1 - state.size()})));
    state.add(v);
    return v;
  }

  /** Registers an op that updates untrained variables once per training step; see {@link #updates()}. */
  public void addUpdate(Op update) {
    updates.add(update);
  }

  /** The untrained variables created so far, in order. */
  public List<Variable<TFloat32>> untrainedVariables() {
    return List.copyOf(state);
  }

  /** The ops to run after every training step (hand them to {@code GanModel.afterStep}), in order. */
  public List<Op> updates() {
    return List.copyOf(updates);
  }

  private Variable<TFloat32> register(Variable<TFloat32> v) {
    variables.add(v);
    return v;
  }
}
