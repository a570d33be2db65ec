package org.ganymede.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.ganymede.api.ExperimentRunner;
import org.ganymede.api.ExperimentRunner.RunOptions;
import org.ganymede.api.RunOutcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.wiring.FrameworkWiring;

/** The bundles in a real Felix framework, with TensorFlow provided by the host's class path. */
class FelixHostTest {
  @TempDir Path work;

  @Test
  void everyBundleResolvesAndEveryPluginServiceAppears() throws Exception {
    try (GanymedeHost host = GanymedeHost.start(Distribution.current(), List.of())) {
      assertEquals(List.of(), host.problems());
      for (Bundle b : host.framework().getBundleContext().getBundles()) {
        assertEquals(Bundle.ACTIVE, b.getState(), b.getSymbolicName() + " is not active");
      }
      ExperimentRunner runner = host.runner();
      Set<String> names = runner.plugins().stream().map(p -> p.kind() + ":" + p.name()).collect(Collectors.toSet());
      for (String expected : List.of("architecture:dcgan", "architecture:vanilla", "loss:non-saturating", "loss:minimax",
          "loss:wasserstein", "loss:least-squares", "loss:hinge", "regularizer:wgan-gp", "regularizer:r1",
          "dataset:fashion-mnist", "dataset:ring", "dataset:grid")) {
        assertTrue(names.contains(expected), expected + " is missing from " + names);
      }
    }
  }

  @Test
  void trainsThenKeepsTrainingAcrossUpdatesAndRefreshesOfAnArchitectureBundle() throws Exception {
    Path experiment = Experiments.ring(work, 20, 20);
    try (GanymedeHost host = GanymedeHost.start(Distribution.current(), List.of())) {
      ExperimentRunner runner = host.runner();
      assertEquals(RunOutcome.Status.COMPLETED, train(runner, experiment, work.resolve("run-0")).status());

      Bundle vanilla = bundle(host, "org.ganymede.vanilla");
      for (int round = 1; round <= 3; round++) {
        vanilla.update();
        refresh(host, vanilla);
        assertEquals(Bundle.ACTIVE, vanilla.getState());
        // The refreshed bundle sees the host's TensorFlow: the JNI library stays bound to one loader.
        assertSame(org.tensorflow.op.Ops.class, vanilla.loadClass("org.tensorflow.op.Ops"));
        RunOutcome again = train(runner, experiment, work.resolve("run-" + round));
        assertEquals(RunOutcome.Status.COMPLETED, again.status(), again.message());
        assertEquals(20, again.step());
      }
    }
  }

  @Test
  void experimentsWithDifferentBundleSelectionsTrainSideBySideInSeparateFrameworks() throws Exception {
    Path ring = Experiments.write(work, "ring.yaml", """
        bundles: [vanilla, losses, datasets]
        architecture: {name: vanilla}
        dataset: {name: ring}
        training: {steps: 40, batch: 64, seed: 1}
        output: {log_every: 10, sample_every: 100000, checkpoint_every: 40}
        """);
    Path fashion = Experiments.write(work, "fashion.yaml", """
        bundles: [dcgan, losses, datasets]
        architecture: {name: dcgan, base_width: 8}
        dataset: {name: fashion-mnist}
        training: {steps: 10, batch: 16, seed: 1}
        output: {log_every: 5, sample_every: 100000, checkpoint_every: 10}
        """);
    try (GanymedeHost a = GanymedeHost.start(Distribution.current(), Main.selectedBundles(ring));
        GanymedeHost b = GanymedeHost.start(Distribution.current(), Main.selectedBundles(fashion))) {
      // Each framework holds only what its experiment selected.
      assertEquals(Set.of("org.ganymede.vanilla", "org.ganymede.losses", "org.ganymede.datasets"), plugins(a));
      assertEquals(Set.of("org.ganymede.dcgan", "org.ganymede.losses", "org.ganymede.datasets"), plugins(b));
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        Future<RunOutcome> first = pool.submit(() -> train(a.runner(), ring, work.resolve("ring-run")));
        Future<RunOutcome> second = pool.submit(() -> train(b.runner(), fashion, work.resolve("fashion-run")));
        RunOutcome ringOutcome = first.get(5, TimeUnit.MINUTES);
        RunOutcome fashionOutcome = second.get(5, TimeUnit.MINUTES);
        assertEquals(RunOutcome.Status.COMPLETED, ringOutcome.status(), ringOutcome.message());
        assertEquals(RunOutcome.Status.COMPLETED, fashionOutcome.status(), fashionOutcome.message());
        assertEquals(40, ringOutcome.step());
        assertEquals(10, fashionOutcome.step());
      } finally {
        pool.shutdownNow();
      }
    }
  }

  /** Ganymede's bundles in every framework, whatever the experiment selects. */
  private static final Set<String> RUNTIME = Set.of("org.ganymede.engine", "org.ganymede.shell", "org.ganymede.generator");

  private static Set<String> plugins(GanymedeHost host) {
    return java.util.Arrays.stream(host.framework().getBundleContext().getBundles()).map(Bundle::getSymbolicName)
        .filter(n -> n.startsWith("org.ganymede.") && !RUNTIME.contains(n))
        .collect(Collectors.toSet());
  }

  private static RunOutcome train(ExperimentRunner runner, Path experiment, Path runDir) throws Exception {
    return runner.train(experiment, new RunOptions(List.of(), () -> false, runDir, 0));
  }

  private static Bundle bundle(GanymedeHost host, String symbolicName) {
    for (Bundle b : host.framework().getBundleContext().getBundles()) {
      if (symbolicName.equals(b.getSymbolicName())) {
        return b;
      }
    }
    throw new AssertionError(symbolicName + " is not installed");
  }

  private static void refresh(GanymedeHost host, Bundle bundle) throws InterruptedException {
    CountDownLatch done = new CountDownLatch(1);
    host.framework().adapt(FrameworkWiring.class).refreshBundles(List.of(bundle), event -> {
      if (event.getType() == FrameworkEvent.PACKAGES_REFRESHED) {
        done.countDown();
      }
    });
    assertTrue(done.await(30, TimeUnit.SECONDS), "refresh did not finish");
  }
}
