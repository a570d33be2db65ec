package org.ganymede.shell.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.ganymede.api.Checkpoint;
import org.ganymede.api.ExperimentRunner;
import org.ganymede.api.ExperimentRunner.Evaluation;
import org.ganymede.api.ExperimentRunner.EvaluationOptions;
import org.ganymede.api.ExperimentRunner.PluginInfo;
import org.ganymede.api.ExperimentRunner.RunOptions;
import org.ganymede.api.ExperimentRunner.SampleOptions;
import org.ganymede.api.ParameterException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * Ganymede's commands for the Gogo shell: {@code ganymede:list}, {@code ganymede:train FILE},
 * {@code ganymede:status}, {@code ganymede:stop ID}, {@code ganymede:sample RUN OUT.png [COUNT SEED
 * [CHECKPOINT]]} and {@code ganymede:evaluate RUN [METRIC...]}. Runs train in the background, so a
 * long-running host keeps its shell; the commands need no Gogo types, only its service properties.
 */
// Immediate: Gogo releases the service after each command, and the runs must outlive that.
@Component(
    service = GanymedeCommands.class,
    immediate = true,
    property = {
      "osgi.command.scope=ganymede",
      "osgi.command.function=list",
      "osgi.command.function=train",
      "osgi.command.function=status",
      "osgi.command.function=stop",
      "osgi.command.function=sample",
      "osgi.command.function=evaluate"
    })
public final class GanymedeCommands {
  private final ExperimentRunner runner;
  private final Map<Integer, BackgroundRun> runs = new ConcurrentSkipListMap<>();
  private final AtomicInteger lastId = new AtomicInteger();

  @Activate
  public GanymedeCommands(@Reference ExperimentRunner runner) {
    this.runner = runner;
  }

  /** Every plug-in service registered now, a line each. */
  public String list() {
    StringBuilder out = new StringBuilder();
    for (PluginInfo p : runner.plugins()) {
      out.append(String.format("%-18s %-26s %s %s%n", p.kind(), p.name(), p.bundle(), p.version()));
    }
    return out.toString();
  }

  /** Starts training an experiment file in the background; answers the run's id. */
  public String train(String experimentFile) {
    Path file = Path.of(experimentFile).toAbsolutePath();
    if (!Files.isRegularFile(file)) {
      throw new ParameterException("experiment file " + file + " does not exist");
    }
    int id = lastId.incrementAndGet();
    BackgroundRun run = BackgroundRun.start(id, file, options -> runner.train(file, options));
    runs.put(id, run);
    return "run " + id + " started: " + file.getFileName() + " (ganymede:status, ganymede:stop " + id + ")";
  }

  /** Each run's id, state, step and latest values. */
  public String status() {
    if (runs.isEmpty()) {
      return "no runs yet; start one with ganymede:train EXPERIMENT";
    }
    List<String> lines = new ArrayList<>();
    runs.values().forEach(r -> lines.add(r.describe()));
    return String.join(System.lineSeparator(), lines);
  }

  /** Asks a run to write a checkpoint and stop. */
  public String stop(int id) {
    BackgroundRun run = runs.get(id);
    if (run == null) {
      throw new ParameterException("no run " + id + "; runs: " + (runs.isEmpty() ? "none" : runs.keySet()));
    }
    return run.requestStop() ? "run " + id + " stops after its current step and writes a checkpoint"
        : "run " + id + " has already finished";
  }

  /** A grid of 64 samples from a run's latest checkpoint (or {@code best}, or a step) as a PNG. */
  public String sample(String runDirectory, String out) throws Exception {
    return sample(runDirectory, out, 64, 1, "latest");
  }

  public String sample(String runDirectory, String out, int count, long seed) throws Exception {
    return sample(runDirectory, out, count, seed, "latest");
  }

  public String sample(String runDirectory, String out, int count, long seed, String checkpoint) throws Exception {
    Path written = runner.from(Checkpoint.parse(checkpoint)).sample(Path.of(runDirectory).toAbsolutePath(),
        SampleOptions.grid(count, seed, Path.of(out).toAbsolutePath()));
    return "wrote " + written;
  }

  /** The run's own metrics on its latest checkpoint, or those named; written beside it as evaluate does. */
  public String evaluate(String runDirectory, String... metrics) throws Exception {
    Evaluation result = runner.evaluate(Path.of(runDirectory).toAbsolutePath(),
        new EvaluationOptions(List.of(metrics), 0));
    List<String> lines = new ArrayList<>();
    lines.add("step " + result.step() + ":");
    result.values().forEach((k, v) -> lines.add(String.format("  %-40s %.6g", k, v)));
    result.failures().forEach(f -> lines.add("  failed: " + f));
    lines.add("wrote " + result.file());
    return String.join(System.lineSeparator(), lines);
  }

  /** Stopping the bundle stops its runs: each writes a checkpoint first. */
  @Deactivate
  void deactivate() throws InterruptedException {
    for (BackgroundRun run : runs.values()) {
      run.requestStop();
    }
    for (BackgroundRun run : runs.values()) {
      run.await();
    }
  }

  /** What a background run does with its options. */
  interface RunCall {
    org.ganymede.api.RunOutcome run(RunOptions options) throws Exception;
  }
}
