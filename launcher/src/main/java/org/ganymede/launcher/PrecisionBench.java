package org.ganymede.launcher;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.ganymede.api.ExperimentRunner.RunOptions;
import org.ganymede.nn.Precision;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.types.TBfloat16;
import org.tensorflow.types.TFloat32;

/**
 * bf16 against fp32 on the benchmark DCGAN: the graph of each precision is built and exported by
 * a short framework run, then the bare loop drives them in turn, fp32, bf16, fp32, bf16, so that
 * drift falls on both. Each is also put against its own arithmetic limit: the convolutions' and
 * matrix products' floating-point operations a training step runs (counted on the exported graph)
 * per second, as a fraction of what one 2048 x 2048 matrix product reaches in that precision here.
 */
final class PrecisionBench {
  private static final int MATMUL_SIDE = 2048;

  private PrecisionBench() {}

  static int run(String experimentTemplate, int baseWidth, int warmup, int steps) throws Exception {
    Path work = Files.createTempDirectory("ganymede-bench");
    Map<Precision, Path> experiments = new EnumMap<>(Precision.class);
    for (Precision precision : Precision.values()) {
      Path experiment = work.resolve(precision.label() + ".yaml");
      Files.writeString(experiment, String.format(experimentTemplate, baseWidth, 2, precision.label()));
      experiments.put(precision, experiment);
    }
    Map<Precision, Path> runs = new EnumMap<>(Precision.class);
    try (GanymedeHost host = GanymedeHost.start(Distribution.current(),
        Main.selectedBundles(experiments.get(Precision.FP32)))) {
      Main.reportProblems(host);
      for (Precision precision : Precision.values()) {
        runs.put(precision, host.runner().train(experiments.get(precision),
            new RunOptions(List.of(), () -> false, work.resolve(precision.label()), 2)).runDirectory());
      }
    }
    Map<Precision, Double> speeds = new EnumMap<>(Precision.class);
    for (int round = 0; round < 2; round++) {
      for (Precision precision : Precision.values()) {
        double speed = BenchCommand.bareLoop(runs.get(precision), warmup, steps);
        System.out.printf("%s bare loop: %.3f steps/s%n", precision.label(), speed);
        speeds.merge(precision, speed / 2, Double::sum);
      }
    }
    double fp32 = speeds.get(Precision.FP32);
    double bf16 = speeds.get(Precision.BF16);
    double flops = stepFlops(runs.get(Precision.FP32));
    double limit32 = matmulGflops(false);
    double limit16 = matmulGflops(true);
    System.out.printf("%.2f GFLOP a step in convolutions and matrix products (DCGAN 32x32x1, base width %d,"
        + " batch 64, %d timed steps a loop)%n", flops / 1e9, baseWidth, steps);
    report("fp32", fp32, flops, limit32);
    report("bf16", bf16, flops, limit16);
    System.out.printf("bf16/fp32 = %.3f%n", bf16 / fp32);
    return 0;
  }

  private static void report(String precision, double stepsPerSecond, double flops, double limit) {
    double gflops = stepsPerSecond * flops / 1e9;
    System.out.printf("%s: %.3f steps/s, %.1f GFLOP/s, %.2f of its %dx%d matmul's %.1f GFLOP/s%n", precision,
        stepsPerSecond, gflops, gflops / limit, MATMUL_SIDE, MATMUL_SIDE, limit);
  }

  /**
   * The floating-point operations of one training step's convolutions and matrix products: for
   * each objective, every such op its training target depends on, times how often the bare loop
   * runs it a step ({@code repeats / interval}). A multiply-add counts as two.
   */
  static double stepFlops(Path run) throws Exception {
    JsonObject signature = JsonParser.parseString(Files.readString(run.resolve("model/signature.json")))
        .getAsJsonObject();
    GraphDef def = GraphDef.parseFrom(Files.readAllBytes(run.resolve("model/graph.pb")));
    Map<String, NodeDef> nodes = new HashMap<>();
    for (NodeDef n : def.getNodeList()) {
      nodes.put(n.getName(), n);
    }
    try (Graph graph = new Graph()) {
      graph.importGraphDef(def);
      double total = 0;
      for (JsonElement e : signature.getAsJsonArray("objectives")) {
        JsonObject o = e.getAsJsonObject();
        double perStep = o.get("repeats").getAsDouble() / o.get("interval").getAsDouble();
        double flops = 0;
        for (NodeDef n : dependencies(nodes, o.get("train").getAsString())) {
          flops += flops(graph, n);
        }
        total += perStep * flops;
      }
      return total;
    }
  }

