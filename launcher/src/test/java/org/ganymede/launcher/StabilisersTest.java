package org.ganymede.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.ganymede.api.ExperimentRunner;
import org.ganymede.api.ExperimentRunner.RunOptions;
import org.ganymede.api.ParameterException;
import org.ganymede.api.RunOutcome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stabilisers (augmentations of what the discriminator judges, weight clipping) selected by experiments and run by the real bundles. */
class StabilisersTest {
  private static GanymedeHost host;
  private static ExperimentRunner runner;
  @TempDir Path work;

  @BeforeAll
  static void start() throws Exception {
    host = GanymedeHost.start(Distribution.current(), List.of());
    runner = host.runner();
  }

  @AfterAll
  static void stop() throws Exception {
    host.close();
  }

  /**
   * ADA's probability and running sums are variables of the run: a run stopped and resumed ends
   * with the same p and the same weights as one trained straight through, DiffAugment's and ADA's
   * draws included, and p moved from where it started.
   */
  @Test
  void adaAndDiffAugmentResumeExactlyWithTheirProbabilityInTheCheckpoint() throws Exception {
    Path experiment = Experiments.write(work, "augmented.yaml", """
        architecture: {name: dcgan, base_width: 8}
        dataset: {name: fashion-mnist}
        augmentations:
          - {name: ada, p: 0.5, kimg: 0.32, interval: 1, pipeline: 'blit,color,cutout'}
          - diffaugment
        training: {steps: 8, batch: 16, seed: 11}
        output: {log_every: 1, sample_every: 100000, checkpoint_every: 1000}
        """);
    Path straight = work.resolve("straight");
    Path interrupted = work.resolve("interrupted");
    assertEquals(RunOutcome.Status.COMPLETED, runner.train(experiment, options(straight, 0)).status());
    assertEquals(RunOutcome.Status.COMPLETED, runner.train(experiment, options(interrupted, 3)).status());
    RunOutcome resumed = runner.resume(interrupted, options(null, 0));
    assertEquals(RunOutcome.Status.COMPLETED, resumed.status(), resumed.message());

    Map<String, float[]> a = variables(straight);
    Map<String, float[]> b = variables(interrupted);
    assertEquals(a.keySet(), b.keySet());
    float p = a.get("augment_ada/p")[0];
    // Each step moves p by 16 / 320 = 0.05 up or down, never to a bound from 0.5 in eight steps: it ends
    // off 0.5 by an even number of twentieths.
    assertEquals(0, Math.round((p - 0.5f) * 20) % 2, "p = " + p);
    for (String name : a.keySet()) {
      float[] x = a.get(name);
      float[] y = b.get(name);
      for (int i = 0; i < x.length; i++) {
        assertEquals(x[i], y[i], 1e-5f * Math.max(1f, Math.abs(x[i])), name + "[" + i + "]");
      }
    }
    com.google.gson.JsonObject first = com.google.gson.JsonParser.parseString(
        Files.readAllLines(straight.resolve("metrics.jsonl")).get(0)).getAsJsonObject();
    assertEquals(1, first.get("step").getAsInt());
    assertEquals(0.05, Math.abs(first.get("ada/p").getAsDouble() - 0.5), 1e-6, "p moved after the first step");
    assertTrue(first.has("ada/r_t"), "r_t is logged");
  }

  @Test
  void instanceNoiseAnnealsOnVectorDataAsLogged() throws Exception {
    Path experiment = Experiments.write(work, "noisy-ring.yaml", """
        architecture: {name: vanilla}
        dataset: {name: ring}
        augmentations: [{name: instance-noise, std: 0.5, steps: 20}]
        training: {steps: 30, batch: 64, seed: 3}
        output: {log_every: 10, sample_every: 100000, checkpoint_every: 1000}
        """);
    Path run = work.resolve("noisy");
    assertEquals(RunOutcome.Status.COMPLETED, runner.train(experiment, options(run, 0)).status());
    List<String> lines = Files.readAllLines(run.resolve("metrics.jsonl"));
    List<Double> logged = lines.stream().filter(l -> l.contains("instance_noise/std"))
        .map(l -> com.google.gson.JsonParser.parseString(l).getAsJsonObject().get("instance_noise/std").getAsDouble())
        .toList();
    assertEquals(3, logged.size(), lines.toString());
    assertEquals(0.25, logged.get(0), 1e-6, "at step 10 half the way");
    assertEquals(0, logged.get(1), 1e-9);
    assertEquals(0, logged.get(2), 1e-9);
  }

