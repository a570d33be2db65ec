package org.ganymede.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.ganymede.api.ExperimentRunner;
import org.ganymede.api.ExperimentRunner.RunOptions;
import org.ganymede.api.RunOutcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A third party's bundle: the project the archetype generates (its integration test builds one,
 * against the published API only) is dropped into the plug-ins folder and trains by its name.
 */
class ArchetypeBundleTest {
  @TempDir Path work;

  @Test
  void theArchetypesBundleIsListedAndTrainsInTheLauncher() throws Exception {
    Path built = Path.of(System.getProperty("ganymede.archetype.bundle", "unset"));
    assertTrue(Files.isRegularFile(built), "the archetype's integration test did not leave its bundle at " + built
        + "; build architectures/archetype with its tests first");
    // A distribution of our own whose plugins/ has the third-party jar beside Ganymede's.
    Distribution shipped = Distribution.current();
    Path home = Files.createDirectories(work.resolve("ganymede"));
    Files.createSymbolicLink(home.resolve("bundles"), shipped.bundles());
    Path plugins = Files.createDirectories(home.resolve("plugins"));
    for (Path jar : shipped.pluginBundles()) {
      Files.copy(jar, plugins.resolve(jar.getFileName()));
    }
    Files.copy(built, plugins.resolve(built.getFileName()));

    Path experiment = Experiments.write(work, "third-party.yaml", """
        bundles: [org.example.archetypeexample, losses, datasets]
        architecture: {name: archetype-example, width: 32}
        dataset: {name: ring}
        training: {steps: 50, batch: 64, seed: 4}
        output: {log_every: 10, sample_every: 100000, checkpoint_every: 50}
        """);
    try (GanymedeHost host = GanymedeHost.start(new Distribution(home), Main.selectedBundles(experiment))) {
      assertEquals(List.of(), host.problems());
      ExperimentRunner runner = host.runner();
      assertTrue(runner.plugins().stream().anyMatch(p -> p.name().equals("archetype-example")
          && p.bundle().equals("org.example.archetypeexample")), runner.plugins().toString());
      RunOutcome outcome = runner.train(experiment, new RunOptions(List.of(), () -> false, work.resolve("run"), 0));
      assertEquals(RunOutcome.Status.COMPLETED, outcome.status(), outcome.message());
      assertEquals(50, outcome.step());
    }
  }
}
