package org.ganymede.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.ganymede.api.ExperimentRunner;
import org.ganymede.api.ExperimentRunner.Evaluation;
import org.ganymede.api.ExperimentRunner.EvaluationOptions;
import org.ganymede.api.ExperimentRunner.RunOptions;
import org.ganymede.api.RunOutcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;

/**
 * The same end-to-end run in Apache Felix and in Eclipse Equinox: the same bundles, TensorFlow
 * from the host's class path, training, sampling and a metric. The build runs this class twice,
 * once with each framework alone on the class path (both carry the Felix resolver's package).
 */
class FrameworksTest {
  @TempDir Path work;

  @Test
  void bundlesResolveTrainSampleAndEvaluate() throws Exception {
    String name = System.getProperty("ganymede.test.framework", "felix");
    try (GanymedeHost host = GanymedeHost.start(Distribution.current(), List.of())) {
      assertEquals(List.of(), host.problems());
      String vendor = host.framework().getBundleContext().getProperty("org.osgi.framework.vendor");
      assertTrue(vendor.toLowerCase().contains(name.equals("felix") ? "apache" : "eclipse"), vendor);
      for (Bundle b : host.framework().getBundleContext().getBundles()) {
        assertEquals(Bundle.ACTIVE, b.getState(), b.getSymbolicName() + " is not active in " + name);
      }
      ExperimentRunner runner = host.runner();
      Set<String> names = runner.plugins().stream().map(p -> p.kind() + ":" + p.name()).collect(Collectors.toSet());
      for (String expected : List.of("architecture:dcgan", "architecture:stylegan", "loss:hinge", "regularizer:r1", "dataset:fashion-mnist",
          "metric:fid", "feature-extractor:fashion-mnist-classifier", "command:train-classifier")) {
        assertTrue(names.contains(expected), expected + " is missing from " + names);
      }

      // A plug-in built against another major version of the API is refused, naming both versions,
      // and nothing else is disturbed.
      host.installAndStart(List.of(TestBundles.importing(work.resolve("old-plugin.jar"), "com.example.oldplugin",
          "org.ganymede.api;version=\"[1.0,2)\"")));
      String apiVersion = host.framework().getBundleContext().getBundle(0).adapt(org.osgi.framework.wiring.BundleWiring.class)
          .getCapabilities("osgi.wiring.package").stream()
          .filter(c -> "org.ganymede.api".equals(c.getAttributes().get("osgi.wiring.package")))
          .map(c -> String.valueOf(c.getAttributes().get("version"))).findFirst().orElseThrow();
      assertEquals(List.of("com.example.oldplugin 1.0.0 did not start: it imports org.ganymede.api [1.0.0,2.0.0), and what is "
          + "there is org.ganymede.api " + apiVersion + ": build it against this Ganymede's API"), host.problems());

      Path experiment = Experiments.write(work, "dcgan.yaml", """
          architecture: {name: dcgan, base_width: 8}
          loss: hinge
          regularizers: [{name: r1, gamma: 1}]
          dataset: {name: fashion-mnist, resolution: 32}
          metrics: [{name: fid, samples: 300}]
          training: {steps: 6, batch: 16, seed: 2}
          output: {log_every: 2, sample_every: 3, checkpoint_every: 3}
          """);
      Path run = work.resolve("run");
      RunOutcome outcome = runner.train(experiment, new RunOptions(List.of(), () -> false, run, 0));
      assertEquals(RunOutcome.Status.COMPLETED, outcome.status(), outcome.message());
      assertTrue(Files.size(runner.sample(run, 4, 1, work.resolve("grid.png"))) > 0);
      Evaluation evaluation = runner.evaluate(run, new EvaluationOptions(List.of(), 0));
      assertEquals(List.of(), evaluation.failures());
      assertTrue(evaluation.values().get("metric/fid/fid") > 0, evaluation.values().toString());
    }
  }
}
