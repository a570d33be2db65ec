package org.ganymede.shell.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.ganymede.api.ExperimentRunner.RunOptions;
import org.ganymede.api.RunOutcome;
import org.ganymede.api.TrainingListener;

/** One training run on a thread of its own, with what a status line needs. */
final class BackgroundRun implements TrainingListener {
  private final int id;
  private final Path experiment;
  private final AtomicBoolean stop = new AtomicBoolean();
  private volatile Thread thread;
  private volatile long step;
  private volatile long totalSteps;
  private volatile Map<String, Double> values = Map.of();
  private volatile String state = "starting";

  private BackgroundRun(int id, Path experiment) {
    this.id = id;
    this.experiment = experiment;
  }

  static BackgroundRun start(int id, Path experiment, GanymedeCommands.RunCall call) {
    BackgroundRun run = new BackgroundRun(id, experiment);
    run.thread = new Thread(() -> {
      try {
        RunOutcome outcome = call.run(new RunOptions(List.of(run), run.stop::get, null, 0));
        run.state = outcome.status().name().toLowerCase() + ": " + outcome.message();
      } catch (Exception | LinkageError e) {
        run.state = "failed: " + (e.getMessage() == null ? e.toString() : e.getMessage());
      }
    }, "ganymede-run-" + id);
    run.thread.start();
    return run;
  }

  @Override
  public void runStarted(RunInfo info) {
    step = info.firstStep();
    totalSteps = info.totalSteps();
    state = "training " + info.description() + " in " + info.runDirectory();
  }

  @Override
  public void stepFinished(long step, Map<String, Double> values) {
    this.step = step;
    this.values = values;
  }

  /** @return false when the run had finished already */
  boolean requestStop() {
    stop.set(true);
    return thread.isAlive();
  }

  void await() throws InterruptedException {
    thread.join();
  }

  String describe() {
    StringBuilder line = new StringBuilder("run " + id + " (" + experiment.getFileName() + "): step " + step + "/"
        + totalSteps + ", " + state);
    values.forEach((k, v) -> line.append(String.format(", %s %.4g", k, v)));
    return line.toString();
  }
}
