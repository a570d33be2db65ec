package org.ganymede.engine.internal;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The run's values as JSON lines: {@code {"step": 100, "generator": 0.71, ...}}. A resumed run
 * first drops the lines written after its checkpoint, so every step appears once, and a line cut
 * short by a process killed while writing it, which it reports.
 */
final class MetricsLog implements AutoCloseable {
  private static final Gson GSON = new Gson();
  private final BufferedWriter out;

  MetricsLog(Path file, long resumeStep, java.util.function.Consumer<String> warning) throws IOException {
    if (Files.exists(file)) {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      List<String> kept = new ArrayList<>();
      List<Integer> unreadable = new ArrayList<>();
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        if (line.isBlank()) {
          continue;
        }
        Long step = stepOf(line);
        if (step == null) {
          unreadable.add(i + 1);
        } else if (step <= resumeStep) {
          kept.add(line);
        }
      }
      if (!unreadable.isEmpty()) {
        boolean one = unreadable.size() == 1;
        warning.accept("metrics log " + file + ": line" + (one ? " " : "s ") + String.join(", ", unreadable.stream()
            .map(String::valueOf).toList()) + " of " + lines.size() + " cannot be read"
            + " (cut short when a run was killed while writing, say) and " + (one ? "is" : "are")
            + " dropped; the other lines are kept");
      }
      if (kept.size() < lines.size()) { // rewritten only when it must be: a full disk may hold no copy
        RunDirectory.writeAtomically(file, kept.isEmpty() ? "" : String.join("\n", kept) + "\n");
      }
    }
    out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  /** A line's step, or null when it is not a whole JSON object with one. */
  private static Long stepOf(String line) {
    try {
      JsonObject json = JsonParser.parseString(line).getAsJsonObject();
      return json.has("step") ? json.get("step").getAsLong() : null;
    } catch (RuntimeException e) { // Gson's syntax errors, a line that is not an object, a step that is no number
      return null;
    }
  }

  void write(long step, String kind, Map<String, Double> values) throws IOException {
    JsonObject line = new JsonObject();
    line.addProperty("step", step);
    line.addProperty("kind", kind);
    for (Map.Entry<String, Double> e : values.entrySet()) {
      double v = e.getValue();
      if (Double.isFinite(v)) {
        line.addProperty(e.getKey(), v);
      } else {
        line.addProperty(e.getKey(), Double.toString(v));
      }
    }
    out.write(GSON.toJson(line));
    out.newLine();
    out.flush();
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
