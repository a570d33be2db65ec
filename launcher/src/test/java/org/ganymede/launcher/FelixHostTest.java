package org.ganymede.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
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
