package org.ganymede.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.ganymede.api.ExperimentRunner;
import org.ganymede.api.ExperimentRunner.Evaluation;
import org.ganymede.api.ExperimentRunner.EvaluationOptions;
import org.ganymede.api.ExperimentRunner.RunOptions;
import org.ganymede.api.ExperimentRunner.SampleOptions;
import org.ganymede.api.ParameterException;
import org.ganymede.api.RunOutcome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * pix2pix through the framework on pairs made from Fashion-MNIST: a short run lowers the L1 of
 * its outputs on held-out pairs below what it started from and below copying the input; it
 * resumes exactly with the pairs' conditions; an inpainting run keeps the pixels it was given
 * and fills the transparent ones of a file; SRGAN raises the resolution four times with the
 * shipped classifier's features in its content loss and is measured beside bicubic upsampling;
 * what does not fit is refused with the reason.
 */
class PairedTest {
  private static final String HELD_OUT = "{name: fashion-mnist-pairs, pairing: %s, resolution: 32, part: held-out}";
  private static GanymedeHost host;
  private static ExperimentRunner runner;
  @TempDir Path work;

  @BeforeAll
  static void start() throws Exception {
    host = GanymedeHost.start(Distribution.current(), List.of("pix2pix", "srgan", "dcgan", "losses", "datasets", "metrics"));
    runner = host.runner();
  }

  @AfterAll
  static void stop() throws Exception {
    host.close();
  }

  @Test
  void aShortPix2pixRunLowersHeldOutL1BelowItsStartAndBelowCopyingTheInput() throws Exception {
    String test = HELD_OUT.formatted("edges");
    Path experiment = Experiments.write(work, "edges.yaml", """
        architecture: {name: pix2pix, ngf: 8, ndf: 8}
        dataset: {name: fashion-mnist-pairs, pairing: edges, resolution: 32, part: train}
        metrics:
          - {name: l1, samples: 300, test: %1$s}
          - {name: psnr, samples: 300, test: %1$s}
          - {name: ssim, samples: 300, test: %1$s}
        training: {steps: 120, batch: 16, seed: 1}
        output: {log_every: 10, sample_every: 120, checkpoint_every: 1000, metrics_every: 10, sample_scale: 1}
        """.formatted(test));
    Path run = work.resolve("edges");
    RunOutcome outcome = runner.train(experiment, new RunOptions(List.of(), () -> false, run, 0));
    assertEquals(RunOutcome.Status.COMPLETED, outcome.status(), outcome.message());
    List<Map<String, Object>> evaluations = new ArrayList<>();
    for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
      if (line.contains("\"metric/l1/l1\"")) {
        evaluations.add(new com.google.gson.Gson().fromJson(line, Map.class));
      }
    }
    assertEquals(12, evaluations.size(), "an evaluation every 10 steps");
    double first = ((Number) evaluations.get(0).get("metric/l1/l1")).doubleValue();
    Map<String, Object> last = evaluations.get(evaluations.size() - 1);
    double l1 = ((Number) last.get("metric/l1/l1")).doubleValue();
    double copied = ((Number) last.get("metric/l1/input/l1")).doubleValue();
    assertTrue(l1 < 0.8 * first, "held-out L1 from " + first + " at step 10 to " + l1 + " at step 120");
    assertTrue(l1 < copied, "held-out L1 " + l1 + " against copying the edge map, " + copied);
    assertTrue(((Number) last.get("metric/psnr/psnr")).doubleValue() > ((Number) last.get("metric/psnr/input/psnr"))
        .doubleValue(), last.toString());
    assertTrue(last.containsKey("metric/ssim/ssim"), last.toString());

