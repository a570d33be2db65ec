package org.ganymede.engine.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ganymede.api.ParameterException;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.types.family.TType;

/**
 * {@code training.init_from}: a new run's variables take the values of another run's checkpoint
 * where name and shape match (fine-tuning, transfer). The source run's exported graph is restored
 * in a graph of its own, from a private copy of its checkpoint, so a run training there is not
 * disturbed. A variable the source lacks or holds in another shape is an error unless the
 * experiment skips it; the optimizers' state is loaded only when asked.
 */
final class WeightTransfer {
  private WeightTransfer() {}

  /**
   * What was loaded.
   *
   * @param loaded variables that took the source's values
   * @param skipped variables left fresh as {@code skip} asked
   * @param optimizerState optimizer variables left fresh because {@code optimizer} is false
   */
  record Report(String source, long step, List<String> loaded, List<String> skipped, List<String> optimizerState) {
    String describe() {
      return "initialised from " + source + " at step " + step + ": " + loaded.size() + " variables loaded"
          + (skipped.isEmpty() ? "" : ", " + skipped.size() + " skipped (" + String.join(", ", skipped) + ")")
          + (optimizerState.isEmpty() ? "" : ", the optimizers' " + optimizerState.size() + " fresh");
    }
  }

  static Report apply(TrainingGraph target, Experiment.InitFrom from) throws IOException {
    RunDirectory source = new RunDirectory(from.run());
    if (!Files.exists(source.experimentFile()) || !Files.exists(source.graphFile())) {
      throw new ParameterException("training.init_from.run: " + source.root() + " is not a run folder with a "
          + "checkpoint (it needs " + RunDirectory.EXPERIMENT + " and model/graph.pb)");
    }
    java.nio.file.Path chosen = source.choose(from.checkpoint(), "initialise from");
    try (CheckpointFiles.Snapshot snapshot = CheckpointFiles.Snapshot.of(chosen);
        Graph graph = new Graph();
        Session session = new Session(graph)) {
      graph.importGraphDef(GraphDef.parseFrom(Files.readAllBytes(source.graphFile())));
      session.restore(RunDirectory.weightsPrefix(snapshot.dir()));
      long step = RunDirectory.readState(snapshot.dir()).step();

      List<String> loaded = new ArrayList<>();
      List<String> skipped = new ArrayList<>();
      List<String> optimizerState = new ArrayList<>();
      List<String> differing = new ArrayList<>();
      for (String name : TrainingGraph.variableNames(target.graph)) {
        boolean optimizer = !target.modelVariables.contains(name);
        if (optimizer && !from.optimizer()) {
          optimizerState.add(name);
        } else if (from.skips(name)) {
          skipped.add(name);
        } else if (graph.operation(name) == null) {
          differing.add(name + " (not in the source)");
        } else {
          String have = target.graph.operation(name).output(0).shape().toString();
          String there = graph.operation(name).output(0).shape().toString();
          if (!have.equals(there)) {
            differing.add(name + " (" + have + " here, " + there + " there)");
          } else {
            loaded.add(name);
          }
        }
      }
      if (!differing.isEmpty()) {
        throw new ParameterException("training.init_from: " + differing.size() + " variable"
            + (differing.size() == 1 ? "" : "s") + " of this run cannot take values from " + chosen + ": "
            + String.join(", ", differing) + "; list them under training.init_from.skip (names, or prefixes ending in"
            + " *) to train them from fresh values");
      }
      copy(session, target, loaded);
      return new Report(source.root().toString(), step, loaded, skipped, optimizerState);
    }
  }

  /** Fetches the values from the source session and assigns them in the target's, in one run each. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void copy(Session from, TrainingGraph target, List<String> names) {
    if (names.isEmpty()) {
      return;
    }
    Session.Runner fetch = from.runner();
    names.forEach(fetch::fetch);
    try (Result values = fetch.run()) {
      Ops tf = target.tf.withSubScope("init_from");
      Map<Placeholder<?>, Tensor> feeds = new LinkedHashMap<>();
      List<org.tensorflow.op.Op> assigns = new ArrayList<>();
      for (int i = 0; i < names.size(); i++) {
        Tensor value = values.get(i);
        Output variable = target.graph.operation(names.get(i)).output(0);
        Placeholder placeholder = tf.placeholder((Class<TType>) ((TType) value).type());
        feeds.put(placeholder, value);
        assigns.add(tf.assign((Operand) variable, placeholder));
      }
      Session.Runner assign = target.session.runner();
      feeds.forEach(assign::feed);
      assigns.forEach(assign::addTarget);
      assign.run();
    }
  }
}
