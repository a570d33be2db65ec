package org.ganymede.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ganymede in a real Apache Karaf, unpacked from its distribution on Maven Central: {@code ganymede
 * karaf} prepares it, Karaf starts as a process of its own, and its ssh client adds the features
 * repository, installs {@code ganymede} and {@code ganymede-dashboard} (Karaf's own scr and
 * http-whiteboard under them) and trains a few steps with {@code ganymede:train}; the dashboard
 * on Karaf's HTTP Whiteboard reports the run completed, and {@code ganymede:sample} draws from it.
 * The commands print their answers, so Karaf's ssh exec mode shows them as they are.
 */
class KarafTest {
  @TempDir Path work;

  @Test
  void featuresInstallAndTrainInKaraf() throws Exception {
    Path karaf = copyKaraf(Path.of(System.getProperty("ganymede.test.karaf")), work.resolve("karaf"));
    KarafSetup.Result setup = KarafSetup.prepare(Distribution.current(), karaf);
    int ssh = freePort();
    int http = freePort();
    Path runs = work.resolve("runs");
    configure(karaf, ssh, http, runs);

    ProcessBuilder karafServer = new ProcessBuilder(karaf.resolve("bin/karaf").toString(), "server")
        .directory(work.toFile())
        .redirectErrorStream(true)
        .redirectOutput(work.resolve("karaf.out").toFile());
    karafServer.environment().put("JAVA_HOME", System.getProperty("java.home"));
    Process server = karafServer.start();
    try {
      client(karaf, ssh, "feature:repo-add " + setup.repository());
      client(karaf, ssh, "feature:install ganymede ganymede-dashboard");
      String bundles = client(karaf, ssh, "bundle:list -s --no-format");
      for (String bundle : List.of("org.ganymede.engine", "org.ganymede.dcgan", "org.ganymede.vanilla", "org.ganymede.losses",
          "org.ganymede.datasets", "org.ganymede.metrics", "org.ganymede.shell", "org.ganymede.dashboard")) {
        String line = bundles.lines().filter(l -> l.trim().endsWith("\t" + bundle) || l.trim().endsWith(" " + bundle)).findFirst()
            .orElseThrow(() -> new AssertionError(bundle + " is not installed:\n" + bundles));
        assertTrue(line.contains("Active"), line);
      }
      String plugins = client(karaf, ssh, "ganymede:list");
      assertTrue(plugins.contains("vanilla") && plugins.contains("fashion-mnist"), plugins);

      Path experiment = Experiments.write(work, "ring.yaml", String.format("""
          architecture: {name: vanilla}
          loss: non-saturating
          dataset: {name: ring}
          training: {steps: 30, batch: 128, seed: 5}
          output: {run_dir: %s, log_every: 10, sample_every: 30, checkpoint_every: 30}
          """, runs.resolve("ring")));
      String started = client(karaf, ssh, "ganymede:train " + experiment);
      assertTrue(started.contains("run 1 started"), started);
      JsonObject run = awaitCompleted(http, "ring");
      assertEquals(30, run.get("step").getAsLong(), run.toString());
      assertTrue(client(karaf, ssh, "ganymede:status").contains("completed"));

      Path grid = work.resolve("grid.png");
      assertTrue(client(karaf, ssh, "ganymede:sample " + runs.resolve("ring") + " " + grid).contains("wrote"));
      assertTrue(Files.size(grid) > 0);
    } finally {
      stop(server);
    }
  }

  /** Karaf's own folder for this test, executable scripts kept. */
  private static Path copyKaraf(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
    try (Stream<Path> scripts = Files.list(to.resolve("bin"))) {
      scripts.forEach(s -> s.toFile().setExecutable(true));
    }
    return to;
  }

  /**
   * A user for the ssh client (Karaf 4.4 ships none enabled), ports of its own for ssh, RMI and
   * HTTP, the dashboard's runs folder, and no remote repository but Central.
   */
  private static void configure(Path karaf, int ssh, int http, Path runs) throws IOException {
    append(karaf.resolve("etc/users.properties"), "karaf = karaf,_g_:admingroup\n"
        + "_g_\\:admingroup = group,admin,manager,viewer,systembundles,ssh\n");
    replace(karaf.resolve("etc/org.apache.karaf.shell.cfg"), "sshPort = 8101", "sshPort = " + ssh);
    replace(karaf.resolve("etc/org.apache.karaf.management.cfg"), "rmiRegistryPort = 1099", "rmiRegistryPort = " + freePort());
    replace(karaf.resolve("etc/org.apache.karaf.management.cfg"), "rmiServerPort = 44444", "rmiServerPort = " + freePort());
    Files.writeString(karaf.resolve("etc/org.ops4j.pax.web.cfg"), "org.osgi.service.http.port = " + http + "\n");
    append(karaf.resolve("etc/custom.properties"), "ganymede.dashboard.runs = " + runs + "\n");
  }

  /** One command through Karaf's ssh client, retried until Karaf listens; its output. */
  private static String client(Path karaf, int ssh, String command) throws Exception {
    // Batch mode (-b, the command on standard input): Karaf closes a one-argument exec session early.
    ProcessBuilder builder = new ProcessBuilder(karaf.resolve("bin/client").toString(), "-a", String.valueOf(ssh),
        "-u", "karaf", "-p", "karaf", "-r", "90", "-d", "1", "-b")
        .redirectErrorStream(true);
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    Process client = builder.start();
    try (var in = client.getOutputStream()) {
      in.write((command + "\n").getBytes(StandardCharsets.UTF_8));
    }
    String out;
    try (var in = client.getInputStream()) {
      out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    if (!client.waitFor(300, TimeUnit.SECONDS)) {
      client.destroyForcibly();
      fail("'" + command + "' did not finish in Karaf:\n" + out);
    }
    assertEquals(0, client.exitValue(), "'" + command + "' failed in Karaf:\n" + out);
    assertTrue(!out.contains("Error executing command"), "'" + command + "' failed in Karaf:\n" + out);
    return out;
  }

  /** The run's summary from the dashboard once it says completed. */
  private static JsonObject awaitCompleted(int http, String name) throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
    String last = "";
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + http + "/ganymede/api/runs/" + name)).build(), HttpResponse.BodyHandlers.ofString());
        last = response.statusCode() + " " + response.body();
        if (response.statusCode() == 200) {
          JsonObject run = JsonParser.parseString(response.body()).getAsJsonObject();
          JsonElement state = run.get("state");
          if (state != null && state.getAsString().equals("completed")) {
            return run;
          }
        }
      } catch (IOException notYet) {
        last = notYet.toString();
      }
      Thread.sleep(1000);
    }
    throw new AssertionError("the dashboard never showed run " + name + " completed; last answer: " + last);
  }

  /**
   * Stops the Karaf script and its JVM and waits for both: a JVM still shutting down writes into
   * the folder the test's cleanup deletes.
   */
  private static void stop(Process server) throws InterruptedException {
    List<ProcessHandle> all = new ArrayList<>(server.descendants().toList());
    all.add(server.toHandle());
    all.forEach(ProcessHandle::destroy);
    for (ProcessHandle p : all) {
      try {
        p.onExit().get(30, TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException e) {
        p.destroyForcibly();
        p.onExit().join();
      }
    }
  }

  private static void append(Path file, String text) throws IOException {
    Files.writeString(file, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  private static void replace(Path file, String from, String to) throws IOException {
    String text = Files.readString(file);
    if (!text.contains(from)) {
      throw new IOException(file + " has no line '" + from + "'");
    }
    Files.writeString(file, text.replace(from, to));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