    // The sample picture: condition, output and target for 8 pairs.
    BufferedImage picture = ImageIO.read(run.resolve("samples/step-000000120.png").toFile());
    assertEquals(3 * 34 + 2, picture.getWidth());
    assertEquals(8 * 34 + 2, picture.getHeight());
    Path sampled = runner.sample(run, SampleOptions.grid(5, 3, work.resolve("pairs.png")));
    assertEquals(5 * 34 + 2, ImageIO.read(sampled.toFile()).getHeight());
    String mix = assertThrows(ParameterException.class, () -> runner.sample(run,
        new SampleOptions(0, 1, 1, List.of(1L, 2L), List.of(), 0, work.resolve("mix.png")))).getMessage();
    assertTrue(mix.contains("makes its outputs from condition images"), mix);
    String direction = assertThrows(ParameterException.class,
        () -> runner.translate(run, "a2b", sampled, work.resolve("out"))).getMessage();
    assertTrue(direction.contains("leave out --direction"), direction);
  }

  @Test
  void pix2pixResumesExactlyWithThePairsConditions() throws Exception {
    Path experiment = Experiments.write(work, "resume.yaml", """
        architecture: {name: pix2pix, ngf: 4, ndf: 4}
        dataset: {name: fashion-mnist-pairs, pairing: masked, resolution: 32}
        training: {steps: 6, batch: 4, seed: 2}
        output: {log_every: 2, sample_every: 1000, checkpoint_every: 1000}
        """);
    Path straight = work.resolve("straight");
    Path interrupted = work.resolve("interrupted");
    assertEquals(RunOutcome.Status.COMPLETED,
        runner.train(experiment, new RunOptions(List.of(), () -> false, straight, 0)).status());
    assertEquals(RunOutcome.Status.COMPLETED,
        runner.train(experiment, new RunOptions(List.of(), () -> false, interrupted, 3)).status());
    assertEquals(RunOutcome.Status.COMPLETED, runner.resume(interrupted, RunOptions.defaults()).status());
    Map<String, float[]> a = variables(straight);
    Map<String, float[]> b = variables(interrupted);
    assertEquals(a.keySet(), b.keySet());
    for (String name : a.keySet()) {
      float[] x = a.get(name);
      float[] y = b.get(name);
      for (int i = 0; i < x.length; i++) {
        assertEquals(x[i], y[i], 1e-5f * Math.max(1f, Math.abs(x[i])), name + "[" + i + "]");
      }
    }

    // A file whose centre is transparent: the output keeps the rest and fills the centre.
    BufferedImage input = new BufferedImage(32, 32, BufferedImage.TYPE_INT_ARGB);
    for (int y = 0; y < 32; y++) {
      for (int x = 0; x < 32; x++) {
        int grey = (x * 8) & 0xff;
        boolean hole = x >= 8 && x < 24 && y >= 8 && y < 24;
        input.setRGB(x, y, hole ? 0 : 0xff000000 | grey << 16 | grey << 8 | grey);
      }
    }
    Path file = work.resolve("holed.png");
    ImageIO.write(input, "png", file.toFile());
    List<Path> written = runner.translate(straight, null, file, work.resolve("filled"));
    assertEquals(List.of(work.resolve("filled/holed.png")), written);
    BufferedImage output = ImageIO.read(written.get(0).toFile());
    for (int y = 0; y < 32; y++) {
      for (int x = 0; x < 32; x++) {
        if (!(x >= 8 && x < 24 && y >= 8 && y < 24)) {
          assertEquals((x * 8) & 0xff, output.getRaster().getSample(x, y, 0), 1, "known pixel " + x + "," + y);
        }
      }
    }
    BufferedImage opaque = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
    ImageIO.write(opaque, "png", work.resolve("opaque.png").toFile());
    String nothing = assertThrows(ParameterException.class,
        () -> runner.translate(straight, null, work.resolve("opaque.png"), work.resolve("x"))).getMessage();
    assertTrue(nothing.contains("no transparent pixels"), nothing);
  }

  @Test
  void srganRaisesTheResolutionFourTimesAndIsMeasuredBesideBicubicUpsampling() throws Exception {
    Path experiment = Experiments.write(work, "srgan.yaml", """
        architecture: {name: srgan, width: 8, blocks: 1, ndf: 4, warmup_steps: 2}
        dataset: {name: fashion-mnist-pairs, pairing: low-resolution, factor: 4, resolution: 32}
        metrics: [{name: psnr, samples: 100}, {name: ssim, samples: 100}]
        training: {steps: 4, batch: 4, seed: 5}
        output: {log_every: 1, sample_every: 4, checkpoint_every: 1000}
        """);
    Path run = work.resolve("srgan");
    RunOutcome outcome = runner.train(experiment, new RunOptions(List.of(), () -> false, run, 0));
    assertEquals(RunOutcome.Status.COMPLETED, outcome.status(), outcome.message());
    String log = Files.readString(run.resolve("metrics.jsonl"));
    assertTrue(log.contains("\"content/perceptual\""), "the shipped classifier's features are in the content loss");
    assertTrue(log.contains("\"adversarial_on\":0.0") && log.contains("\"adversarial_on\":1.0"), "a warm-up of 2 steps");
    Evaluation evaluation = runner.evaluate(run, new EvaluationOptions(List.of(), 0));
    assertTrue(evaluation.failures().isEmpty(), evaluation.failures().toString());
    for (String key : List.of("metric/psnr/psnr", "metric/psnr/bicubic/psnr", "metric/ssim/ssim", "metric/ssim/bicubic/ssim")) {
      assertTrue(evaluation.values().containsKey(key), key + " in " + evaluation.values().keySet());
    }
    BufferedImage small = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
    small.getRaster().setSample(3, 3, 0, 255);
    ImageIO.write(small, "png", work.resolve("small.png").toFile());
    List<Path> written = runner.translate(run, null, work.resolve("small.png"), work.resolve("large"));
    BufferedImage large = ImageIO.read(written.get(0).toFile());
    assertEquals(32, large.getWidth(), "8 px in, 32 px out");
  }

  @Test
  void whatDoesNotFitIsRefusedWithTheReason() throws Exception {
    Path unpaired = Experiments.write(work, "unpaired.yaml", """
        architecture: {name: pix2pix}
        dataset: {name: fashion-mnist, resolution: 32}
        training: {steps: 1, batch: 2}
        """);
    String notPairs = assertThrows(ParameterException.class,
        () -> runner.train(unpaired, new RunOptions(List.of(), () -> false, work.resolve("u"), 0))).getMessage();
    assertTrue(notPairs.contains("is not pairs of a condition image and a target; datasets of pairs: fashion-mnist-pairs"),
        notPairs);
    assertTrue(!Files.exists(work.resolve("u")), "no run folder for an experiment that cannot be built");

    Path dcgan = Experiments.write(work, "dcgan.yaml", """
        architecture: {name: dcgan, base_width: 4, latent_size: 8}
        dataset: {name: fashion-mnist, resolution: 32}
        metrics: [{name: psnr, samples: 50}]
        training: {steps: 2, batch: 4}
        output: {log_every: 1, sample_every: 1000, checkpoint_every: 1000}
        """);
    Path run = work.resolve("dcgan");
    assertEquals(RunOutcome.Status.COMPLETED, runner.train(dcgan, new RunOptions(List.of(), () -> false, run, 0)).status());
    Evaluation evaluation = runner.evaluate(run, new EvaluationOptions(List.of(), 0));
    assertEquals(1, evaluation.failures().size());
    assertTrue(evaluation.failures().get(0).contains("does not make its outputs from condition images"),
        evaluation.failures().toString());
  }

  private static Map<String, float[]> variables(Path run) throws Exception {
    try (ExportedModel model = new ExportedModel(run, ExportedModel.latestCheckpoint(run))) {
      return model.variables();
    }
  }
}
