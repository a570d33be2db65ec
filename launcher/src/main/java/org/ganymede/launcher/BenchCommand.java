package org.ganymede.launcher;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.ganymede.api.ExperimentRunner.RunOptions;
import org.ganymede.api.RunOutcome;
import org.ganymede.nn.Precision;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The framework's overhead: the benchmark DCGAN (32x32x1, base width 64, batch 64) trained
 * through the whole framework, and the very same graph (exported by that run) driven by a bare
 * TensorFlow Java loop in the same process. The bare loop runs before and after the framework,
 * and their mean is the reference.
 */
@Command(name = "bench", subcommands = {MetricsBench.class, StabiliserBench.class, WorkersBench.class,
    WorkersBench.AllReduce.class},
    description = "Measure the framework's training speed against a bare TensorFlow loop ('bench metrics': the metrics'"
        + " speed; 'bench stabilisers': what each stabiliser costs a step; 'bench workers': data-parallel training"
        + " against one process).")
final class BenchCommand implements Callable<Integer> {
  private static final String EXPERIMENT = """
      name: bench-dcgan32
      bundles: [dcgan, losses, datasets]
      architecture: {name: dcgan, base_width: %d}
      loss: non-saturating
      dataset: {name: fashion-mnist, resolution: 32}
      training: {steps: %d, batch: 64, seed: 7, precision: %s}
      output: {log_every: 50, sample_every: 1000000, checkpoint_every: 1000000, grid: 16}
      """;

  @Option(names = "--steps", defaultValue = "60", description = "timed steps per loop (default ${DEFAULT-VALUE})")
  int steps;

  @Option(names = "--warmup", defaultValue = "10", description = "untimed steps first (default ${DEFAULT-VALUE})")
  int warmup;

  @Option(names = "--precision", defaultValue = "fp32", description = "fp32 (the framework against a bare loop) or"
      + " bf16 (bf16 against fp32, each against its matmul limit; default ${DEFAULT-VALUE})")
  String precision;

  @Option(names = "--base-width", defaultValue = "64", description = "the DCGAN's base width: 64 the benchmark"
      + " network, 32 the main job's (default ${DEFAULT-VALUE})")
  int baseWidth;

  @Override
  public Integer call() throws Exception {
    Precision chosen;
    try {
      chosen = Precision.named(precision);
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "--" + e.getMessage());
    }
    if (chosen == Precision.BF16) {
      return PrecisionBench.run(EXPERIMENT, baseWidth, warmup, steps);
    }
    Path work = Files.createTempDirectory("ganymede-bench");
    Path experiment = work.resolve("bench.yaml");
    Files.writeString(experiment, String.format(EXPERIMENT, baseWidth, warmup + steps, chosen.label()));
    Path runDir = work.resolve("run");

    // A first short framework run builds and exports the graph the bare loop uses.
    double framework;
    double bareBefore;
    double bareAfter;
    try (GanymedeHost host = GanymedeHost.start(Distribution.current(), Main.selectedBundles(experiment))) {
      Main.reportProblems(host);
      RunOutcome prepare = host.runner().train(experiment, new RunOptions(List.of(), () -> false, work.resolve("prepare"), 2));
      Path exported = prepare.runDirectory();
      bareBefore = bareLoop(exported, warmup, steps);
      System.out.printf("bare loop:  %.3f steps/s%n", bareBefore);
      RunOutcome run = host.runner().train(experiment, new RunOptions(List.of(), () -> false, runDir, warmup + steps));
      framework = run.stepsPerSecond();
      System.out.printf("framework:  %.3f steps/s%n", framework);
      bareAfter = bareLoop(exported, warmup, steps);
      System.out.printf("bare loop:  %.3f steps/s%n", bareAfter);
    }
    double bare = (bareBefore + bareAfter) / 2;
    System.out.printf("framework %.3f steps/s, bare %.3f steps/s (DCGAN 32x32x1, base width %d, batch 64, %d timed"
        + " steps)%n", framework, bare, baseWidth, steps);
    System.out.printf("framework/bare = %.3f%n", framework / bare);
    return 0;
  }

  /**
   * Imports the run's graph, restores its checkpoint and runs its objectives in order, feeding a
   * fixed real batch and a fresh noise seed per run, fetching each loss as a trainer would.
   */
  static double bareLoop(Path runDirectory, int warmup, int steps) throws Exception {
    JsonObject signature = JsonParser.parseString(Files.readString(runDirectory.resolve("model/signature.json")))
        .getAsJsonObject();
    JsonArray objectives = signature.getAsJsonArray("objectives");
    Path checkpoint = runDirectory.resolve("checkpoints")
        .resolve(Files.readString(runDirectory.resolve("checkpoints/latest")).trim());
    try (Graph graph = new Graph()) {
      graph.importGraphDef(GraphDef.parseFrom(Files.readAllBytes(runDirectory.resolve("model/graph.pb"))));
      try (Session session = new Session(graph)) {
        session.restore(checkpoint.resolve("ckpt").toString());
        Shape shape = graph.operation(signature.get("real").getAsString()).output(0).shape();
        float[] values = new float[(int) shape.size()];
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < values.length; i++) {
          values[i] = (float) (random.nextDouble() * 2 - 1);
        }
        String real = signature.get("real").getAsString();
        String seed = signature.get("noise_seed").getAsString();
        long run = 0;
        long start = 0;
        try (TFloat32 batch = TFloat32.tensorOf(shape, DataBuffers.of(values, true, false))) {
          for (int step = 0; step < warmup + steps; step++) {
            if (step == warmup) {
              start = System.nanoTime();
            }
            for (JsonElement e : objectives) {
              JsonObject o = e.getAsJsonObject();
              if (step % o.get("interval").getAsInt() != 0) {
                continue;
              }
              for (int r = 0; r < o.get("repeats").getAsInt(); r++) {
                try (TInt64 noise = TInt64.vectorOf(7, run++)) {
                  session.runner().feed(real, batch).feed(seed, noise)
                      .addTarget(o.get("train").getAsString()).fetch(o.get("loss").getAsString()).run().close();
                }
              }
            }
            for (JsonElement op : signature.getAsJsonArray("after_step")) {
              session.runner().addTarget(op.getAsString()).run().close();
            }
          }
        }
        return steps / ((System.nanoTime() - start) / 1e9);
      }
    }
  }
}
