package org.ganymede.engine.internal;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.ganymede.api.DataSpec;
import org.ganymede.api.GanModel;
import org.ganymede.api.ParameterException;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;

/**
 * A restored run's generator as a TensorFlow SavedModel (tag {@code serve}): a signature that
 * TensorFlow in Python ({@code tf.saved_model.load}) and TensorFlow Java
 * ({@code SavedModelBundle.load}) call without Ganymede, and {@code ganymede-model.json} beside
 * it saying what the model is. The signatures read the generator's sampling output, the moving
 * average's where the architecture keeps one, exactly what {@code sample} draws.
 *
 * <ul>
 *   <li>a model that samples: {@code serving_default}, {@code latent} [n, latent size] (and
 *       {@code classes} [n, classes], a row of class weights, one-hot for one class) to
 *       {@code images} [n, height, width, channels] in [-1, 1];
 *   <li>an image-conditioned model: {@code serving_default}, {@code conditions} [n, ...] and
 *       {@code seed} (two int64, the noise a model such as pix2pix draws), with {@code latent} or
 *       {@code classes} where it reads them, to {@code images};
 *   <li>a translation model: a signature per direction ({@code a2b}, {@code b2a}, the first also
 *       {@code serving_default}), {@code images} to {@code images}.
 * </ul>
 */
final class ModelExport {
  static final String DESCRIPTION = "ganymede-model.json";

  private ModelExport() {}

  /** Refuses an output folder that holds anything: an export never mixes with other files. */
  static void checkOutput(Path out) throws IOException {
    if (Files.isDirectory(out)) {
      try (Stream<Path> s = Files.list(out)) {
        if (s.findAny().isPresent()) {
          throw new ParameterException("--out " + out + " is not empty; export a model into a new or empty folder");
        }
      }
    } else if (Files.exists(out)) {
      throw new ParameterException("--out " + out + " is a file; export a model into a new or empty folder");
    }
  }

  /** Writes the SavedModel and its description; returns the files written. */
  static List<Path> write(TrainingGraph graph, Experiment experiment, RunState state, DataSpec spec, Path out)
      throws IOException {
    checkOutput(out);
    JsonObject signatures = new JsonObject();
    List<Signature> all = new ArrayList<>();
    if (!graph.model.translations().isEmpty()) {
      boolean first = true;
      for (GanModel.Translation t : graph.model.translations()) {
        Signature.Builder direction = Signature.builder().key(t.name());
        JsonObject described = new JsonObject();
        input(direction, described, "images", t.input());
        output(direction, described, "images", t.output());
        all.add(direction.build());
        signatures.add(t.name(), described);
        if (first) {
          Signature.Builder serving = Signature.builder().key(Signature.DEFAULT_KEY);
          input(serving, new JsonObject(), "images", t.input());
          output(serving, new JsonObject(), "images", t.output());
          all.add(serving.build());
          signatures.add(Signature.DEFAULT_KEY, described);
          first = false;
        }
      }
    } else {
      Signature.Builder serving = Signature.builder().key(Signature.DEFAULT_KEY);
      JsonObject described = new JsonObject();
      if (graph.imageConditioned) {
        input(serving, described, "conditions", graph.sampleConditions);
        input(serving, described, "seed", graph.noiseSeed);
      }
      if (graph.model.samples()) {
        input(serving, described, "latent", graph.model.latent());
      }
      if (graph.conditional) {
        input(serving, described, "classes", graph.sampleClasses);
      }
      output(serving, described, "images", graph.model.generated());
      all.add(serving.build());
      signatures.add(Signature.DEFAULT_KEY, described);
    }
    Files.createDirectories(out);
    SavedModelBundle.Exporter exporter = SavedModelBundle.exporter(out.toString()).withTags("serve");
    for (Signature signature : all) {
      exporter.withFunction(SessionFunction.create(signature, graph.session));
    }
    exporter.export();

    JsonObject description = new JsonObject();
    description.addProperty("architecture", experiment.architecture().name());
    description.addProperty("experiment", experiment.name());
    description.addProperty("step", state.step());
    description.addProperty("tags", "serve");
    JsonArray shape = new JsonArray();
    for (long d : spec.shape()) {
      shape.add(d);
    }
    if (spec.isImage()) {
      description.add("image_shape", shape); // height, width, channels; values in [-1, 1]
      description.addProperty("range", "[-1, 1]");
    } else {
      description.add("sample_shape", shape);
    }
    if (graph.model.samples()) {
      description.addProperty("latent_size", graph.model.latentSize());
    }
    if (graph.conditional) {
      JsonArray classes = new JsonArray();
      graph.classNames.forEach(classes::add);
      description.add("classes", classes);
    }
    if (graph.imageConditioned) {
      description.addProperty("condition_kind", graph.pairing.kind());
    }
    description.add("signatures", signatures);
    Files.writeString(out.resolve(DESCRIPTION), new GsonBuilder().setPrettyPrinting().create().toJson(description) + "\n");

    List<Path> written = new ArrayList<>();
    try (Stream<Path> s = Files.walk(out)) {
      s.filter(Files::isRegularFile).sorted().forEach(written::add);
    }
    return written;
  }

  private static void input(Signature.Builder builder, JsonObject described, String name, Operand<?> operand) {
    builder.input(name, operand);
    described.add(name, shapeOf(operand));
  }

  private static void output(Signature.Builder builder, JsonObject described, String name, Operand<?> operand) {
    builder.output(name, operand);
    JsonObject outputs = new JsonObject();
    outputs.add(name, shapeOf(operand));
    described.add("returns", outputs);
  }

  private static JsonArray shapeOf(Operand<?> operand) {
    JsonArray shape = new JsonArray();
    long[] dims = operand.shape().asArray();
    if (dims != null) {
      for (long d : dims) {
        shape.add(d);
      }
    }
    return shape;
  }
}
