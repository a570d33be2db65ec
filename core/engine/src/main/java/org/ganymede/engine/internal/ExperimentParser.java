package org.ganymede.engine.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.ganymede.api.ParameterException;
import org.ganymede.nn.Precision;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads an experiment file. Unknown keys and wrong types fail here, before anything is built,
 * with a message that names the key and what is allowed.
 */
final class ExperimentParser {
  static final List<String> TOP_KEYS = List.of(
      "name", "bundles", "architecture", "loss", "regularizers", "augmentations", "dataset", "metrics", "training", "output");
  static final List<String> TRAINING_KEYS = List.of(
      "steps", "batch", "critic_steps", "seed", "optimizers", "class_sampling", "init_from", "freeze", "precision");
  static final List<String> OUTPUT_KEYS = List.of(
      "run_dir", "log_every", "sample_every", "checkpoint_every", "metrics_every", "grid", "sample_scale",
      "keep_checkpoints", "keep_best");

  private ExperimentParser() {}

  /** Reads {@code file}; a relative {@code run_dir} is resolved against the current directory. */
  static Experiment read(Path file) throws IOException {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new ParameterException("experiment file " + file + " does not exist");
    }
    String fallbackName = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
    return parse(text, fallbackName, file.toString());
  }

  /** A YAML value: a document, or a flow map or scalar given on the command line. */
  static Object value(String text, String where) {
    try {
      // A key written twice would otherwise keep its last value without a word.
      LoaderOptions options = new LoaderOptions();
      options.setAllowDuplicateKeys(false);
      return new Yaml(new SafeConstructor(options)).load(text);
    } catch (YAMLException e) {
      throw new ParameterException(where + " is not valid YAML: " + e.getMessage());
    }
  }

  static Experiment parse(String text, String fallbackName, String where) {
    Object root = value(text, where);
    Map<String, Object> top = map(root, where, "the experiment");
    rejectUnknown(top, TOP_KEYS, where, "the experiment");

    String name = string(top.getOrDefault("name", fallbackName), where, "name");
    List<String> bundles = new ArrayList<>();
    for (Object b : list(top.get("bundles"), where, "bundles")) {
      bundles.add(string(b, where, "bundles"));
    }
    PluginRef architecture = plugin(required(top, "architecture", where), "architecture", where);
    PluginRef loss = top.containsKey("loss") ? plugin(top.get("loss"), "loss", where) : null;
    List<PluginRef> regularizers = new ArrayList<>();
    for (Object r : list(top.get("regularizers"), where, "regularizers")) {
      regularizers.add(plugin(r, "regularizer", where));
    }
    List<PluginRef> augmentations = new ArrayList<>();
    for (Object a : list(top.get("augmentations"), where, "augmentations")) {
      augmentations.add(plugin(a, "augmentation", where));
    }
    PluginRef dataset = plugin(required(top, "dataset", where), "dataset", where);
    List<PluginRef> metrics = new ArrayList<>();
    for (Object m : list(top.get("metrics"), where, "metrics")) {
      metrics.add(plugin(m, "metric", where));
    }

    Map<String, Object> t = map(top.getOrDefault("training", Map.of()), where, "training");
    rejectUnknown(t, TRAINING_KEYS, where, "training");
    Map<String, Map<String, Object>> optimizers = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : map(t.getOrDefault("optimizers", Map.of()), where, "training.optimizers").entrySet()) {
      optimizers.put(e.getKey(), map(e.getValue(), where, "training.optimizers." + e.getKey()));
    }
    Experiment.Training training = new Experiment.Training(
        positiveLong(t.getOrDefault("steps", 1000), where, "training.steps"),
        (int) positiveLong(t.getOrDefault("batch", 64), where, "training.batch"),
        (int) positiveLong(t.getOrDefault("critic_steps", 1), where, "training.critic_steps"),
        longValue(t.getOrDefault("seed", 0), where, "training.seed"),
        optimizers,
        choice(t.getOrDefault("class_sampling", "uniform"), Experiment.Training.CLASS_SAMPLINGS, where,
            "training.class_sampling"),
        t.containsKey("init_from") ? initFrom(t.get("init_from"), where) : null,
        freeze(t.get("freeze"), where),
        Precision.named(choice(t.getOrDefault("precision", "fp32"), Experiment.Training.PRECISIONS, where,
            "training.precision")));

    Map<String, Object> o = map(top.getOrDefault("output", Map.of()), where, "output");
    rejectUnknown(o, OUTPUT_KEYS, where, "output");
    Experiment.Output output = new Experiment.Output(
        Path.of(string(o.getOrDefault("run_dir", "runs/" + name), where, "output.run_dir")),
        positiveLong(o.getOrDefault("log_every", 10), where, "output.log_every"),
        positiveLong(o.getOrDefault("sample_every", 500), where, "output.sample_every"),
        positiveLong(o.getOrDefault("checkpoint_every", 1000), where, "output.checkpoint_every"),
        longValue(o.getOrDefault("metrics_every", 0), where, "output.metrics_every"),
        (int) positiveLong(o.getOrDefault("grid", 64), where, "output.grid"),
        sampleScale(o.getOrDefault("sample_scale", "auto"), where),
        (int) positiveLong(o.getOrDefault("keep_checkpoints", 3), where, "output.keep_checkpoints"),
        o.containsKey("keep_best") ? keepBest(o.get("keep_best"), metrics, where) : null);

    return new Experiment(name, text, bundles, architecture, loss, regularizers, augmentations, dataset, metrics,
        training, output);
  }

  /** {@code sample_scale: auto | N}: 0 for automatic, else the factor. */
  private static int sampleScale(Object value, String where) {
    if ("auto".equals(value)) {
      return 0;
    }
    if (value instanceof Integer n && n >= 1 && n <= Experiment.Output.MAX_SAMPLE_SCALE) {
      return n;
    }
    throw new ParameterException(where + ": output.sample_scale must be auto or an integer from 1 to "
        + Experiment.Output.MAX_SAMPLE_SCALE + " (how many times sample pictures are enlarged), was " + value);
  }

  /** {@code freeze: {discriminator_layers: K, generator_layers: K}}: network to the count of its first layers held fixed. */
  private static Map<String, Integer> freeze(Object value, String where) {
    Map<String, Object> m = map(value, where, "training.freeze");
    List<String> keys = Experiment.Training.FREEZABLE.stream().map(n -> n + "_layers").toList();
    rejectUnknown(m, keys, where, "training.freeze");
    Map<String, Integer> freeze = new LinkedHashMap<>();
    m.forEach((k, v) -> freeze.put(k.substring(0, k.length() - "_layers".length()),
        (int) positiveLong(v, where, "training.freeze." + k)));
    return freeze;
  }

  /** {@code init_from: {run: DIR, checkpoint: latest|best|STEP, optimizer: false, skip: [NAME, PREFIX*]}}. */
  private static Experiment.InitFrom initFrom(Object value, String where) {
    Map<String, Object> m = value instanceof String ? Map.of("run", value) : map(value, where, "training.init_from");
    rejectUnknown(m, List.of("run", "checkpoint", "optimizer", "skip"), where, "training.init_from");
    if (!m.containsKey("run")) {
      throw new ParameterException(where + ": training.init_from needs 'run', the run folder whose weights to start "
          + "from");
    }
    Object optimizer = m.getOrDefault("optimizer", false);
    if (!(optimizer instanceof Boolean)) {
      throw new ParameterException(where + ": training.init_from.optimizer is true or false, not '" + optimizer + "'");
    }
    List<String> skip = new ArrayList<>();
    for (Object s : list(m.get("skip"), where, "training.init_from.skip")) {
      skip.add(string(s, where, "training.init_from.skip"));
    }
    String checkpoint = string(m.getOrDefault("checkpoint", "latest"), where, "training.init_from.checkpoint");
    org.ganymede.api.Checkpoint chosen;
    try {
      chosen = org.ganymede.api.Checkpoint.parse(checkpoint);
    } catch (ParameterException e) {
      throw new ParameterException(where + ": training.init_from.checkpoint is '" + checkpoint + "'; allowed: latest, "
          + "best, or the step of one of that run's checkpoints");
    }
    return new Experiment.InitFrom(Path.of(string(m.get("run"), where, "training.init_from.run")), chosen,
        (Boolean) optimizer, skip);
  }

  /**
   * {@code keep_best: {metric: fid/fid, mode: min}}: the metric as the metrics log keys it, with
   * or without its {@code metric/} prefix, of a metric the experiment selects.
   */
  private static Experiment.KeepBest keepBest(Object value, List<PluginRef> metrics, String where) {
    Map<String, Object> m = map(value, where, "output.keep_best");
    rejectUnknown(m, List.of("metric", "mode"), where, "output.keep_best");
    if (!m.containsKey("metric") || !m.containsKey("mode")) {
      throw new ParameterException(where + ": output.keep_best needs 'metric' (a key of the metrics log, fid/fid say)"
          + " and 'mode' (min where lower is better, as for FID and KID; max for IS, precision, recall)");
    }
    String key = string(m.get("metric"), where, "output.keep_best.metric");
    String full = key.startsWith("metric/") ? key : "metric/" + key;
    String name = full.split("/", 3).length == 3 ? full.split("/", 3)[1] : "";
    if (metrics.stream().noneMatch(r -> r.name().equals(name))) {
      throw new ParameterException(where + ": output.keep_best.metric is '" + key + "', not a value of a metric this "
          + "experiment selects; it is NAME/VALUE as the metrics log keys it (fid/fid, kid/kid_mean), and the "
          + "experiment selects " + (metrics.isEmpty() ? "no metrics" : String.join(", ", metrics.stream()
              .map(PluginRef::name).toList())));
    }
    return new Experiment.KeepBest(full, choice(m.get("mode"), Experiment.KeepBest.MODES, where,
        "output.keep_best.mode"));
  }

  static PluginRef plugin(Object value, String kind, String where) {
    if (value instanceof String s) {
      return new PluginRef(kind, s, Map.of());
    }
    if (value instanceof Map<?, ?>) {
      Map<String, Object> m = new LinkedHashMap<>(map(value, where, kind));
      Object name = m.remove("name");
      if (name == null) {
        throw new ParameterException(where + ": " + kind + " needs a 'name' (e.g. " + kind + ": {name: ..., ...})");
      }
      return new PluginRef(kind, string(name, where, kind + ".name"), m);
    }
    throw new ParameterException(where + ": " + kind + " must be a name or a map with a 'name', not '" + value + "'");
  }

  private static Object required(Map<String, Object> m, String key, String where) {
    Object v = m.get(key);
    if (v == null) {
      throw new ParameterException(where + ": '" + key + "' is missing; an experiment must say which " + key + " to use");
    }
    return v;
  }

  private static void rejectUnknown(Map<String, Object> m, List<String> allowed, String where, String what) {
    Set<String> unknown = new TreeSet<>(m.keySet());
    unknown.removeAll(allowed);
    if (!unknown.isEmpty()) {
      throw new ParameterException(where + ": unknown key" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown)
          + " in " + what + "; allowed: " + String.join(", ", allowed));
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object v, String where, String what) {
    if (v == null) {
      return Map.of();
    }
    if (!(v instanceof Map<?, ?> raw)) {
      throw new ParameterException(where + ": " + what + " must be a map of keys to values, not '" + v + "'");
    }
    for (Object k : raw.keySet()) {
      if (!(k instanceof String)) {
        throw new ParameterException(where + ": key '" + k + "' in " + what + " must be a word");
      }
    }
    return (Map<String, Object>) raw;
  }

  private static List<?> list(Object v, String where, String what) {
    if (v == null) {
      return List.of();
    }
    if (v instanceof List<?> l) {
      return l;
    }
    throw new ParameterException(where + ": " + what + " must be a list, e.g. [a, b], not '" + v + "'");
  }

  private static String string(Object v, String where, String what) {
    if (v instanceof String || v instanceof Number) {
      return v.toString();
    }
    throw new ParameterException(where + ": " + what + " must be a string, not '" + v + "'");
  }

  private static String choice(Object v, List<String> allowed, String where, String what) {
    String value = string(v, where, what);
    if (!allowed.contains(value)) {
      throw new ParameterException(where + ": " + what + " is '" + value + "'; allowed: " + String.join(", ", allowed));
    }
    return value;
  }

  private static long longValue(Object v, String where, String what) {
    if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
      return n.longValue();
    }
    throw new ParameterException(where + ": " + what + " must be an integer, not '" + v + "'");
  }

  private static long positiveLong(Object v, String where, String what) {
    long n = longValue(v, where, what);
    if (n <= 0) {
      throw new ParameterException(where + ": " + what + " must be a positive integer, not " + n);
    }
    return n;
  }
}
