package org.ganymede.nn;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.BytePointer;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Server;
import org.tensorflow.Session;
import org.tensorflow.internal.c_api.TF_Graph;
import org.tensorflow.internal.c_api.TF_Session;
import org.tensorflow.internal.c_api.TF_SessionOptions;
import org.tensorflow.internal.c_api.TF_Status;
import org.tensorflow.internal.c_api.global.tensorflow;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ClusterDef;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.JobDef;
import org.tensorflow.proto.ServerDef;
import org.tensorflow.types.TFloat32;

/**
 * One process's place in a group of TensorFlow workers that average tensors with collective
 * all-reduce: its gRPC server, sessions that run through that server (a plain session's collective
 * executor knows only its own process), and the all-reduce itself. The engine's data-parallel
 * training uses it; so can a host that trains graphs of its own.
 */
public final class WorkerGroup {
  private static final String JOB = "worker";
  private static final String LEADER = "/job:" + JOB + "/replica:0/task:0";
  /** All reduces of one group share a group key; each op has its own instance key, equal on every worker. */
  private static final int GROUP_KEY = 1;
  /**
   * TensorFlow cannot stop a gRPC server ({@code Server.close} answers Unimplemented), so a server
   * lives as long as the process: another group in the same process at the same place reuses it.
   */
  private static final Map<ServerDef, Server> SERVERS = new HashMap<>();

  private final List<String> workers;
  private final int rank;
  private final int timeoutSeconds;
  private int instanceKeys;

  /**
   * @param workers every worker's server address, {@code host:port}, in rank order
   * @param rank this process's place in {@code workers}
   * @param timeoutSeconds how long an all-reduce waits for the other workers before it fails
   */
  public WorkerGroup(List<String> workers, int rank, int timeoutSeconds) {
    this.workers = List.copyOf(workers);
    this.rank = rank;
    this.timeoutSeconds = timeoutSeconds;
  }

  public int size() {
    return workers.size();
  }

  public int rank() {
    return rank;
  }

  /** A session over {@code graph} that runs through this worker's server, starting the server the first time. */
  public Session open(Graph graph) {
    String target = "grpc://" + startServer();
    ConfigProto config = ConfigProto.newBuilder()
        .addDeviceFilters("/job:" + JOB + "/task:" + rank)
        .setExperimental(ConfigProto.Experimental.newBuilder().setCollectiveGroupLeader(LEADER))
        .build();
    TF_Status status = TF_Status.newStatus();
    TF_SessionOptions options = tensorflow.TF_NewSessionOptions();
    try {
      tensorflow.TF_SetTarget(options, target);
      byte[] bytes = config.toByteArray();
      tensorflow.TF_SetConfig(options, new BytePointer(bytes), bytes.length, status);
      status.throwExceptionIfNotOK();
      return wrap(graph, options, status);
    } finally {
      tensorflow.TF_DeleteSessionOptions(options);
    }
  }

  /**
   * The mean over all workers of {@code vector} (1-D), by TensorFlow's {@code CollectiveReduceV2}.
   * Every worker must build its reduces in the same order: the n-th reduce of each graph meets the
   * n-th of the others. Build one group per graph.
   */
  public Operand<TFloat32> mean(Ops tf, Operand<TFloat32> vector) {
    int instance = ++instanceKeys;
    return tf.scope().opBuilder("CollectiveReduceV2", "all_reduce_" + instance)
        .addInput(vector.asOutput())
        .addInput(tf.constant(size()).asOutput())
        .addInput(tf.constant(GROUP_KEY).asOutput())
        .addInput(tf.constant(instance).asOutput())
        .addInputList(new org.tensorflow.Output<?>[0]) // no ordering tokens
        .setAttr("merge_op", "Add")
        .setAttr("final_op", "Div")
        .setAttr("timeout_seconds", (float) timeoutSeconds)
        .build().<TFloat32>output(0);
  }

  private String startServer() {
    JobDef.Builder job = JobDef.newBuilder().setName(JOB);
    for (int i = 0; i < workers.size(); i++) {
      job.putTasks(i, workers.get(i));
    }
    ServerDef def = ServerDef.newBuilder()
        .setCluster(ClusterDef.newBuilder().addJob(job))
        .setJobName(JOB)
        .setTaskIndex(rank)
        .setProtocol("grpc")
        // The collective group's leader must be known to the server itself, not only to sessions.
        .setDefaultSessionConfig(ConfigProto.newBuilder()
            .setExperimental(ConfigProto.Experimental.newBuilder().setCollectiveGroupLeader(LEADER)))
        .build();
    synchronized (SERVERS) {
      if (!SERVERS.containsKey(def)) {
        if (!SERVERS.isEmpty()) {
          throw new IllegalStateException("this process already serves another place in a cluster ("
              + SERVERS.keySet().iterator().next().getCluster() + "); TensorFlow cannot stop a server, so one process"
              + " is one worker");
        }
        Server server;
        try {
          server = new Server(def);
          server.start();
        } catch (RuntimeException e) {
          throw new IllegalArgumentException("worker " + rank + " could not serve at " + workers.get(rank) + ": "
              + e.getMessage() + " (is the port taken?)", e);
        }
        SERVERS.put(def, server);
      }
    }
    String address = workers.get(rank);
    return "localhost" + address.substring(address.lastIndexOf(':'));
  }

  /**
   * TF Java gives no public way to a session with a target; its package-private constructor over
   * a native session does the rest, as a session over the same graph.
   */
  private static Session wrap(Graph graph, TF_SessionOptions options, TF_Status status) {
    try {
      Method ref = Graph.class.getDeclaredMethod("ref");
      ref.setAccessible(true);
      try (AutoCloseable reference = (AutoCloseable) ref.invoke(graph)) {
        Method handle = reference.getClass().getDeclaredMethod("nativeHandle");
        handle.setAccessible(true);
        TF_Session session = tensorflow.TF_NewSession((TF_Graph) handle.invoke(reference), options, status);
        status.throwExceptionIfNotOK();
        Constructor<Session> constructor = Session.class.getDeclaredConstructor(Graph.class, TF_Session.class);
        constructor.setAccessible(true);
        return constructor.newInstance(graph, session);
      }
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("this TensorFlow Java has no session over a native handle (" + e
          + "): a worker group needs TF Java 1.1", e);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
