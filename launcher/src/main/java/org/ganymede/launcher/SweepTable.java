package org.ganymede.launcher;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.renderer.category.StatisticalLineAndShapeRenderer;
import org.jfree.data.statistics.DefaultStatisticalCategoryDataset;

/**
 * A sweep's final values per configuration: each finished run's last evaluation (or, for an
 * experiment without metrics, its last logged losses) with its training time, as mean and standard
 * error over the configuration's seeds.
 */
final class SweepTable {
  /** A configuration's runs: how many finished, and the final values of each. */
  record Row(Sweep.Configuration configuration, int planned, List<Map<String, Double>> finished) {
    double mean(String key) {
      return values(key).stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /** The standard error of the mean: the seeds' sample standard deviation over the square root of their number. */
    double standardError(String key) {
      List<Double> v = values(key);
      if (v.size() < 2) {
        return Double.NaN;
      }
      double mean = mean(key);
      double squares = v.stream().mapToDouble(x -> (x - mean) * (x - mean)).sum();
      return Math.sqrt(squares / (v.size() - 1)) / Math.sqrt(v.size());
    }

    /** How many of the finished runs logged {@code key}. */
    int count(String key) {
      return values(key).size();
    }

    private List<Double> values(String key) {
      return finished.stream().map(m -> m.get(key)).filter(java.util.Objects::nonNull).toList();
    }
  }

  private final Sweep sweep;
  private final List<Row> rows;
  private final List<String> columns;

  private SweepTable(Sweep sweep, List<Row> rows, List<String> columns) {
    this.sweep = sweep;
    this.rows = rows;
    this.columns = columns;
  }

  static SweepTable of(Sweep sweep, List<Sweep.Run> runs) throws IOException {
    Map<String, List<Sweep.Run>> byConfiguration = new LinkedHashMap<>();
    for (Sweep.Run run : runs) {
      byConfiguration.computeIfAbsent(run.configuration().name(), k -> new ArrayList<>()).add(run);
    }
    List<Row> rows = new ArrayList<>();
    Set<String> columns = new LinkedHashSet<>();
    for (List<Sweep.Run> group : byConfiguration.values()) {
      List<Map<String, Double>> finished = new ArrayList<>();
      for (Sweep.Run run : group) {
        if (SweepCommand.checkpointStep(run.folder()) >= run.steps()) {
          Map<String, Double> values = finalValues(run.folder().resolve("metrics.jsonl"));
          columns.addAll(values.keySet());
          finished.add(values);
        }
      }
      rows.add(new Row(group.get(0).configuration(), group.size(), finished));
    }
    // train_seconds last: the metrics are what a sweep compares, the time is what they cost.
    List<String> ordered = new ArrayList<>(columns);
    if (ordered.remove("train_seconds")) {
      ordered.add("train_seconds");
    }
    return new SweepTable(sweep, rows, ordered);
  }

  /** The last evaluation's values with its train_seconds; without evaluations, the last train line's. */
  static Map<String, Double> finalValues(Path log) throws IOException {
    JsonObject lastMetrics = null;
    JsonObject lastTrain = null;
    for (String line : Files.readAllLines(log)) {
      if (line.isBlank()) {
        continue;
      }
      JsonObject o = JsonParser.parseString(line).getAsJsonObject();
      if ("metrics".equals(o.get("kind").getAsString())) {
        lastMetrics = o;
      } else if ("train".equals(o.get("kind").getAsString())) {
        lastTrain = o;
      }
    }
    JsonObject chosen = lastMetrics != null ? lastMetrics : lastTrain;
    Map<String, Double> values = new LinkedHashMap<>();
    if (chosen == null) {
      return values;
    }
    for (Map.Entry<String, JsonElement> e : chosen.entrySet()) {
      if (!e.getKey().equals("step") && !e.getKey().equals("kind") && !e.getKey().equals("steps_per_second")
          && e.getValue().isJsonPrimitive() && e.getValue().getAsJsonPrimitive().isNumber()) {
        values.put(e.getKey(), e.getValue().getAsDouble());
      }
    }
    return values;
  }

  List<Row> rows() {
    return rows;
  }

  List<String> columns() {
    return columns;
  }

