package org.ganymede.engine.internal;

import org.ganymede.api.ExperimentRunner.Cluster;
import org.ganymede.nn.WorkerGroup;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** This process's place in a run's cluster of data-parallel workers: its share of the work, its exchanges. */
final class Workers {
  final Cluster cluster;
  private final WorkerGroup group;

  Workers(Cluster cluster) {
    this.cluster = cluster;
    this.group = new WorkerGroup(cluster.workers(), cluster.rank(), cluster.timeoutSeconds());
  }

  int size() {
    return cluster.workers().size();
  }

  int rank() {
    return cluster.rank();
  }

  boolean chief() {
    return cluster.chief();
  }

  /** This worker's share of a global batch; the global batch must split evenly. */
  int localBatch(int globalBatch) {
    if (globalBatch % size() != 0) {
      throw new org.ganymede.api.ParameterException("training.batch is " + globalBatch + ", the global batch of "
          + size() + " workers: it must be a multiple of " + size() + " so that each worker takes an equal share");
    }
    return globalBatch / size();
  }

  /** A session over {@code graph} through this worker's TensorFlow server. */
  Session open(Graph graph) {
    try {
      return group.open(graph);
    } catch (IllegalArgumentException e) {
      throw new org.ganymede.api.ParameterException(e.getMessage());
    }
  }

  /** The mean of {@code vector} over all workers. */
  Operand<TFloat32> mean(Ops tf, Operand<TFloat32> vector) {
    return group.mean(tf, vector);
  }

  /** What a failed exchange means, for the run's message. */
  String explain(RuntimeException e) {
    String message = String.valueOf(e.getMessage());
    String cause = message.contains("timed out") || message.contains("DEADLINE")
        ? "a worker did not reach the exchange within " + cluster.timeoutSeconds() + " s"
        : "the exchange with the other workers failed";
    return "worker " + rank() + " of " + String.join(",", cluster.workers()) + ": " + cause + " ("
        + message.lines().findFirst().orElse("") + "); the last checkpoint is kept, and 'ganymede resume' with the"
        + " same workers continues the run";
  }
}
