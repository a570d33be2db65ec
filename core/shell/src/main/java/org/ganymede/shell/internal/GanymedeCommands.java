package org.ganymede.shell.internal;

import java.nio.file.Files;
import java.nio.file.Path;
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
 * They print what they have to say rather than return it: Gogo's console prints a returned value,
 * but Karaf's ssh exec mode and scripts print only what a command writes to its (redirected) output.
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
  public void list() {
    for (PluginInfo p : runner.plugins()) {
      say(String.format("%-18s %-26s %s %s", p.kind(), p.name(), p.bundle(), p.version()));
    }
  }

  /** Starts training an experiment file in the background; says the run's id. */
  public void train(String experimentFile) {
    Path file = Path.of(experimentFile).toAbsolutePath();
    if (!Files.isRegularFile(file)) {
      throw new ParameterException("experiment file " + file + " does not exist");
    }
    int id = lastId.incrementAndGet();
    BackgroundRun run = BackgroundRun.start(id, file, options -> runner.train(file, options));
    runs.put(id, run);
    say("run " + id + " started: " + file.getFileName() + " (ganymede:status, ganymede:stop " + id + ")");
  }

  /** Each run's id, state, step and latest values. */
  public void status() {
    if (runs.isEmpty()) {
      say("no runs yet; start one with ganymede:train EXPERIMENT");
    }
    runs.values().forEach(r -> say(r.describe()));
  }

  /** Asks a run to write a checkpoint and stop. */
  public void stop(int id) {
    BackgroundRun run = runs.get(id);
    if (run == null) {
      throw new ParameterException("no run " + id + "; runs: " + (runs.isEmpty() ? "none" : runs.keySet()));
    }
    say(run.requestStop() ? "run " + id + " stops after its current step and writes a checkpoint"
        : "run " + id + " has already finished");
  }

  /** A grid of 64 samples from a run's latest checkpoint (or {@code best}, or a step) as a PNG. */
  public void sample(String runDirectory, String out) throws Exception {
    sample(runDirectory, out, 64, 1, "latest");
  }

  public void sample(String runDirectory, String out, int count, long seed) throws Exception {
    sample(runDirectory, out, count, seed, "latest");
  }

  public void sample(String runDirectory, String out, int count, long seed, String checkpoint) throws Exception {
    Path written = runner.from(Checkpoint.parse(checkpoint)).sample(Path.of(runDirectory).toAbsolutePath(),
        SampleOptions.grid(count, seed, Path.of(out).toAbsolutePath()));
    say("wrote " + written);
  }

  /** The run's own metrics on its latest checkpoint, or those named; written beside it as evaluate does. */
  public void evaluate(String runDirectory, String... metrics) throws Exception {
    Evaluation result = runner.evaluate(Path.of(runDirectory).toAbsolutePath(),
        new EvaluationOptions(List.of(metrics), 0));
    say("step " + result.step() + ":");
    result.values().forEach((k, v) -> say(String.format("  %-40s %.6g", k, v)));
    result.failures().forEach(f -> say("  failed: " + f));
    say("wrote " + result.file());
  }

  /** Gogo and Karaf point System.out at the calling session's console while a command runs. */
  private static void say(String line) {
    System.out.println(line);
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