  /**
   * Writes sweep.csv, sweep.md, sweep.json (for the dashboard) and, when there is a value to plot,
   * sweep.png into {@code folder}.
   *
   * @param complete whether every run has had its turn: a sweep on its way plots only once a run
   *     logged the value, and a complete one that never did is an error
   */
  List<Path> write(Path folder, boolean complete) throws IOException {
    Files.createDirectories(folder);
    List<Path> written = new ArrayList<>();
    Path csv = folder.resolve("sweep.csv");
    Files.writeString(csv, csv());
    written.add(csv);
    Path md = folder.resolve("sweep.md");
    Files.writeString(md, markdown());
    written.add(md);
    Path json = folder.resolve("sweep.json");
    // Whole or not at all: the dashboard may read it at any moment.
    Path partial = Files.writeString(folder.resolve("sweep.json.partial"), json(complete));
    Files.move(partial, json, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    written.add(json);
    String plotted = plotted();
    if (plotted != null && (complete || columns.contains(plotted))) {
      if (!columns.contains(plotted)) {
        throw new org.ganymede.api.ParameterException(sweep.file() + ": plot names '" + plotted + "', which no finished"
            + " run logged; they logged " + String.join(", ", columns));
      }
      Path png = folder.resolve("sweep.png");
      plot(plotted, png);
      written.add(png);
    }
    return written;
  }

  /** The value sweep.png shows: the sweep file's {@code plot}, else the first column. */
  private String plotted() {
    return sweep.plot() != null ? sweep.plot() : columns.isEmpty() ? null : columns.get(0);
  }

  /** The table as JSON: per configuration its settings, seeds planned and finished, and each value's mean and error. */
  String json(boolean complete) {
    JsonObject root = new JsonObject();
    root.addProperty("sweep", sweep.file().getFileName().toString());
    root.addProperty("complete", complete);
    if (plotted() != null) {
      root.addProperty("plot", plotted());
    }
    JsonArray names = new JsonArray();
    columns.forEach(names::add);
    root.add("columns", names);
    JsonArray configurations = new JsonArray();
    for (Row row : rows) {
      JsonObject c = new JsonObject();
      c.addProperty("name", row.configuration().name());
      JsonObject settings = new JsonObject();
      row.configuration().values().forEach((k, v) -> settings.addProperty(k, Sweep.flow(v)));
      c.add("settings", settings);
      c.addProperty("runs", row.planned());
      c.addProperty("finished", row.finished().size());
      JsonObject values = new JsonObject();
      for (String column : columns) {
        if (row.count(column) == 0) {
          continue;
        }
        JsonObject v = new JsonObject();
        v.addProperty("mean", row.mean(column));
        if (!Double.isNaN(row.standardError(column))) {
          v.addProperty("se", row.standardError(column));
        }
        v.addProperty("seeds", row.count(column));
        values.add(column, v);
      }
      c.add("values", values);
      configurations.add(c);
    }
    root.add("configurations", configurations);
    return root.toString();
  }

  String csv() {
    StringBuilder out = new StringBuilder("configuration");
    sweep.grid().keySet().forEach(k -> out.append(',').append(k));
    out.append(",runs,finished");
    columns.forEach(c -> out.append(',').append(c).append("_mean,").append(c).append("_se"));
    out.append('\n');
    for (Row row : rows) {
      out.append(quoted(row.configuration().name()));
      for (String key : sweep.grid().keySet()) {
        out.append(',').append(quoted(Sweep.flow(row.configuration().values().get(key))));
      }
      out.append(',').append(row.planned()).append(',').append(row.finished().size());
      for (String c : columns) {
        out.append(',').append(number(row.mean(c))).append(',').append(number(row.standardError(c)));
      }
      out.append('\n');
    }
    return out.toString();
  }

  String markdown() {
    StringBuilder out = new StringBuilder("| configuration | seeds |");
    columns.forEach(c -> out.append(' ').append(c).append(" |"));
    out.append("\n|---|---|");
    columns.forEach(c -> out.append("---|"));
    out.append('\n');
    for (Row row : rows) {
      out.append("| ").append(row.configuration().name()).append(" | ").append(row.finished().size());
      if (row.finished().size() < row.planned()) {
        out.append(" of ").append(row.planned());
      }
      out.append(" |");
      for (String c : columns) {
        double se = row.standardError(c);
        out.append(' ').append(shown(row.mean(c))).append(Double.isNaN(se) ? "" : " ± " + shown(se));
        if (row.count(c) < row.finished().size()) { // a metric that failed in some runs rests on fewer seeds
          out.append(" (").append(row.count(c)).append(" seed").append(row.count(c) == 1 ? "" : "s").append(')');
        }
        out.append(" |");
      }
      out.append('\n');
    }
    return out.toString();
  }

  /** The plotted value's mean per configuration, with the standard error as its error bar. */
  private void plot(String metric, Path png) throws IOException {
    DefaultStatisticalCategoryDataset data = new DefaultStatisticalCategoryDataset();
    for (Row row : rows) {
      double se = row.standardError(metric);
      data.add(row.mean(metric), Double.isNaN(se) ? 0 : se, metric, row.configuration().name());
    }
    CategoryAxis configurations = new CategoryAxis("configuration");
    configurations.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
    NumberAxis values = new NumberAxis(metric);
    values.setAutoRangeMinimumSize(1e-3); // equal values get a readable axis, not one of 1e-9 steps
    StatisticalLineAndShapeRenderer renderer = new StatisticalLineAndShapeRenderer(false, true);
    JFreeChart chart = new JFreeChart(sweep.file().getFileName() + ": mean ± standard error over seeds",
        JFreeChart.DEFAULT_TITLE_FONT,
        new CategoryPlot(data, configurations, values, renderer), false);
    chart.setBackgroundPaint(java.awt.Color.WHITE);
    ChartUtils.saveChartAsPNG(png.toFile(), chart, Math.max(640, 90 * rows.size()), 480);
  }

  private static String quoted(String s) {
    return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }

  private static String number(double v) {
    return Double.isNaN(v) ? "" : String.valueOf(v);
  }

  private static String shown(double v) {
    return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%.1f" : "%.4g", v);
  }
}
