package org.ganymede.launcher;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ganymede.api.ExperimentRunner.RunOptions;
import org.ganymede.api.RunOutcome;
import org.ganymede.nn.WorkerGroup;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.types.TFloat32;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Data-parallel training's cost: the benchmark DCGAN (32x32x1, base width 64, global batch 64)
 * trained by one process and by N worker processes on this host, and the all-reduces of its
 * gradients timed alone between N processes, so that the exchange's share of a step shows.
 */
@Command(name = "workers", description = "Time the benchmark DCGAN trained by one process and by --workers N "
    + "processes on this host, and the gradient all-reduce alone.")
final class WorkersBench implements Callable<Integer> {
  private static final String EXPERIMENT = """
      name: bench-workers
      bundles: [dcgan, losses, datasets]
      architecture: {name: dcgan, base_width: 64}
      loss: non-saturating
      dataset: {name: fashion-mnist, resolution: 32}
      training: {steps: %d, batch: 64, seed: 7}
      output: {log_every: 1000000, sample_every: 1000000, checkpoint_every: 1000000, grid: 16}
      """;

  @Option(names = "--workers", defaultValue = "2", description = "worker processes (default ${DEFAULT-VALUE})")
  int workers;

  @Option(names = "--steps", defaultValue = "60", description = "timed steps (default ${DEFAULT-VALUE})")
  int steps;

  @Option(names = "--warmup", defaultValue = "10", description = "untimed steps first (default ${DEFAULT-VALUE})")
  int warmup;

  @Override
  public Integer call() throws Exception {
    if (workers < 2) {
      throw new org.ganymede.api.ParameterException("--workers must be 2 or more, was " + workers);
    }
    Path work = Files.createTempDirectory("ganymede-bench-workers");
    Path experiment = work.resolve("bench.yaml");
    Files.writeString(experiment, String.format(EXPERIMENT, warmup + steps));
    double alone;
    try (GanymedeHost host = GanymedeHost.start(Distribution.current(), Main.selectedBundles(experiment))) {
      Main.reportProblems(host);
      RunOutcome run = host.runner().train(experiment, new RunOptions(List.of(), () -> false, work.resolve("alone"), 0));
      alone = run.stepsPerSecond();
    }
    System.out.printf("one process:  %.3f steps/s (batch 64)%n", alone);
    Path together = work.resolve("workers");
    int code = LocalCluster.run(List.of("train", experiment.toString(), "--run-dir", together.toString()), workers, 600,
        new java.io.PrintStream(java.io.OutputStream.nullOutputStream()), System.err);
    if (code != 0) {
      System.err.println("error: the " + workers + " workers failed (exit code " + code + ")");
      return code;
    }
    double parallel = lastStepsPerSecond(together);
    System.out.printf("%d workers:    %.3f steps/s (global batch 64, %d each)%n", workers, parallel, 64 / workers);

    Map<String, Long> exchanges = exchangeSizes(together);
    List<String> command = new ArrayList<>(List.of("bench", "all-reduce", "--steps", String.valueOf(steps)));
    exchanges.values().forEach(n -> command.addAll(List.of("--floats", String.valueOf(n))));
    java.io.ByteArrayOutputStream timings = new java.io.ByteArrayOutputStream();
    code = LocalCluster.run(command, workers, 600, new java.io.PrintStream(timings, true), System.err);
    if (code != 0) {
      System.err.println("error: the all-reduce workers failed (exit code " + code + ")");
      return code;
    }
    // Worker 0's lines are its timings and whatever TensorFlow logged: the timings are the line of numbers.
    String[] millis = timings.toString().lines().filter(l -> l.matches("[0-9. ]+")).reduce((a, b) -> b)
        .orElseThrow(() -> new IllegalStateException("the all-reduce workers printed no timings: " + timings))
        .trim().split("\\s+");
    double perStep = 0;
    int i = 0;
    for (Map.Entry<String, Long> e : exchanges.entrySet()) {
      double ms = Double.parseDouble(millis[i++]);
      perStep += ms;
      System.out.printf("all-reduce of %s: %,d floats, %.2f ms%n", e.getKey(), e.getValue(), ms);
    }
    System.out.printf("all-reduce per step: %.2f ms, %.1f %% of a %d-worker step (%.1f ms)%n", perStep,
        100 * perStep / (1000 / parallel), workers, 1000 / parallel);
    System.out.printf("%d workers/one process = %.3f%n", workers, parallel / alone);
    return 0;
  }

  /** Steps per second of the timed steps, from the run's last log line. */
  private static double lastStepsPerSecond(Path run) throws Exception {
    List<String> lines = Files.readAllLines(run.resolve("metrics.jsonl"));
    JsonObject last = JsonParser.parseString(lines.get(lines.size() - 1)).getAsJsonObject();
    return last.get("steps_per_second").getAsDouble();
  }

  /** The floats each objective's exchange carries (its gradients, loss and stop vote), from the graph. */
  private static Map<String, Long> exchangeSizes(Path run) throws Exception {
    Map<String, Long> sizes = new LinkedHashMap<>();
    try (Graph graph = new Graph()) {
      graph.importGraphDef(GraphDef.parseFrom(Files.readAllBytes(run.resolve("model/graph.pb"))));
      for (Iterator<GraphOperation> it = graph.operations(); it.hasNext(); ) {
        GraphOperation op = it.next();
        if (op.type().equals("CollectiveReduceV2")) {
          String objective = op.name().substring("exchange_".length(), op.name().indexOf('/'));
          sizes.put(objective, op.input(0).shape().size());
        }
      }
    }
    return sizes;
  }

  /** One worker of the all-reduce timing: the exchanges of a step, one after the other, as the trainer runs them. */
  @Command(name = "all-reduce", hidden = true, description = "Time all-reduces of the given sizes between workers.")
  static final class AllReduce implements Callable<Integer> {
    @Option(names = "--floats", required = true, description = "an all-reduce of this many floats (repeat)")
    List<Long> sizes;

    @Option(names = "--steps", defaultValue = "60")
    int steps;

    @Mixin
    Main.ClusterOptions cluster;

    @Override
    public Integer call() throws Exception {
      org.ganymede.api.ExperimentRunner.Cluster place = cluster.cluster();
      WorkerGroup group = new WorkerGroup(place.workers(), place.rank(), place.timeoutSeconds());
      try (Graph graph = new Graph()) {
        Ops tf = Ops.create(graph);
        List<Placeholder<TFloat32>> inputs = new ArrayList<>();
        List<Operand<TFloat32>> means = new ArrayList<>();
        for (long n : sizes) {
          Placeholder<TFloat32> in = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(n)));
          inputs.add(in);
          means.add(group.mean(tf, in));
        }
        double[] total = new double[sizes.size()];
        try (Session session = group.open(graph)) {
          for (int step = 0; step < 10 + steps; step++) {
            for (int k = 0; k < sizes.size(); k++) {
              try (TFloat32 values = TFloat32.tensorOf(Shape.of(sizes.get(k)))) {
                long start = System.nanoTime();
                session.runner().feed(inputs.get(k), values).fetch(means.get(k)).run().close();
                if (step >= 10) {
                  total[k] += (System.nanoTime() - start) / 1e6;
                }
              }
            }
          }
        }
        if (place.chief()) {
          for (double t : total) {
            System.out.printf("%.4f ", t / steps);
          }
          System.out.println();
        }
      }
      return 0;
    }
  }
}