  private static Set<NodeDef> dependencies(Map<String, NodeDef> nodes, String target) {
    Set<NodeDef> seen = new HashSet<>();
    Deque<String> open = new ArrayDeque<>(List.of(target));
    while (!open.isEmpty()) {
      NodeDef n = nodes.get(opName(open.pop()));
      if (n != null && seen.add(n)) {
        open.addAll(n.getInputList());
      }
    }
    return seen;
  }

  private static String opName(String input) {
    String name = input.startsWith("^") ? input.substring(1) : input;
    int colon = name.indexOf(':');
    return colon < 0 ? name : name.substring(0, colon);
  }

  private static double flops(Graph graph, NodeDef n) {
    switch (n.getOp()) {
      case "Conv2D" -> {
        Shape filter = shape(graph, n.getInput(1));
        return 2.0 * graph.operation(n.getName()).output(0).shape().size() * filter.get(0) * filter.get(1)
            * filter.get(2);
      }
      case "Conv2DBackpropInput" -> {
        Shape filter = shape(graph, n.getInput(1));
        return 2.0 * shape(graph, n.getInput(2)).size() * filter.get(0) * filter.get(1) * filter.get(2);
      }
      case "Conv2DBackpropFilter" -> {
        Shape filter = graph.operation(n.getName()).output(0).shape();
        return 2.0 * shape(graph, n.getInput(2)).size() * filter.get(0) * filter.get(1) * filter.get(2);
      }
      case "MatMul" -> {
        Shape a = shape(graph, n.getInput(0));
        boolean transposed = n.getAttrMap().containsKey("transpose_a") && n.getAttrMap().get("transpose_a").getB();
        return 2.0 * graph.operation(n.getName()).output(0).shape().size() * a.get(transposed ? 0 : 1);
      }
      default -> {
        return 0;
      }
    }
  }

  private static Shape shape(Graph graph, String input) {
    String name = opName(input);
    int colon = input.indexOf(':');
    return graph.operation(name).output(colon < 0 ? 0 : Integer.parseInt(input.substring(colon + 1))).shape();
  }

  /** GFLOP/s of a 2048 x 2048 matrix product in fp32 or bf16, the best of five timed rounds of ten. */
  static double matmulGflops(boolean bf16) {
    float[] values = new float[MATMUL_SIDE * MATMUL_SIDE];
    SplittableRandom random = new SplittableRandom(5);
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) (random.nextDouble() * 2 - 1);
    }
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      // Variables, so that grappler cannot fold the product into a constant.
      Operand<TFloat32> values32 = tf.constant(Shape.of(MATMUL_SIDE, MATMUL_SIDE), DataBuffers.of(values));
      Operand<TFloat32> product;
      if (bf16) {
        Operand<TBfloat16> a = tf.variable(tf.dtypes.cast(values32, TBfloat16.class));
        Operand<TBfloat16> b = tf.variable(tf.dtypes.cast(values32, TBfloat16.class));
        product = tf.dtypes.cast(tf.linalg.matMul(a, b), TFloat32.class);
      } else {
        product = tf.linalg.matMul(tf.variable(values32), tf.variable(values32));
      }
      // Summed to a scalar so that fetching it costs nothing next to the product.
      Operand<TFloat32> done = tf.reduceSum(product, tf.constant(new int[] {0, 1}));
      s.initialize();
      s.runner().fetch(done).run().close();
      double best = Double.MAX_VALUE;
      for (int round = 0; round < 5; round++) {
        long start = System.nanoTime();
        for (int i = 0; i < 10; i++) {
          s.runner().fetch(done).run().close();
        }
        best = Math.min(best, (System.nanoTime() - start) / 1e9 / 10);
      }
      return 2.0 * MATMUL_SIDE * MATMUL_SIDE * MATMUL_SIDE / best / 1e9;
    }
  }
}