  /**
   * The original WGAN: after the critic's steps, even at a learning rate that throws weights far
   * out, every critic variable (DCGAN's convolutions are the critic's alone) lies within the clip,
   * while the generator's are left as they are.
   */
  @Test
  void weightClippingKeepsEveryCriticVariableInsideTheClip() throws Exception {
    Path experiment = Experiments.write(work, "wgan.yaml", """
        architecture: {name: dcgan, base_width: 4, latent_size: 8}
        dataset: {name: fashion-mnist, resolution: 28}
        loss: wasserstein
        regularizers: [{name: weight-clipping, clip: 0.01}]
        training:
          steps: 2
          batch: 4
          critic_steps: 2
          optimizers:
            discriminator: {type: rmsprop, lr: 0.5}
        output: {log_every: 1, sample_every: 1000, checkpoint_every: 1000}
        """);
    Path run = work.resolve("wgan");
    RunOutcome outcome = runner.train(experiment, options(run, 0));
    assertEquals(RunOutcome.Status.COMPLETED, outcome.status(), outcome.message());
    Map<String, float[]> variables = variables(run);
    int critic = 0;
    double generatorLargest = 0;
    for (Map.Entry<String, float[]> e : variables.entrySet()) {
      boolean slot = e.getKey().contains("-") || e.getKey().startsWith("train_");
      for (float v : e.getValue()) {
        if (!slot && e.getKey().startsWith("conv_")) {
          assertTrue(Math.abs(v) <= 0.01f, e.getKey() + " holds " + v);
        }
        if (!slot && e.getKey().startsWith("upconv_")) {
          generatorLargest = Math.max(generatorLargest, Math.abs(v));
        }
      }
      critic += !slot && e.getKey().startsWith("conv_") ? 1 : 0;
    }
    assertTrue(critic >= 4, "critic variables: " + variables.keySet());
    assertTrue(generatorLargest > 0.01, "the generator's weights were clipped too: " + generatorLargest);
  }

  @Test
  void badSelectionsAreRefusedWithWhatIsAllowed() throws Exception {
    Path images = Experiments.write(work, "unknown.yaml", """
        architecture: {name: dcgan, base_width: 8}
        dataset: {name: fashion-mnist}
        augmentations: [diffaugmnet]
        training: {steps: 1, batch: 4}
        """);
    Exception unknown = assertThrows(Exception.class, () -> runner.train(images, options(work.resolve("u"), 0)));
    assertTrue(unknown.getMessage().contains("diffaugmnet") && unknown.getMessage().contains("diffaugment")
        && unknown.getMessage().contains("instance-noise"), unknown.getMessage());

    Path vectors = Experiments.write(work, "vectors.yaml", """
        architecture: {name: vanilla}
        dataset: {name: ring}
        augmentations: [ada]
        training: {steps: 1, batch: 4}
        """);
    ParameterException ring = assertThrows(ParameterException.class,
        () -> runner.train(vectors, options(work.resolve("v"), 0)));
    assertTrue(ring.getMessage().contains("[2]") && ring.getMessage().contains("instance-noise"), ring.getMessage());

    // pix2pix judges (condition, output) pairs, which these augmentations would transform apart.
    Path pairs = Experiments.write(work, "pairs.yaml", """
        architecture: {name: pix2pix, ngf: 4, ndf: 4}
        dataset: {name: fashion-mnist-pairs, pairing: masked, resolution: 32}
        augmentations: [diffaugment]
        training: {steps: 1, batch: 2}
        """);
    ParameterException pix2pix = assertThrows(ParameterException.class,
        () -> runner.train(pairs, options(work.resolve("t"), 0)));
    assertTrue(pix2pix.getMessage().contains("does not apply augmentations"), pix2pix.getMessage());

    Path typo = Experiments.write(work, "typo.yaml", """
        architecture: {name: dcgan, base_width: 8}
        dataset: {name: fashion-mnist}
        augmentations: [{name: diffaugment, strenght: 0.5}]
        training: {steps: 1, batch: 4}
        """);
    ParameterException parameter = assertThrows(ParameterException.class,
        () -> runner.train(typo, options(work.resolve("p"), 0)));
    assertTrue(parameter.getMessage().contains("strenght"), parameter.getMessage());
  }

  private static RunOptions options(Path runDir, long stopAfter) {
    return new RunOptions(List.of(), () -> false, runDir, stopAfter);
  }

  private static Map<String, float[]> variables(Path run) throws Exception {
    try (ExportedModel model = new ExportedModel(run, ExportedModel.latestCheckpoint(run))) {
      return model.variables();
    }
  }
}
