package org.ganymede.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code --workers N} on this host: N processes of this launcher, each a worker with its
 * TensorFlow server on a loopback port. Worker 0 speaks on the console (its progress bar on a
 * terminal); the others' lines are shown prefixed with their rank. When a worker ends with an error the others are ended at once,
 * so that no worker waits for a dead one; the last checkpoint stays and {@code resume} continues.
 */
final class LocalCluster {
  /** How long the workers get to stop together (and worker 0 to write its checkpoint) after Ctrl-C. */
  private static final long STOP_GRACE_SECONDS = 120;
  /** TensorFlow's informational lines (absl's {@code I} lines and its note on where they go). */
  private static final java.util.regex.Pattern TENSORFLOW_NOTE =
      java.util.regex.Pattern.compile("I\\d{4} |WARNING: All log messages before absl::InitializeLog");

  private LocalCluster() {}

  /**
   * Runs a command in {@code workers} processes and waits for them.
   *
   * @param command the command and its arguments, as one worker runs it, without cluster options
   * @param out where worker 0's lines go when this process has no terminal for it
   * @param err where the other workers' lines and the cluster's errors go
   * @return worker 0's exit code when all ended well, else the failed worker's
   */
  static int run(List<String> command, int workers, int timeoutSeconds, PrintStream out, PrintStream err)
      throws Exception {
    List<String> addresses = new ArrayList<>();
    for (int port : freePorts(workers)) {
      addresses.add("localhost:" + port);
    }
    List<Process> processes = new ArrayList<>();
    List<Thread> relays = new ArrayList<>();
    Thread onInterrupt = new Thread(() -> stopTogether(processes), "ganymede-workers-stop");
    Runtime.getRuntime().addShutdownHook(onInterrupt);
    try {
      for (int rank = 0; rank < workers; rank++) {
        processes.add(start(command, addresses, rank, timeoutSeconds, rank == 0 ? out : err, relays));
        if (rank == 0) {
          awaitServer(processes.get(0), addresses.get(0), timeoutSeconds);
        }
      }
      int code = await(processes, err);
      for (Thread relay : relays) {
        relay.join(TimeUnit.SECONDS.toMillis(5)); // the workers' last lines
      }
      return code;
    } finally {
      for (Process p : processes) {
        p.destroyForcibly();
      }
      try {
        Runtime.getRuntime().removeShutdownHook(onInterrupt);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running already
      }
    }
  }

  private static Process start(List<String> command, List<String> addresses, int rank, int timeoutSeconds,
      PrintStream lines, List<Thread> relays) throws IOException {
    List<String> arguments = new ArrayList<>(command);
    arguments.addAll(List.of("--cluster", String.join(",", addresses), "--rank", String.valueOf(rank),
        "--worker-timeout", String.valueOf(timeoutSeconds), "--stop-with-parent"));
    ProcessBuilder builder = new ProcessBuilder(LauncherCommand.of(arguments));
    if (rank == 0 && lines == System.out && System.console() != null) {
      builder.inheritIO();
      return builder.start();
    }
    builder.redirectErrorStream(true);
    builder.redirectInput(ProcessBuilder.Redirect.INHERIT);
    Process process = builder.start();
    String prefix = rank == 0 ? "" : "worker " + rank + ": ";
    Thread relay = new Thread(() -> relay(process, prefix, lines), "ganymede-worker-" + rank);
    relay.setDaemon(true);
    relay.start();
    relays.add(relay);
    return process;
  }

  private static void relay(Process process, String prefix, PrintStream lines) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8))) {
      for (String l = in.readLine(); l != null; l = in.readLine()) {
        if (!prefix.isEmpty() && TENSORFLOW_NOTE.matcher(l).lookingAt()) {
          continue; // worker 0 shows TensorFlow's start-up notes once; the others' would repeat them
        }
        lines.println(prefix + l);
      }
    } catch (IOException e) {
      // the worker is gone; its exit code tells
    }
  }

  /**
   * Waits until worker 0, the collective group's leader, serves: the others ask it for their group
   * as soon as they start, and would log connection errors (and retry) until it answers.
   */
  private static void awaitServer(Process leader, String address, int timeoutSeconds) throws InterruptedException {
    int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    while (leader.isAlive() && System.nanoTime() < deadline) {
      try (java.net.Socket probe = new java.net.Socket(InetAddress.getLoopbackAddress(), port)) {
        return;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
  }

  /** Waits for every worker; the first to fail ends the others. */
  private static int await(List<Process> processes, PrintStream err) throws InterruptedException {
    List<Process> running = new ArrayList<>(processes);
    while (!running.isEmpty()) {
      for (Process p : List.copyOf(running)) {
        if (!p.waitFor(200, TimeUnit.MILLISECONDS)) {
          continue;
        }
        running.remove(p);
        int code = p.exitValue();
        if (code != 0 && code != 3) { // 3 is a diverged run, which every worker sees at the same step
          // A worker that lost its peer fails its exchange at once: name the one that died, if one did.
          Process cause = causeOfFailure(processes, p);
          running.remove(cause);
          err.println("error: worker " + processes.indexOf(cause) + " (process " + cause.pid() + ") ended with exit code "
              + cause.exitValue()
              + "; the other workers are stopped. The last checkpoint is kept: 'ganymede resume RUN_DIR --workers "
              + processes.size() + "' continues the run");
          for (Process other : running) {
            other.destroyForcibly();
          }
          return cause.exitValue();
        }
      }
    }
    return processes.get(0).exitValue();
  }

  /**
   * The worker to name for a failure first seen in {@code failed}: one that ended by a signal (a
   * kill, a crash: exit code above 128) within a moment of it, else {@code failed} itself.
   */
  private static Process causeOfFailure(List<Process> processes, Process failed) throws InterruptedException {
    for (Process other : processes) {
      if (other != failed) {
        other.waitFor(1, TimeUnit.SECONDS);
      }
    }
    for (Process other : processes) {
      if (!other.isAlive() && other.exitValue() > 128) {
        return other;
      }
    }
    return failed;
  }

  /** Ctrl-C reaches every child; a stop of this process alone is passed on, and the children get time to stop. */
  static void stopTogether(List<Process> processes) {
    List<Process> alive = processes.stream().filter(Process::isAlive).toList();
    alive.forEach(Process::destroy);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STOP_GRACE_SECONDS);
    for (Process p : alive) {
      try {
        p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static int[] freePorts(int count) throws IOException {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      int[] ports = new int[count];
      for (int i = 0; i < count; i++) {
        ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        sockets.add(socket);
        ports[i] = socket.getLocalPort();
      }
      return ports;
    } finally {
      for (ServerSocket s : sockets) {
        s.close();
      }
    }
  }
}
