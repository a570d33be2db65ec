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
import org.ganymede.api.Checkpoint;
import org.ganymede.api.ParameterException;

/**
 * The folder of one run: the experiment it runs, checkpoints, sample grids, the metrics log and
 * TensorBoard events. Checkpoints are written to a temporary folder and renamed into place, so
 * an interrupted write never replaces a good checkpoint, and each records its files' checksums,
 * so a damaged one is found before it is restored.
 */
final class RunDirectory {
  static final String EXPERIMENT = "experiment.yaml";
  private static final String LATEST = "latest";
  private static final String STATE = "state.json";
  private static final String PREFIX = "ckpt";
  private static final String STEP_PREFIX = "step-";
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

  /** The checkpoint {@code latest} names: the newest complete one, unless it was damaged after. */
  Optional<Path> latestCheckpoint() throws IOException {
    Path pointer = checkpoints().resolve(LATEST);
    if (!Files.exists(pointer)) {
      return Optional.empty();
    }
    Path dir = checkpoints().resolve(Files.readString(pointer).trim());
    return Files.isDirectory(dir) ? Optional.of(dir) : Optional.empty();
  }

  /** Every checkpoint folder, newest first. */
  List<Path> checkpointFolders() throws IOException {
    if (!Files.isDirectory(checkpoints())) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(checkpoints())) {
      return s.filter(p -> p.getFileName().toString().startsWith(STEP_PREFIX) && Files.isDirectory(p))
          .sorted(Comparator.reverseOrder()).toList();
    }
  }

  static String checkpointName(long step) {
    return String.format(STEP_PREFIX + "%09d", step);
  }

  /**
   * The checkpoint a command works from: the latest, the best ({@code output.keep_best}) or one
   * step's. A reader is refused a damaged one, with what is wrong and the intact ones to choose.
   *
   * @param purpose what is to be done, for the messages
   */
  Path choose(Checkpoint choice, String purpose) throws IOException {
    Path chosen = find(choice, purpose);
    Optional<String> damage = CheckpointFiles.damage(chosen);
    if (damage.isPresent()) {
      throw damaged(chosen, damage.get());
    }
    return chosen;
  }

  /** The checkpoint chosen, unverified. */
  Path find(Checkpoint choice, String purpose) throws IOException {
    return switch (choice.kind()) {
      case LATEST -> latestCheckpoint().orElseThrow(() -> new ParameterException(
          "run folder " + root + " has no checkpoint yet: nothing to " + purpose));
      case STEP -> named(checkpointName(choice.step()), "--checkpoint " + choice.step());
      case BEST -> best();
    };
  }

  ParameterException damaged(Path checkpoint, String damage) throws IOException {
    return new ParameterException("checkpoint " + checkpoint.getFileName() + " in " + checkpoints() + " is damaged: "
        + damage + "; " + intactOnes() + "; pick one with --checkpoint STEP");
  }

  /**
   * The checkpoint {@code resume} continues from: as {@link #choose}, except that a damaged latest
   * one gives way to the newest intact one before it, with a warning that says what is lost.
   */
  Path toResume(Checkpoint choice, java.util.function.Consumer<String> warning) throws IOException {
    if (choice.kind() != Checkpoint.Kind.LATEST) {
      return choose(choice, "resume from");
    }
    Path latest = latestCheckpoint().orElseThrow(() -> new ParameterException(
        "run folder " + root + " has no checkpoint to resume from; start it again with 'ganymede train'"));
    Optional<String> damage = CheckpointFiles.damage(latest);
    if (damage.isEmpty()) {
      return latest;
    }
    long latestStep = readStateOrZero(latest);
    for (Path older : checkpointFolders()) {
      if (older.getFileName().toString().compareTo(latest.getFileName().toString()) < 0
          && CheckpointFiles.damage(older).isEmpty()) {
        long lost = latestStep - readState(older).step();
        warning.accept("checkpoint " + latest.getFileName() + " is damaged: " + damage.get() + "; resuming from "
            + older.getFileName() + ", the newest intact one: " + lost + " step" + (lost == 1 ? "" : "s")
            + " are lost and will be trained again");
        return older;
      }
    }
    throw new ParameterException("checkpoint " + latest.getFileName() + " in " + checkpoints() + " is damaged: "
        + damage.get() + ", and no older checkpoint is intact; start the run again with 'ganymede train'");
  }

  private Path named(String name, String asked) throws IOException {
    Path dir = checkpoints().resolve(name);
    if (!Files.isDirectory(dir)) {
      throw new ParameterException(asked + ": run folder " + root + " has no checkpoint " + name + "; it has "
          + describe(checkpointFolders()));
    }
    return dir;
  }

  private Path best() throws IOException {
    for (Path candidate : checkpointFolders()) {
      if (CheckpointFiles.damage(candidate).isEmpty()) {
        RunState.Best best = readState(candidate).best();
        if (best == null) {
          break;
        }
        return named(best.checkpoint(), "--best (" + best.metric() + " " + best.value() + ")");
      }
    }
    throw new ParameterException("--best: run folder " + root + " keeps no best checkpoint: its experiment has no "
        + "output.keep_best, or no metric was computed before its newest checkpoint; it has "
        + describe(checkpointFolders()));
  }

  private String intactOnes() throws IOException {
    List<Path> intact = new ArrayList<>();
    for (Path p : checkpointFolders()) {
      if (CheckpointFiles.damage(p).isEmpty()) {
        intact.add(p);
      }
    }
    return intact.isEmpty() ? "no checkpoint of this run is intact" : "intact: " + describe(intact);
  }

  private static String describe(List<Path> checkpoints) {
    if (checkpoints.isEmpty()) {
      return "no checkpoints";
    }
    return "checkpoints at step " + String.join(", ", checkpoints.stream()
        .map(p -> Long.toString(Long.parseLong(p.getFileName().toString().substring(STEP_PREFIX.length())))).toList());
  }

  private static long readStateOrZero(Path checkpoint) {
    try {
      return readState(checkpoint).step();
    } catch (IOException | RuntimeException e) {
      return Long.parseLong(checkpoint.getFileName().toString().substring(STEP_PREFIX.length()));
    }
  }

  static String weightsPrefix(Path checkpoint) {
    return checkpoint.resolve(PREFIX).toString();
  }

  /**
   * Writes {@code evaluation-step-NNNNNNNNN.json}: the step, the metric values and the failures.
   * Non-finite values are written as strings ({@code "NaN"}), as in the metrics log.
   */
  Path writeEvaluation(long step, Map<String, Double> values, List<String> failures) throws IOException {
    Path file = root.resolve(String.format("evaluation-step-%09d.json", step));
    writeValues(file, step, values, failures);
    return file;
  }

  /** Metric values and failures as JSON in {@code file}, written atomically. */
  static void writeValues(Path file, long step, Map<String, Double> values, List<String> failures) throws IOException {
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
    writeAtomically(file.toAbsolutePath(), new GsonBuilder().setPrettyPrinting().create().toJson(json) + "\n");
  }

  static RunState readState(Path checkpoint) throws IOException {
    return GSON.fromJson(Files.readString(checkpoint.resolve(STATE)), RunState.class);
  }

  /**
   * Writes a checkpoint: {@code saveWeights} writes the variables under the prefix it is given;
   * {@code state.json} records the size and checksum of every file. Keeps the newest {@code keep}
   * checkpoints and the best one the state names. A write that fails leaves the previous
   * checkpoints and {@code latest} as they were, and removes what it had written.
   */
  Path writeCheckpoint(RunState state, java.util.function.Consumer<String> saveWeights, int keep) throws IOException {
    String name = checkpointName(state.step());
    Path tmp = checkpoints().resolve(".tmp-" + name);
    Path target = checkpoints().resolve(name);
    try {
      deleteTree(tmp);
      Files.createDirectories(tmp);
      saveWeights.accept(tmp.resolve(PREFIX).toString());
      JsonObject json = GSON.toJsonTree(state).getAsJsonObject();
      json.add(CheckpointFiles.KEY, CheckpointFiles.manifest(tmp));
      Files.writeString(tmp.resolve(STATE), GSON.toJson(json));
      deleteTree(target);
      move(tmp, target);
      writeAtomically(checkpoints().resolve(LATEST), name);
    } catch (IOException | RuntimeException e) {
      try {
        deleteTree(tmp); // give back the space a full disk needs to resume
      } catch (IOException | UncheckedIOException ignored) {
        // the failure that matters is e
      }
      throw e;
    }
    prune(keep, target, state.best() == null ? null : checkpoints().resolve(state.best().checkpoint()));
    return target;
  }

  private void prune(int keep, Path newest, Path best) throws IOException {
    List<Path> all = checkpointFolders();
    for (int i = keep; i < all.size(); i++) {
      if (!all.get(i).equals(newest) && !all.get(i).equals(best)) {
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
