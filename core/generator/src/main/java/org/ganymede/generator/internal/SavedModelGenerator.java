package org.ganymede.generator.internal;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ganymede.api.Checkpoint;
import org.ganymede.api.ExperimentRunner;
import org.ganymede.api.Generator;
import org.ganymede.api.ParameterException;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.SessionFunction;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * A generator read from a folder {@code ganymede export-model} wrote: the SavedModel and the
 * {@code ganymede-model.json} that says what it is. TensorFlow sessions run concurrent calls, so
 * one instance serves every caller.
 */
final class SavedModelGenerator implements Generator, AutoCloseable {
  private static final String SERVING = "serving_default";
  private final SavedModelBundle bundle;
  private final Model model;
  private final long[] sampleShape;
  private final boolean imageConditioned;

  private SavedModelGenerator(SavedModelBundle bundle, Model model, long[] sampleShape, boolean imageConditioned) {
    this.bundle = bundle;
    this.model = model;
    this.sampleShape = sampleShape;
    this.imageConditioned = imageConditioned;
  }

  /**
   * Opens a model folder {@code export-model} wrote, or a run folder, which {@code runner}
   * exports first (from {@code checkpoint}: latest, best or a step; null for the latest).
   */
  static SavedModelGenerator open(String name, Path model, String checkpoint, ExperimentRunner runner)
      throws Exception {
    if (!Files.isRegularFile(model.resolve("experiment.yaml"))) {
      if (!Files.isDirectory(model)) {
        throw new IllegalArgumentException("folder " + model + " does not exist");
      }
      return load(name, model);
    }
    if (runner == null) {
      throw new IllegalStateException("a run folder is exported with the engine's ExperimentRunner, and none is "
          + "registered; export it with 'ganymede export-model' and configure that folder");
    }
    Path exported = Files.createTempDirectory("ganymede-generator-");
    try {
      Files.delete(exported); // export-model writes into a new folder
      runner.from(checkpoint == null ? Checkpoint.latest() : Checkpoint.parse(checkpoint)).exportModel(model, exported);
      return load(name, exported);
    } finally {
      deleteTree(exported); // the session holds the weights now
    }
  }

