package org.ganymede.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.ganymede.api.ParameterException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Trains every run of a sweep, each in its own process and run folder, as many at a time as
 * asked; a finished run is kept, an interrupted one resumed, a failed one reported while the others
 * go on. Then writes the table of final metrics per configuration (mean and standard error over
 * the seeds) as CSV and Markdown, and a plot.
 */
@Command(name = "sweep", description = "Train an experiment for every combination of the values and seeds a sweep "
    + "file lists, each run in its own process and folder, and tabulate the final metrics (mean and standard error "
    + "over seeds; sweep.csv, sweep.md, sweep.png). Run it again to continue: finished runs are kept.")
final class SweepCommand implements Callable<Integer> {
  @Parameters(paramLabel = "SWEEP", description = "the sweep file (see experiments/sweep-*.yaml)")
  Path file;

  @Option(names = "--parallel", description = "runs at a time, instead of the sweep file's 'parallel'")
  Integer parallel;

  @Override
  public Integer call() throws Exception {
    Sweep sweep = Sweep.read(file);
    int atATime = parallel == null ? sweep.parallel() : parallel;
    if (atATime < 1) {
      throw new ParameterException("--parallel must be 1 or more, was " + atATime);
    }
    List<Sweep.Run> runs = sweep.plan();
    System.out.println("sweep of " + count(runs.size(), "run") + " ("
        + count(sweep.configurations().size(), "configuration") + " x " + count(sweep.seeds().size(), "seed") + "), "
        + atATime + " at a time, in " + sweep.runDirectory());
    Map<Sweep.Run, String> failures = new ConcurrentHashMap<>();
    List<Process> running = new CopyOnWriteArrayList<>();
    Thread onInterrupt = new Thread(() -> LocalCluster.stopTogether(running), "ganymede-sweep-stop");
    Runtime.getRuntime().addShutdownHook(onInterrupt);
    AtomicInteger done = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(atATime);
    try {
      List<Future<?>> futures = new java.util.ArrayList<>();
      for (Sweep.Run run : runs) {
        futures.add(pool.submit(() -> {
          String outcome;
          try {
            outcome = train(run, running);
          } catch (IOException | RuntimeException e) {
            outcome = "failed: " + e.getMessage();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcome = "failed: interrupted";
          }
          if (outcome.startsWith("failed")) {
            failures.put(run, outcome);
          }
          System.out.printf("[%d/%d] %s: %s%n", done.incrementAndGet(), runs.size(), run.describe(), outcome);
          writeSoFar(sweep, runs);
        }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
      Runtime.getRuntime().removeShutdownHook(onInterrupt);
    }
    SweepTable table = SweepTable.of(sweep, runs);
    List<Path> written = table.write(sweep.runDirectory(), true);
    System.out.print(table.markdown());
    System.out.println("wrote " + String.join(", ", written.stream().map(Path::toString).toList()));
    if (!failures.isEmpty()) {
      System.err.println("error: " + failures.size() + " of " + runs.size() + " runs failed; their logs are beside their"
          + " folders (NAME.log); run the sweep again to retry them");
      return 1;
    }
    return 0;
  }

  /** The table of the runs finished so far, so that it fills in (on the dashboard too) while the sweep goes on. */
  private static synchronized void writeSoFar(Sweep sweep, List<Sweep.Run> runs) {
    try {
      SweepTable.of(sweep, runs).write(sweep.runDirectory(), false);
    } catch (IOException | RuntimeException e) {
      System.err.println("warning: the table so far could not be written (" + e.getMessage() + "); the sweep goes on");
    }
  }

  /** Trains, resumes or keeps one run; what happened, as a line. */
  private static String train(Sweep.Run run, List<Process> running) throws IOException, InterruptedException {
    long at = checkpointStep(run.folder());
    if (at >= run.steps()) {
      return "finished, kept";
    }
    List<String> arguments = at < 0 ? List.of("train", run.experimentFile().toString(), "--run-dir",
        run.folder().toString()) : List.of("resume", run.folder().toString());
    Path log = run.folder().resolveSibling(run.folder().getFileName() + ".log");
    long start = System.nanoTime();
    Process process = new ProcessBuilder(LauncherCommand.of(arguments)).redirectErrorStream(true)
        .redirectOutput(at < 0 ? ProcessBuilder.Redirect.to(log.toFile()) : ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
    running.add(process);
    try {
      int code = process.waitFor();
      long seconds = Math.round((System.nanoTime() - start) / 1e9);
      if (code != 0) {
        return "failed (exit code " + code + " after " + seconds + " s); see " + log;
      }
      return (at < 0 ? "trained" : "resumed from step " + at) + " in " + seconds + " s";
    } finally {
      running.remove(process);
    }
  }

  /** The step of a run folder's latest checkpoint, or -1 when it has none. */
  static long checkpointStep(Path folder) throws IOException {
    Path latest = folder.resolve("checkpoints/latest");
    if (!Files.isRegularFile(latest)) {
      return -1;
    }
    String name = Files.readString(latest).trim();
    return Long.parseLong(name.substring(name.lastIndexOf('-') + 1));
  }

  /** "1 seed", "3 seeds". */
  private static String count(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
