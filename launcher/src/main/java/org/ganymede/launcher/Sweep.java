package org.ganymede.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ganymede.api.ParameterException;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.representer.Representer;

/**
 * A sweep file: one experiment, the seeds to train it with, and values for some of its settings;
 * the cross product of the values, each with every seed, is the sweep's runs.
 *
 * <pre>
 * experiment: vanilla-ring-modes.yaml   # relative to the sweep file
 * seeds: [1, 2, 3]
 * parallel: 2                           # runs at a time
 * run_dir: runs/ring-packing            # default runs/NAME (the sweep file's name)
 * grid:                                 # a setting by its path in the experiment, and its values
 *   architecture.packing: [1, 2, 4]
 * variants:                             # or (and) named alternatives, each a few settings
 *   plain: {}
 *   noise: {augmentations: [instance-noise]}
 * plot: modes/covered                   # the metric plotted; default the first
 * </pre>
 */
record Sweep(Path file, Map<String, Object> experiment, List<Long> seeds, int parallel, Path runDirectory,
    Map<String, Map<String, Object>> variants, Map<String, List<Object>> grid, String plot) {
  private static final Set<String> KEYS = Set.of("experiment", "seeds", "parallel", "run_dir", "variants", "grid",
      "plot");

  /** One point of the grid: its name (a folder name) and the value of each swept setting. */
  record Configuration(String name, Map<String, Object> values) {}

  /** One run of the sweep: a configuration with a seed, its experiment file and its run folder. */
  record Run(Configuration configuration, long seed, Path experimentFile, Path folder, long steps) {
    String describe() {
      return configuration.name() + " seed " + seed;
    }
  }

  static Sweep read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new ParameterException("sweep file " + file + " does not exist");
    }
    Map<String, Object> root = map(load(file), file.toString());
    for (String key : root.keySet()) {
      if (!KEYS.contains(key)) {
        throw new ParameterException(file + ": unknown key '" + key + "'; a sweep has " + String.join(", ",
            new java.util.TreeSet<>(KEYS)));
      }
    }
    if (!(root.get("experiment") instanceof String named)) {
      throw new ParameterException(file + ": 'experiment' names the experiment file to sweep (relative to the sweep"
          + " file); it is missing");
    }
    Path base = file.toAbsolutePath().getParent();
    Path experimentFile = base.resolve(named);
    if (!Files.isRegularFile(experimentFile)) {
      throw new ParameterException(file + ": experiment " + experimentFile + " does not exist");
    }
    Map<String, Object> experiment = map(load(experimentFile), experimentFile.toString());
    List<Long> seeds = new ArrayList<>();
    Object seedList = root.get("seeds");
    if (seedList == null) {
      Object training = experiment.get("training");
      Object seed = training instanceof Map<?, ?> t ? t.get("seed") : null;
      seeds.add(seed instanceof Number n ? n.longValue() : 1L);
    } else if (seedList instanceof List<?> list && !list.isEmpty()) {
      for (Object o : list) {
        if (!(o instanceof Number n)) {
          throw new ParameterException(file + ": seeds are whole numbers; '" + o + "' is not");
        }
        seeds.add(n.longValue());
      }
    } else {
      throw new ParameterException(file + ": 'seeds' is a list of whole numbers, such as [1, 2, 3]");
    }
    int parallel = root.get("parallel") instanceof Number n ? n.intValue() : 1;
    if (root.containsKey("parallel") && !(root.get("parallel") instanceof Number) || parallel < 1) {
      throw new ParameterException(file + ": 'parallel' is how many runs train at a time, 1 or more");
    }
    String name = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
    Path runDirectory = root.get("run_dir") instanceof String dir ? Path.of(dir) : Path.of("runs", name);
    Map<String, List<Object>> grid = new LinkedHashMap<>();
    if (root.containsKey("grid")) {
      for (Map.Entry<String, Object> e : map(root.get("grid"), file + ": grid").entrySet()) {
        if (!(e.getValue() instanceof List<?> values) || values.isEmpty()) {
          throw new ParameterException(file + ": grid." + e.getKey() + " is a list of the values to try");
        }
        grid.put(e.getKey(), List.copyOf(values));
      }
    }
    Map<String, Map<String, Object>> variants = new LinkedHashMap<>();
    if (root.containsKey("variants")) {
      for (Map.Entry<String, Object> e : map(root.get("variants"), file + ": variants").entrySet()) {
        variants.put(String.valueOf(e.getKey()), e.getValue() == null ? Map.of()
            : map(e.getValue(), file + ": variants." + e.getKey()));
      }
    }
    String plot = root.get("plot") == null ? null : String.valueOf(root.get("plot"));
    return new Sweep(file, experiment, List.copyOf(seeds), parallel, runDirectory, variants, grid, plot);
  }

  /** The variants, each with the grid's points in order, the last setting changing fastest. */
  List<Configuration> configurations() {
    List<Configuration> result = new ArrayList<>();
    if (variants.isEmpty()) {
      result.add(new Configuration("", new LinkedHashMap<>()));
    }
    variants.forEach((name, settings) -> result.add(new Configuration(name.replaceAll("[^A-Za-z0-9._=-]+", "_"),
        new LinkedHashMap<>(settings))));
    for (Map.Entry<String, List<Object>> e : grid.entrySet()) {
      List<Configuration> next = new ArrayList<>();
      String leaf = e.getKey().substring(e.getKey().lastIndexOf('.') + 1);
      for (Configuration c : result) {
        for (Object value : e.getValue()) {
          Map<String, Object> values = new LinkedHashMap<>(c.values());
          values.put(e.getKey(), value);
          String part = leaf + "=" + flow(value).replaceAll("[^A-Za-z0-9._=-]+", "_");
          next.add(new Configuration(c.name().isEmpty() ? part : c.name() + "," + part, values));
        }
      }
      result.clear();
      result.addAll(next);
    }
    return result.size() == 1 && result.get(0).name().isEmpty() ? List.of(new Configuration("base", Map.of())) : result;
  }

  /**
   * Every run, each configuration with every seed, writing each run's experiment file beside its
   * folder; seed by seed, so that a sweep stopped part way has every configuration on its first seeds.
   */
  List<Run> plan() throws IOException {
    List<Run> runs = new ArrayList<>();
    for (long seed : seeds) {
      for (Configuration c : configurations()) {
        Map<String, Object> experiment = deepCopy(this.experiment);
        for (Map.Entry<String, Object> v : c.values().entrySet()) {
          set(experiment, v.getKey(), v.getValue());
        }
        set(experiment, "training.seed", seed);
        Path folder = runDirectory.resolve(c.name()).resolve("seed-" + seed);
        set(experiment, "output.run_dir", folder.toString());
        Object steps = ((Map<?, ?>) experiment.get("training")).get("steps");
        if (!(steps instanceof Number n)) {
          throw new ParameterException(file + ": the experiment's training.steps is needed to tell a finished run");
        }
        Path experimentFile = runDirectory.resolve(c.name()).resolve("seed-" + seed + ".yaml");
        Files.createDirectories(experimentFile.getParent());
        String text = "# written by 'ganymede sweep " + file + "'\n" + yaml().dump(experiment);
        if (!Files.exists(experimentFile) || !Files.readString(experimentFile).equals(text)) {
          Files.writeString(experimentFile, text);
        }
        runs.add(new Run(c, seed, experimentFile, folder, n.longValue()));
      }
    }
    return runs;
  }

  /**
   * Sets the setting at a dotted path: a missing map on the way is made, and a plug-in named by a
   * bare name ({@code loss: hinge}) becomes {@code {name: hinge}} to take a parameter.
   */
  @SuppressWarnings("unchecked")
  static void set(Map<String, Object> root, String path, Object value) {
    String[] parts = path.split("\\.");
    Map<String, Object> at = root;
    for (int i = 0; i < parts.length - 1; i++) {
      Object next = at.get(parts[i]);
      if (next instanceof String name) {
        next = new LinkedHashMap<>(Map.of("name", name));
      } else if (next == null) {
        next = new LinkedHashMap<String, Object>();
      } else if (!(next instanceof Map)) {
        throw new ParameterException("grid." + path + ": '" + parts[i] + "' in the experiment is " + flow(next)
            + ", not a map of settings");
      }
      at.put(parts[i], next);
      at = (Map<String, Object>) next;
    }
    at.put(parts[parts.length - 1], value);
  }

  static String flow(Object value) {
    if (value instanceof Map || value instanceof List) {
      DumperOptions options = new DumperOptions();
      options.setDefaultFlowStyle(DumperOptions.FlowStyle.FLOW);
      return new Yaml(options).dump(value).trim();
    }
    return String.valueOf(value);
  }

  private static Yaml yaml() {
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    return new Yaml(new Representer(options), options);
  }

  private static Object load(Path file) throws IOException {
    try {
      return new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
    } catch (org.yaml.snakeyaml.error.YAMLException e) {
      throw new ParameterException(file + " is not valid YAML: " + e.getMessage());
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o, String what) {
    if (!(o instanceof Map)) {
      throw new ParameterException(what + " is not a map of settings");
    }
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  private static <T> T deepCopy(T value) {
    if (value instanceof Map<?, ?> m) {
      Map<Object, Object> copy = new LinkedHashMap<>();
      m.forEach((k, v) -> copy.put(k, deepCopy(v)));
      return (T) copy;
    }
    if (value instanceof List<?> l) {
      List<Object> copy = new ArrayList<>();
      l.forEach(v -> copy.add(deepCopy(v)));
      return (T) copy;
    }
    return value;
  }
}