  private static void deleteTree(Path folder) throws IOException {
    if (Files.exists(folder)) {
      try (var files = Files.walk(folder)) {
        for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  /** Loads {@code folder}; a folder that is not an export is refused with what it lacks. */
  static SavedModelGenerator load(String name, Path folder) throws IOException {
    Path description = folder.resolve("ganymede-model.json");
    if (!Files.isRegularFile(description) || !Files.isRegularFile(folder.resolve("saved_model.pb"))) {
      throw new ParameterException(folder + " is neither a run folder (experiment.yaml) nor a model folder that "
          + "'ganymede export-model' wrote (saved_model.pb and ganymede-model.json)");
    }
    JsonObject json = JsonParser.parseString(Files.readString(description)).getAsJsonObject();
    JsonElement shapeJson = json.has("image_shape") ? json.get("image_shape") : json.get("sample_shape");
    List<Long> shape = new ArrayList<>();
    shapeJson.getAsJsonArray().forEach(d -> shape.add(d.getAsLong()));
    List<String> classes = new ArrayList<>();
    if (json.has("classes")) {
      json.getAsJsonArray("classes").forEach(c -> classes.add(c.getAsString()));
    }
    List<String> translations = new ArrayList<>();
    for (String key : json.getAsJsonObject("signatures").keySet()) {
      if (!key.equals(SERVING)) {
        translations.add(key);
      }
    }
    Model model = new Model(name, json.get("architecture").getAsString(), json.get("step").getAsLong(), shape,
        json.has("latent_size") ? json.get("latent_size").getAsInt() : 0, classes, translations);
    SavedModelBundle bundle = SavedModelBundle.load(folder.toString(), "serve");
    return new SavedModelGenerator(bundle, model, shape.stream().mapToLong(Long::longValue).toArray(),
        json.has("condition_kind"));
  }

  @Override
  public Model model() {
    return model;
  }

  @Override
  public float[][] generate(float[][] latents, List<String> classes) {
    if (model.latentSize() == 0 || imageConditioned) {
      throw new ParameterException("generator '" + model.name() + "' (" + model.architecture() + ") does not sample "
          + "from a latent" + (model.translations().isEmpty() ? "" : "; it translates: "
              + String.join(", ", model.translations())));
    }
    boolean conditional = !model.classes().isEmpty();
    boolean given = classes != null && !classes.isEmpty();
    if (given && !conditional) {
      throw new ParameterException("generator '" + model.name() + "' is not conditional: it takes no classes");
    }
    if (conditional && (!given || classes.size() != latents.length)) {
      throw new ParameterException("generator '" + model.name() + "' is conditional: give a class for each of the "
          + latents.length + " latents (one of " + String.join(", ", model.classes()) + ")");
    }
    for (float[] row : latents) {
      if (row.length != model.latentSize()) {
        throw new ParameterException("generator '" + model.name() + "' takes latents of " + model.latentSize()
            + " values, not " + row.length);
      }
    }
    try (TFloat32 z = batch(latents, new long[] {model.latentSize()});
        TFloat32 c = conditional ? oneHot(classes) : null) {
      Map<String, org.tensorflow.Tensor> inputs = c == null ? Map.of("latent", z) : Map.of("latent", z, "classes", c);
      return call(SERVING, inputs, latents.length);
    }
  }

  @Override
  public float[][] translate(String direction, float[][] images) {
    if (!model.translations().contains(direction)) {
      throw new ParameterException("generator '" + model.name() + "' " + (model.translations().isEmpty()
          ? "does not translate" : "translates " + String.join(", ", model.translations()) + ", not '" + direction + "'"));
    }
    try (TFloat32 x = batch(images, sampleShape)) {
      return call(direction, Map.of("images", x), images.length);
    }
  }

  private float[][] call(String signature, Map<String, org.tensorflow.Tensor> inputs, int rows) {
    SessionFunction function = bundle.function(signature);
    try (Result result = function.call(inputs)) {
      TFloat32 out = (TFloat32) result.get("images").orElseThrow();
      float[] flat = new float[(int) out.size()];
      out.asRawTensor().data().asFloats().read(flat);
      int width = flat.length / Math.max(1, rows);
      float[][] samples = new float[rows][width];
      for (int i = 0; i < rows; i++) {
        System.arraycopy(flat, i * width, samples[i], 0, width);
      }
      return samples;
    }
  }

  /** Rows as a batch of the given row shape. */
  private TFloat32 batch(float[][] rows, long[] rowShape) {
    int width = 1;
    for (long d : rowShape) {
      width *= (int) d;
    }
    float[] flat = new float[rows.length * width];
    for (int i = 0; i < rows.length; i++) {
      if (rows[i].length != width) {
        throw new ParameterException("generator '" + model.name() + "': row " + i + " has " + rows[i].length
            + " values, " + width + " expected");
      }
      System.arraycopy(rows[i], 0, flat, i * width, width);
    }
    return TFloat32.tensorOf(Shape.of(concat(rows.length, rowShape)), DataBuffers.of(flat, true, false));
  }

  private TFloat32 oneHot(List<String> classes) {
    int n = model.classes().size();
    float[] flat = new float[classes.size() * n];
    for (int i = 0; i < classes.size(); i++) {
      flat[i * n + classId(classes.get(i))] = 1;
    }
    return TFloat32.tensorOf(Shape.of(classes.size(), n), DataBuffers.of(flat, true, false));
  }

  private int classId(String given) {
    int byName = model.classes().indexOf(given);
    if (byName >= 0) {
      return byName;
    }
    try {
      int id = Integer.parseInt(given.trim());
      if (id >= 0 && id < model.classes().size()) {
        return id;
      }
    } catch (NumberFormatException e) {
      // not an id either: the message below lists what is
    }
    throw new ParameterException("generator '" + model.name() + "' has no class '" + given + "'; its classes: "
        + String.join(", ", model.classes()) + " (or their ids 0 to " + (model.classes().size() - 1) + ")");
  }

  private static long[] concat(long first, long[] rest) {
    long[] all = new long[rest.length + 1];
    all[0] = first;
    System.arraycopy(rest, 0, all, 1, rest.length);
    return all;
  }

  /** The signature {@link #generate} calls, for measuring what the service adds. */
  SessionFunction serving() {
    return bundle.function(SERVING);
  }

  @Override
  public void close() {
    bundle.close();
  }
}
