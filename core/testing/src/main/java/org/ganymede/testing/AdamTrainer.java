package org.ganymede.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.ganymede.api.Objective;
import org.ganymede.api.OptimizerSpec;
import org.ganymede.nn.AdamOptimizer;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Trains a built model as a trainer would: each objective due at the step, in order, its repeats times,
 * with its own Adam updating only its own variables, on a fresh real batch (of each domain, for
 * two) and a fresh seed; then the model's after-step ops (a moving average of weights, say), in
 * order.
 */
public final class AdamTrainer {
  private final GanHarness gan;
  private final List<Op> updates = new ArrayList<>();
  private long runs;
  private long steps;

  /** Adds the update ops to the graph; create it before the harness's session. */
  public AdamTrainer(GanHarness gan) {
    this.gan = gan;
    for (Objective objective : gan.model.objectives()) {
      updates.add(update(objective));
    }
  }

  /** One training step; {@code realBatch} gives a flattened real batch each time it is asked. */
  public void step(Supplier<float[]> realBatch) {
    step(realBatch, () -> null); // no batch of B: the data have one domain
  }

  /**
   * One training step on unpaired two-domain data: every objective run gets a fresh batch of each
   * domain.
   */
  public void step(Supplier<float[]> realA, Supplier<float[]> realB) {
    for (int i = 0; i < updates.size(); i++) {
      Objective objective = gan.model.objectives().get(i);
      if (!objective.runsAt(steps)) {
        continue;
      }
      Op update = updates.get(i);
      for (int repeat = 0; repeat < objective.repeats(); repeat++) {
        gan.run(realA.get(), realB.get(), runs++, runner -> runner.addTarget(update)).close();
      }
    }
    afterStep();
  }

  /** A real batch, flattened, and the label of each of its rows. */
  public record LabelledBatch(float[] samples, int[] labels) {}

  /** One training step on labelled data: every objective run gets a fresh batch with its labels. */
  public void stepLabelled(Supplier<LabelledBatch> real) {
    for (int i = 0; i < updates.size(); i++) {
      Objective objective = gan.model.objectives().get(i);
      if (!objective.runsAt(steps)) {
        continue;
      }
      Op update = updates.get(i);
      for (int repeat = 0; repeat < objective.repeats(); repeat++) {
        LabelledBatch batch = real.get();
        gan.run(batch.samples(), null, batch.labels(), runs++, runner -> runner.addTarget(update)).close();
      }
    }
    afterStep();
  }

  private void afterStep() {
    if (!gan.model.afterStep().isEmpty()) {
      Session.Runner runner = gan.session().runner();
      gan.model.afterStep().forEach(runner::addTarget);
      runner.run().close();
    }
    steps++;
  }

  private Op update(Objective objective) {
    OptimizerSpec spec = objective.optimizer();
    if (!spec.type().equals("adam")) {
      throw new IllegalArgumentException("this trainer runs Adam only, not " + spec.type());
    }
    List<Variable<TFloat32>> variables = objective.variables();
    Output<?>[] outputs = variables.stream().map(Variable::asOutput).toArray(Output<?>[]::new);
    Output<?>[] gradients = gan.graph.addGradients(objective.loss().asOutput(), outputs);
    List<Operand<TFloat32>> floatGradients = new ArrayList<>();
    for (Output<?> g : gradients) {
      floatGradients.add(floats(g));
    }
    Ops tf = Ops.create(gan.graph);
    return AdamOptimizer.step(tf, "train_" + objective.name(), variables, floatGradients,
        tf.constant((float) spec.learningRate()), (float) spec.beta1(), (float) spec.beta2(), (float) spec.epsilon());
  }

  @SuppressWarnings("unchecked")
  private static Output<TFloat32> floats(Output<?> o) {
    return (Output<TFloat32>) o;
  }
}
