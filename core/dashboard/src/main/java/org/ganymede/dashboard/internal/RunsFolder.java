package org.ganymede.dashboard.internal;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonSyntaxException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * A folder of run folders, read and never written: what each run is and how far it got, its log,
 * its sample grids. Every name a request gives is checked against a pattern and every path resolved
 * must lie inside the folder once links are followed, so nothing outside it is ever served.
 */
final class RunsFolder {
  private static final Pattern RUN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,200}");
  private static final Pattern SAMPLE = Pattern.compile("step-[0-9]{1,12}\\.png");
  private static final Pattern EVALUATION = Pattern.compile("evaluation-step-[0-9]{1,12}\\.json");
  private static final Pattern SEED = Pattern.compile("seed--?[0-9]{1,19}");
  /** A sweep's configuration folder: settings joined, as {@code packing=2,lr=0.001}. */
  private static final Pattern CONFIGURATION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._=,-]{0,200}");
  private static final String SWEEP_TABLE = "sweep.json";
  private static final String SWEEP_PICTURE = "sweep.png";

  private final Path root;
  /**
   * Each log as last parsed, with the file's size and time then: the page asks for every run's
   * summary every two seconds, and a long run's log is parsed again only when it has grown.
   */
  private final Map<Path, Parsed> parsed = new java.util.concurrent.ConcurrentHashMap<>();

  private record Parsed(long size, java.nio.file.attribute.FileTime modified, Log log) {}

  RunsFolder(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  Path root() {
    return root;
  }

  /** A request named something that is not there, or not allowed. */
  static final class NotServed extends Exception {
    NotServed(String message) {
      super(message);
    }
  }

  /**
   * Every run folder (a folder with an experiment.yaml) in the folder, by name, then the runs of
   * each sweep ({@code SWEEP/CONFIGURATION/seed-N}).
   */
  JsonArray runs() throws IOException {
    JsonArray runs = new JsonArray();
    List<String> names = new ArrayList<>();
    for (Path folder : folders(root, RUN)) {
      if (Files.isRegularFile(folder.resolve("experiment.yaml"))) {
        names.add(folder.getFileName().toString());
      }
    }
    for (Path sweep : sweepFolders()) {
      for (Path run : sweepRuns(sweep)) {
        names.add(sweep.getFileName() + "/" + run.getParent().getFileName() + "/" + run.getFileName());
      }
    }
    for (String name : names) {
      try {
        runs.add(summary(inside(name), name));
      } catch (NotServed | IOException | RuntimeException e) {
        // A folder that links out or cannot be read is left out: the others are listed.
      }
    }
    return runs;
  }

  private List<Path> sweepFolders() throws IOException {
    List<Path> sweeps = new ArrayList<>();
    for (Path folder : folders(root, RUN)) {
      if (Files.isRegularFile(folder.resolve(SWEEP_TABLE))) {
        sweeps.add(folder);
      }
    }
    return sweeps;
  }

  /** A sweep's run folders, configuration by configuration, seed by seed. */
  private List<Path> sweepRuns(Path sweep) throws IOException {
    List<Path> runs = new ArrayList<>();
    for (Path configuration : folders(sweep, CONFIGURATION)) {
      for (Path run : folders(configuration, SEED)) {
        if (Files.isRegularFile(run.resolve("experiment.yaml"))) {
          runs.add(run);
        }
      }
    }
    return runs;
  }

  /** How many of a request's path segments name its run: three for a sweep's run, else one. */
  static int runNameLength(String[] segments) {
    return segments.length >= 3 && CONFIGURATION.matcher(segments[1]).matches() && SEED.matcher(segments[2]).matches()
        ? 3 : 1;
  }

  /**
   * Every sweep in the folder (a folder with the sweep.json that {@code ganymede sweep} writes as its
   * runs finish): its table, whether it has a plot, and the state and step of each of its runs
   * ({@code CONFIGURATION/seed-N}).
   */
  JsonArray sweeps() throws IOException {
    JsonArray sweeps = new JsonArray();
    for (Path folder : sweepFolders()) {
      JsonObject sweep;
      try {
        sweep = JsonParser.parseString(Files.readString(within(folder.resolve(SWEEP_TABLE), SWEEP_TABLE)))
            .getAsJsonObject();
      } catch (NotServed | RuntimeException e) {
        continue; // a table that links out or is not a sweep's is left out
      }
      sweep.addProperty("name", folder.getFileName().toString());
      sweep.addProperty("picture", staysInside(folder.resolve(SWEEP_PICTURE)));
      JsonArray runs = new JsonArray();
      for (Path run : sweepRuns(folder)) {
        String name = run.getParent().getFileName() + "/" + run.getFileName();
        JsonObject summary = summary(run, name);
        JsonObject progress = new JsonObject();
        progress.addProperty("name", name);
        for (String key : List.of("state", "step", "total_steps")) {
          progress.add(key, summary.get(key));
        }
        runs.add(progress);
      }
      sweep.add("progress", runs);
      sweeps.add(sweep);
    }
    return sweeps;
  }

  /** A sweep's plot of its values over the configurations. */
  Path sweepPicture(String name) throws NotServed, IOException {
    return within(inside(name).resolve(SWEEP_PICTURE), SWEEP_PICTURE);
  }

  /** The folders in a folder whose names are allowed and that lie inside the runs folder, by name. */
  private List<Path> folders(Path folder, Pattern names) throws IOException {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(folder)) {
      return s.filter(p -> names.matcher(p.getFileName().toString()).matches()).filter(Files::isDirectory)
          .filter(this::staysInside).sorted().toList();
    }
  }

  /**
   * What a run is (its architecture, loss and dataset), its state ({@code running}, {@code
   * completed}, {@code stopped}, {@code diverged}), its step of the total, speed, time left and
   * latest values.
   */
  JsonObject summary(Path run, String name) throws IOException {
    JsonObject summary = new JsonObject();
    summary.addProperty("name", name);
    Map<String, Object> experiment = experiment(run);
    summary.addProperty("architecture", pluginName(experiment.get("architecture")));
    summary.addProperty("loss", pluginName(experiment.getOrDefault("loss", "(architecture's default)")));
    summary.addProperty("dataset", pluginName(experiment.get("dataset")));
    long total = experiment.get("training") instanceof Map<?, ?> t && t.get("steps") instanceof Number n ? n.longValue()
        : 1000;
    summary.addProperty("total_steps", total);
    JsonObject lastTrain = null;
    JsonObject lastMetrics = null;
    Log log = log(run);
    if (log.unreadable() != null) {
      summary.addProperty("unreadable", log.unreadable());
    }
    for (JsonObject line : log.lines()) {
      String kind = line.has("kind") ? line.get("kind").getAsString() : "";
      if (kind.equals("train")) {
        lastTrain = line;
      } else if (kind.equals("metrics")) {
        lastMetrics = line;
      }
    }
    long step = lastTrain == null ? 0 : lastTrain.get("step").getAsLong();
    summary.addProperty("step", step);
    if (lastTrain != null && lastTrain.has("steps_per_second")) {
      double speed = lastTrain.get("steps_per_second").getAsDouble();
      summary.addProperty("steps_per_second", speed);
      if (speed > 0 && step < total) {
        summary.addProperty("seconds_left", (total - step) / speed);
      }
    }
    if (lastTrain != null && lastTrain.has("train_seconds")) {
      summary.addProperty("train_seconds", lastTrain.get("train_seconds").getAsDouble());
    }
    summary.addProperty("state", diverged(lastTrain) ? "diverged" : step >= total ? "completed"
        : writing(run) ? "running" : "stopped");
    JsonObject latest = new JsonObject();
    if (lastMetrics != null) {
      lastMetrics.entrySet().stream().filter(e -> e.getKey().startsWith("metric/"))
          .forEach(e -> latest.add(e.getKey().substring("metric/".length()), e.getValue()));
    }
    summary.add("metrics", latest);
    return summary;
  }

  /**
   * A run's log as far as it can be read.
   *
   * @param lines its lines, first first
   * @param unreadable what could not be read (a line torn by a run killed mid-write), or null
   */
  record Log(List<JsonObject> lines, String unreadable) {
    Log {
      lines = List.copyOf(lines);
    }
  }

  /** The run's log lines up to the first that is not whole JSON, which is named: the rest is for a later read. */
  Log log(Path run) throws IOException {
    Path file = run.resolve("metrics.jsonl");
    if (!Files.isRegularFile(file)) {
      return new Log(List.of(), null);
    }
    long size = Files.size(file);
    java.nio.file.attribute.FileTime modified = Files.getLastModifiedTime(file);
    Parsed last = parsed.get(file);
    if (last != null && last.size() == size && last.modified().equals(modified)) {
      return last.log();
    }
    Log log = parse(Files.readAllLines(file, StandardCharsets.UTF_8));
    parsed.put(file, new Parsed(size, modified, log));
    return log;
  }

  private static Log parse(List<String> texts) {
    List<JsonObject> lines = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      try {
        JsonElement e = JsonParser.parseString(texts.get(i));
        if (e.isJsonObject()) {
          lines.add(e.getAsJsonObject());
          continue;
        }
      } catch (JsonSyntaxException torn) {
        // reported below
      }
      return new Log(lines, "line " + (i + 1) + " of metrics.jsonl is not whole (" + (texts.size() - i)
          + " line(s) from there not shown): a run killed while writing it, or one writing it now");
    }
    return new Log(lines, null);
  }

  /** The run folder of this name (a run's, or a sweep's run's {@code SWEEP/CONFIGURATION/seed-N}), or why it is not served. */
  Path inside(String name) throws NotServed, IOException {
    String[] segments = name == null ? new String[0] : name.split("/", -1);
    boolean allowed = segments.length == 1 ? RUN.matcher(segments[0]).matches()
        : segments.length == 3 && RUN.matcher(segments[0]).matches() && runNameLength(segments) == 3
            && Files.isRegularFile(root.resolve(segments[0]).resolve(SWEEP_TABLE));
    if (!allowed || name.contains("..")) {
      throw new NotServed("no run named '" + name + "'");
    }
    return within(root.resolve(name), name);
  }

  /** A sample grid of a run. */
  Path sample(Path run, String file) throws NotServed, IOException {
    if (file == null || !SAMPLE.matcher(file).matches()) {
      throw new NotServed("no sample grid named '" + file + "'");
    }
    return within(run.resolve("samples").resolve(file), file);
  }

  /** The sample grids' file names, oldest step first. */
  List<String> samples(Path run) throws IOException {
    return names(run.resolve("samples"), SAMPLE);
  }

  /** The evaluations' file names, oldest first. */
  List<String> evaluations(Path run) throws IOException {
    return names(run, EVALUATION);
  }

  String experimentText(Path run) throws IOException {
    return Files.readString(run.resolve("experiment.yaml"), StandardCharsets.UTF_8);
  }

  /** An evaluation file of a run as JSON. */
  JsonElement evaluation(Path run, String file) throws NotServed, IOException {
    if (file == null || !EVALUATION.matcher(file).matches()) {
      throw new NotServed("no evaluation named '" + file + "'");
    }
    return JsonParser.parseString(Files.readString(within(run.resolve(file), file)));
  }

  private List<String> names(Path folder, Pattern pattern) throws IOException {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(folder)) {
      return s.filter(p -> pattern.matcher(p.getFileName().toString()).matches()).filter(this::staysInside)
          .map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private boolean staysInside(Path path) {
    try {
      within(path, path.getFileName().toString());
      return true;
    } catch (NotServed | IOException e) {
      return false;
    }
  }

  /** {@code path} with links followed, if it exists and lies inside the folder. */
  private Path within(Path path, String name) throws NotServed, IOException {
    try {
      Path real = path.toRealPath();
      if (!real.startsWith(root.toRealPath())) {
        throw new NotServed("'" + name + "' lies outside the runs folder");
      }
      return real;
    } catch (NoSuchFileException e) {
      throw new NotServed("no '" + name + "' in " + root);
    }
  }

  /** Whether a logged loss is not finite: the trainer logs such a step and stops (the log writes them as strings). */
  private static boolean diverged(JsonObject line) {
    return line != null && line.entrySet().stream().anyMatch(e -> e.getValue().isJsonPrimitive()
        && e.getValue().getAsJsonPrimitive().isString()
        && List.of("NaN", "Infinity", "-Infinity").contains(e.getValue().getAsString()));
  }

  /** Whether a process that is alive holds the run's writer lock (its file names the holder while it writes). */
  private static boolean writing(Path run) {
    try {
      String holder = Files.readString(run.resolve("writer.lock")).trim();
      if (holder.isEmpty()) {
        return false;
      }
      long pid = JsonParser.parseString(holder).getAsJsonObject().get("pid").getAsLong();
      return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> experiment(Path run) throws IOException {
    Object parsed = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(run.resolve("experiment.yaml")));
    return parsed instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  private static String pluginName(Object ref) {
    if (ref instanceof Map<?, ?> m && m.get("name") != null) {
      return String.valueOf(m.get("name"));
    }
    return ref == null ? "?" : String.valueOf(ref);
  }
}
