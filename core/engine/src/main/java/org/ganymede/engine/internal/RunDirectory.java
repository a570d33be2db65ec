package org.ganymede.engine.internal;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.ganymede.api.ParameterException;

/**
 * The folder of one run: the experiment it runs, checkpoints, sample grids, the metrics log and
 * TensorBoard events. Checkpoints are written to a temporary folder and renamed into place, so
 * an interrupted write never replaces a good checkpoint.
 */
final class RunDirectory {
  static final String EXPERIMENT = "experiment.yaml";
  private static final String LATEST = "latest";
  private static final String STATE = "state.json";
  private static final String PREFIX = "ckpt";
  private static final Gson GSON = new Gson();

  private final Path root;

  RunDirectory(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  Path root() {
    return root;
  }

  Path experimentFile() {
    return root.resolve(EXPERIMENT);
  }

  Path samples() {
    return root.resolve("samples");
  }

  Path checkpoints() {
    return root.resolve("checkpoints");
  }

  Path tensorboard() {
    return root.resolve("tensorboard");
  }

  Path metricsLog() {
    return root.resolve("metrics.jsonl");
  }

  /**
   * The classes a conditional run was trained on, as its exported signature names them; empty
   * when it names none (an unconditional run, or a folder without an exported graph yet).
   */
  List<String> trainedClasses() {
    Path signature = graphFile().resolveSibling("signature.json");
    if (!Files.exists(signature)) {
      return List.of();
    }
    try {
      JsonObject json = new Gson().fromJson(Files.readString(signature), JsonObject.class);
      List<String> names = new ArrayList<>();
      if (json.has("classes")) {
        json.getAsJsonArray("classes").forEach(e -> names.add(e.getAsString()));
      }
      return names;
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + signature + " failed", e);
    }
  }

  Path graphFile() {
    return root.resolve("model").resolve("graph.pb");
  }

  /**
   * Prepares the folder for a new run of {@code experiment}. A folder that holds another
   * experiment, or this one with checkpoints already, is refused: nothing there is lost.
   */
  void createFor(Experiment experiment) throws IOException {
    if (Files.exists(experimentFile())) {
      String existing = Files.readString(experimentFile());
      if (!existing.equals(experiment.source())) {
        throw new ParameterException("run folder " + root + " already holds a different experiment; choose another "
            + "output.run_dir, or continue that run with 'ganymede resume " + root + "'");
      }
      if (latestCheckpoint().isPresent()) {
        throw new ParameterException("run folder " + root + " already holds a run of this experiment with checkpoints; "
            + "continue it with 'ganymede resume " + root + "', or choose another output.run_dir");
      }
    }
    Files.createDirectories(root);
    Files.createDirectories(samples());
    Files.createDirectories(checkpoints());
    Files.createDirectories(tensorboard());
    Files.createDirectories(graphFile().getParent());
    writeAtomically(experimentFile(), experiment.source());
  }

  /** The newest complete checkpoint folder. */
  Optional<Path> latestCheckpoint() throws IOException {
    Path pointer = checkpoints().resolve(LATEST);
    if (!Files.exists(pointer)) {
      return Optional.empty();
    }
    Path dir = checkpoints().resolve(Files.readString(pointer).trim());
    return Files.isDirectory(dir) ? Optional.of(dir) : Optional.empty();
  }

  static String weightsPrefix(Path checkpoint) {
    return checkpoint.resolve(PREFIX).toString();
  }

  /**
   * Writes {@code evaluation-step-NNNNNNNNN.json}: the step, the metric values and the failures.
   * Non-finite values are written as strings ({@code "NaN"}), as in the metrics log.
   */
  Path writeEvaluation(long step, Map<String, Double> values, List<String> failures) throws IOException {
    JsonObject json = new JsonObject();
    json.addProperty("step", step);
    JsonObject written = new JsonObject();
    values.forEach((k, v) -> {
      if (Double.isFinite(v)) {
        written.addProperty(k, v);
      } else {
        written.addProperty(k, Double.toString(v));
      }
    });
    json.add("values", written);
    JsonArray failed = new JsonArray();
    failures.forEach(failed::add);
    json.add("failures", failed);
    Path file = root.resolve(String.format("evaluation-step-%09d.json", step));
    writeAtomically(file, new GsonBuilder().setPrettyPrinting().create().toJson(json) + "\n");
    return file;
  }

  static RunState readState(Path checkpoint) throws IOException {
    return GSON.fromJson(Files.readString(checkpoint.resolve(STATE)), RunState.class);
  }

  /**
   * Writes a checkpoint: {@code saveWeights} writes the variables under the prefix it is given.
   * Keeps the newest {@code keep} checkpoints.
   */
  Path writeCheckpoint(RunState state, java.util.function.Consumer<String> saveWeights, int keep) throws IOException {
    String name = String.format("step-%09d", state.step());
    Path tmp = checkpoints().resolve(".tmp-" + name);
    deleteTree(tmp);
    Files.createDirectories(tmp);
    saveWeights.accept(tmp.resolve(PREFIX).toString());
    Files.writeString(tmp.resolve(STATE), GSON.toJson(state));
    Path target = checkpoints().resolve(name);
    deleteTree(target);
    move(tmp, target);
    writeAtomically(checkpoints().resolve(LATEST), name);
    prune(keep, target);
    return target;
  }

  private void prune(int keep, Path newest) throws IOException {
    List<Path> all = new ArrayList<>();
    try (Stream<Path> s = Files.list(checkpoints())) {
      s.filter(p -> p.getFileName().toString().startsWith("step-")).sorted(Comparator.reverseOrder()).forEach(all::add);
    }
    for (int i = keep; i < all.size(); i++) {
      if (!all.get(i).equals(newest)) {
        deleteTree(all.get(i));
      }
    }
  }

  static void writeAtomically(Path file, String text) throws IOException {
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
    Files.writeString(tmp, text, StandardCharsets.UTF_8);
    move(tmp, file);
  }

  static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.delete(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }
}
