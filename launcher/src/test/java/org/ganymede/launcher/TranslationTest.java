package org.ganymede.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import javax.imageio.ImageIO;
import org.ganymede.api.ExperimentRunner;
import org.ganymede.api.ExperimentRunner.RunOptions;
import org.ganymede.api.ParameterException;
import org.ganymede.api.RunOutcome;
import org.ganymede.api.TrainingListener;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CycleGAN through the framework on the built-in unpaired pair (sneakers and ankle boots): it
 * trains with its default loss, resumes exactly (weights, image pools and both domains' data
 * positions), and translates image files both ways.
 */
class TranslationTest {
  private static final String EXPERIMENT = """
      architecture: {name: cyclegan, ngf: 4, ndf: 4, blocks: 1, pool_size: 3}
      dataset: {name: unpaired-fashion-mnist}
      training: {steps: 8, batch: 2, seed: 5}
      output: {log_every: 2, sample_every: 4, checkpoint_every: 1000, sample_scale: 1}
      """;
  private static GanymedeHost host;
  private static ExperimentRunner runner;
  @TempDir Path work;

  @BeforeAll
  static void start() throws Exception {
    host = GanymedeHost.start(Distribution.current(), List.of("cyclegan", "losses", "datasets"));
    runner = host.runner();
  }

  @AfterAll
  static void stop() throws Exception {
    host.close();
  }

  @Test
  void cycleGanTrainsResumesExactlyAndTranslatesFiles() throws Exception {
    Path experiment = Experiments.write(work, "cyclegan.yaml", EXPERIMENT);
    Path straight = work.resolve("straight");
    Path interrupted = work.resolve("interrupted");
    AtomicReference<String> description = new AtomicReference<>();
    TrainingListener describer = new TrainingListener() {
      @Override
      public void runStarted(RunInfo info) {
        description.set(info.description());
      }
    };
    RunOutcome outcome = runner.train(experiment, new RunOptions(List.of(describer), () -> false, straight, 0));
    assertEquals(RunOutcome.Status.COMPLETED, outcome.status(), outcome.message());
    assertTrue(description.get().startsWith("cyclegan + least-squares on domain A: "), description.get());
    assertTrue(outcome.lastValues().containsKey("discriminator_b"), outcome.lastValues().toString());
    BufferedImage picture = ImageIO.read(straight.resolve("samples/step-000000008.png").toFile());
    assertEquals(6 * 34 + 2, picture.getWidth(), "source, translation, reconstruction for a2b and b2a");

    assertEquals(RunOutcome.Status.COMPLETED,
        runner.train(experiment, new RunOptions(List.of(), () -> false, interrupted, 5)).status());
    assertEquals(RunOutcome.Status.COMPLETED, runner.resume(interrupted, RunOptions.defaults()).status());
    Map<String, float[]> a = variables(straight);
    Map<String, float[]> b = variables(interrupted);
    assertTrue(a.containsKey("image_pool_a") && a.containsKey("image_pool_b"), "the pools are checkpointed too");
    assertEquals(a.keySet(), b.keySet());
    for (String name : a.keySet()) {
      float[] x = a.get(name);
      float[] y = b.get(name);
      for (int i = 0; i < x.length; i++) {
        assertEquals(x[i], y[i], 1e-5f * Math.max(1f, Math.abs(x[i])), name + "[" + i + "]");
      }
    }

    Path inputs = Files.createDirectory(work.resolve("inputs"));
    ImageIO.write(new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY), "png", inputs.resolve("one.png").toFile());
    ImageIO.write(new BufferedImage(60, 40, BufferedImage.TYPE_INT_RGB), "jpg", inputs.resolve("two.jpg").toFile());
    List<Path> written = runner.translate(straight, "b2a", inputs, work.resolve("out"));
    assertEquals(List.of(work.resolve("out/one.png"), work.resolve("out/two.png")), written);
    BufferedImage translated = ImageIO.read(written.get(1).toFile());
    assertEquals(32, translated.getWidth());
    assertEquals(32, translated.getHeight());

    String wrongDirection = assertThrows(ParameterException.class,
        () -> runner.translate(straight, "sideways", inputs, work.resolve("out"))).getMessage();
    assertTrue(wrongDirection.contains("this run translates a2b, b2a"), wrongDirection);
    String noLatent = assertThrows(ParameterException.class,
        () -> runner.sample(straight, 4, 1, work.resolve("grid.png"))).getMessage();
    assertTrue(noLatent.contains("use 'ganymede translate'"), noLatent);
  }

  private static Map<String, float[]> variables(Path run) throws Exception {
    try (ExportedModel model = new ExportedModel(run, ExportedModel.latestCheckpoint(run))) {
      return model.variables();
    }
  }
}
