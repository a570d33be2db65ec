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
import java.util.SplittableRandom;
import org.tensorflow.Graph;
import org.tensorflow.proto.DataType;
import org.tensorflow.GraphOperation;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.types.TFloat32;

/**
 * A run's exported graph with a checkpoint restored, read from outside the framework: what the
 * tests inspect to see what the GAN did.
 */
final class ExportedModel implements AutoCloseable {
  private final Graph graph = new Graph();
  private final Session session;
  private final JsonObject signature;

  ExportedModel(Path runDirectory, Path checkpoint) throws Exception {
    signature = JsonParser.parseString(Files.readString(runDirectory.resolve("model/signature.json"))).getAsJsonObject();
    graph.importGraphDef(GraphDef.parseFrom(Files.readAllBytes(runDirectory.resolve("model/graph.pb"))));
    session = new Session(graph);
    session.restore(checkpoint.resolve("ckpt").toString());
  }

  static Path latestCheckpoint(Path runDirectory) throws Exception {
    return runDirectory.resolve("checkpoints").resolve(Files.readString(runDirectory.resolve("checkpoints/latest")).trim());
  }

  /** {@code count} generated samples (flattened) for latents drawn from {@code seed}. */
  float[][] generate(int count, long seed) {
    String latent = signature.get("latent").getAsString();
    int size = (int) graph.operation(latent).output(0).shape().get(1);
    SplittableRandom random = new SplittableRandom(seed);
    try (TFloat32 z = TFloat32.tensorOf(Shape.of(count, size), d -> d.scalars().forEach(v -> v.setFloat((float) random.nextGaussian())));
        Result r = session.runner().feed(latent, z).fetch(signature.get("generated").getAsString()).run()) {
      return rows((TFloat32) r.get(0), count);
    }
  }

  /** Generated samples (flattened) for these latents and, for a conditional run, class rows. */
  float[][] generate(TFloat32 latents, TFloat32 classes) {
    Session.Runner runner = session.runner().feed(signature.get("latent").getAsString(), latents);
    if (classes != null) {
      runner.feed(signature.get("sample_classes").getAsString(), classes);
    }
    try (Result r = runner.fetch(signature.get("generated").getAsString()).run()) {
      return rows((TFloat32) r.get(0), (int) latents.shape().get(0));
    }
  }

  static float[][] rows(TFloat32 out, int count) {
    int width = (int) (out.size() / count);
    float[] flat = new float[(int) out.size()];
    out.asRawTensor().data().asFloats().read(flat);
    float[][] rows = new float[count][width];
    for (int i = 0; i < count; i++) {
      System.arraycopy(flat, i * width, rows[i], 0, width);
    }
    return rows;
  }

  /** Every variable's values (weights and optimizer state), by name. */
  Map<String, float[]> variables() {
    List<String> names = new ArrayList<>();
    for (Iterator<GraphOperation> it = graph.operations(); it.hasNext(); ) {
      GraphOperation op = it.next();
      if (op.type().equals("VariableV2")) {
        names.add(op.name());
      }
    }
    Map<String, float[]> values = new LinkedHashMap<>();
    for (String name : names) {
      try (Result r = session.runner().fetch(name).run()) {
        if (r.get(0) instanceof TFloat32 t) {
          float[] v = new float[(int) t.size()];
          t.asRawTensor().data().asFloats().read(v);
          values.put(name, v);
        }
      }
    }
    return values;
  }

  /** The data type of the first output of every op of this type, by op name. */
  Map<String, DataType> outputTypes(String type) {
    Map<String, DataType> types = new LinkedHashMap<>();
    for (Iterator<GraphOperation> it = graph.operations(); it.hasNext(); ) {
      GraphOperation op = it.next();
      if (op.type().equals(type)) {
        types.put(op.name(), op.output(0).dataType());
      }
    }
    return types;
  }

  /** The data type of an op's output named as the signature names it ({@code op} or {@code op:k}). */
  DataType outputType(String output) {
    int colon = output.lastIndexOf(':');
    String op = colon < 0 ? output : output.substring(0, colon);
    return graph.operation(op).output(colon < 0 ? 0 : Integer.parseInt(output.substring(colon + 1))).dataType();
  }

  /** The run's {@code model/signature.json}. */
  JsonObject signature() {
    return signature;
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
