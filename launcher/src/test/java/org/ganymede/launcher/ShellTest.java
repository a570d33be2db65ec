package org.ganymede.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.ganymede.api.ExperimentRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleListener;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceReference;

/**
 * The long-running shell: Gogo runs Ganymede's commands, and plug-in jars dropped into the
 * watched folder appear, and go away when they are removed, without a restart.
 */
class ShellTest {
  @TempDir Path work;

  @Test
  void dropInsComeAndGoAndGogoTrainsThem() throws Exception {
    Path plugins = Files.createDirectories(work.resolve("plugins"));
    Distribution distribution = Distribution.current();
    for (String name : List.of("org.ganymede.losses", "org.ganymede.datasets")) {
      Path jar = pluginJar(distribution, name);
      Files.copy(jar, plugins.resolve(jar.getFileName()));
    }
    try (GanymedeHost host = GanymedeHost.startShell(distribution, plugins, false, null)) {
      ExperimentRunner runner = host.runner();
      awaitFramework(host, () -> hasPlugin(runner, "loss", "hinge"), "the losses bundle in the watched folder");
      assertTrue(!hasPlugin(runner, "architecture", "vanilla"), "vanilla is not in the folder yet");

      Path vanilla = plugins.resolve("vanilla.jar");
      Files.copy(pluginJar(distribution, "org.ganymede.vanilla"), vanilla);
      awaitFramework(host, () -> hasPlugin(runner, "architecture", "vanilla"), "the dropped-in vanilla bundle");

      Gogo gogo = new Gogo(host);
      assertTrue(gogo.run("ganymede:list").contains("vanilla"));
      Path run = work.resolve("run");
      Path experiment = Experiments.write(work, "ring.yaml", String.format("""
          architecture: {name: vanilla}
          dataset: {name: ring}
          training: {steps: 30, batch: 64, seed: 5}
          output: {run_dir: '%s', log_every: 10, sample_every: 100000, checkpoint_every: 30}
          """, run));
      assertTrue(gogo.run("ganymede:train " + experiment).startsWith("run 1 started"));
      awaitStatus(() -> !gogo.runQuietly("ganymede:status").matches("(?s).*(starting|training).*"), "run 1 to finish");
      assertTrue(gogo.run("ganymede:status").contains("completed"), gogo.run("ganymede:status"));
      assertTrue(gogo.run("ganymede:status").contains("step 30/30"), gogo.run("ganymede:status"));
      assertEquals("run 1 has already finished", gogo.run("ganymede:stop 1"));
      assertTrue(Files.exists(run.resolve("checkpoints").resolve("latest")));
      Path grid = work.resolve("grid.png");
      assertEquals("wrote " + grid, gogo.run("ganymede:sample " + run + " " + grid + " 16 2"));
      assertTrue(Files.size(grid) > 0);

      Files.delete(vanilla);
      awaitFramework(host, () -> !hasPlugin(runner, "architecture", "vanilla") && !installed(host, "org.ganymede.vanilla"),
          "the removed vanilla bundle to go away");
      assertTrue(hasPlugin(runner, "loss", "hinge"), "the other plug-ins stay");
    }
  }

  private static Path pluginJar(Distribution distribution, String symbolicName) throws Exception {
    for (Path jar : distribution.pluginBundles()) {
      if (symbolicName.equals(GanymedeHost.symbolicName(jar))) {
        return jar;
      }
    }
    throw new AssertionError(symbolicName + " is not in " + distribution.plugins());
  }

  private static boolean installed(GanymedeHost host, String symbolicName) {
    for (Bundle b : host.framework().getBundleContext().getBundles()) {
      if (symbolicName.equals(b.getSymbolicName())) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasPlugin(ExperimentRunner runner, String kind, String name) {
    return runner.plugins().stream().anyMatch(p -> p.kind().equals(kind) && p.name().equals(name));
  }

  /** Waits until the condition holds, checking it again whenever a service or a bundle changes. */
  private static void awaitFramework(GanymedeHost host, BooleanSupplier condition, String what)
      throws InterruptedException {
    Object changed = new Object();
    Runnable notify = () -> {
      synchronized (changed) {
        changed.notifyAll();
      }
    };
    ServiceListener services = event -> notify.run();
    BundleListener bundles = event -> notify.run();
    host.framework().getBundleContext().addServiceListener(services);
    host.framework().getBundleContext().addBundleListener(bundles);
    try {
      long deadline = System.currentTimeMillis() + Duration.ofSeconds(60).toMillis();
      synchronized (changed) {
        while (!condition.getAsBoolean()) {
          long left = deadline - System.currentTimeMillis();
          if (left <= 0) {
            throw new AssertionError("waited 60 s for " + what);
          }
          changed.wait(left);
        }
      }
    } finally {
      host.framework().getBundleContext().removeServiceListener(services);
      host.framework().getBundleContext().removeBundleListener(bundles);
    }
  }

  /** Asks the shell until the condition holds: a background run tells nothing but its status. */
  private static void awaitStatus(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("waited 60 s for " + what);
      }
      Thread.sleep(200);
    }
  }

  /**
   * A Gogo session, driven through its service by reflection: Gogo's types live inside the
   * framework. A command's answer is what it printed to the session's console.
   */
  private static final class Gogo {
    private final Object session;
    private final Method execute;
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();

    Gogo(GanymedeHost host) throws Exception {
      ServiceReference<?> ref = host.framework().getBundleContext()
          .getServiceReference("org.apache.felix.service.command.CommandProcessor");
      assertNotNull(ref, "Gogo's command processor is registered");
      Object processor = host.framework().getBundleContext().getService(ref);
      Method create = processor.getClass().getMethod("createSession", InputStream.class, OutputStream.class,
          OutputStream.class);
      session = create.invoke(processor, new ByteArrayInputStream(new byte[0]), console, new ByteArrayOutputStream());
      execute = session.getClass().getMethod("execute", CharSequence.class);
    }

    synchronized String run(String command) throws Exception {
      console.reset();
      Object returned = execute.invoke(session, command);
      assertEquals(null, returned, command + " prints its answer instead of returning it");
      return console.toString().strip();
    }

    String runQuietly(String command) {
      try {
        return run(command);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
