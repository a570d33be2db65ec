package org.ganymede.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.ganymede.api.DataSpec;
import org.ganymede.api.ParameterException;
import org.junit.jupiter.api.Test;
import org.ganymede.nn.Precision;

class ExperimentParserTest {

  @Test
  void readsAFullExperiment() {
    Experiment e = ExperimentParser.parse("""
        name: full
        bundles: [dcgan, losses]
        architecture: {name: dcgan, base_width: 32}
        loss: hinge
        regularizers: [{name: r1, gamma: 5}, wgan-gp]
        dataset: {name: fashion-mnist, resolution: 28}
        metrics: [{name: mode-coverage, samples: 500}]
        training: {steps: 7, batch: 16, critic_steps: 3, seed: 9, optimizers: {generator: {lr: 0.001}}}
        output: {run_dir: out/full, log_every: 2, sample_every: 3, checkpoint_every: 4, metrics_every: 5, grid: 9,
                 sample_scale: 3, keep_checkpoints: 1}
        """, "fallback", "test");
    assertEquals("full", e.name());
    assertEquals(List.of("dcgan", "losses"), e.bundles());
    assertEquals(new PluginRef("architecture", "dcgan", Map.of("base_width", 32)), e.architecture());
    assertEquals("hinge", e.loss().name());
    assertEquals(List.of("r1", "wgan-gp"), e.regularizers().stream().map(PluginRef::name).toList());
    assertEquals(5, e.regularizers().get(0).parameters().get("gamma"));
    assertEquals(new Experiment.Training(7, 16, 3, 9, Map.of("generator", Map.of("lr", 0.001)), "uniform", null, Map.of(), Precision.FP32), e.training());
    assertEquals(new Experiment.Output(Path.of("out/full"), 2, 3, 4, 5, 9, 3, 1, null), e.output());
  }

  @Test
  void fillsDefaults() {
    Experiment e = ExperimentParser.parse("architecture: vanilla\ndataset: ring\n", "ring-run", "test");
    assertEquals("ring-run", e.name());
    assertNull(e.loss(), "no loss named: the architecture's default applies");
    assertEquals("non-saturating", e.withDefaultLoss(null).loss().name());
    assertEquals("least-squares", e.withDefaultLoss("least-squares").loss().name());
    assertEquals(new Experiment.Training(1000, 64, 1, 0, Map.of(), "uniform", null, Map.of(), Precision.FP32), e.training());
    assertEquals(Path.of("runs/ring-run"), e.output().runDirectory());
  }

  @Test
  void samplePicturesAreEnlargedUntilASampleIsSeen() {
    Experiment.Output automatic = ExperimentParser.parse("architecture: dcgan\ndataset: ring\n", "x", "test").output();
    assertEquals(3, automatic.scaleFor(DataSpec.image(32, 32, 1, 0)), "32 px samples three times, to 96 px");
    assertEquals(4, automatic.scaleFor(DataSpec.image(28, 28, 1, 0)), "28 px samples four times, to 112 px");
    assertEquals(1, automatic.scaleFor(DataSpec.image(128, 128, 3, 0)));
    Experiment.Output set = ExperimentParser.parse("architecture: dcgan\ndataset: ring\noutput: {sample_scale: 2}\n",
        "x", "test").output();
    assertEquals(2, set.scaleFor(DataSpec.image(32, 32, 1, 0)));
  }

  @Test
  void rejectsWhatItDoesNotKnowAndSaysWhatIsAllowed() {
    assertMessage("architecture: vanilla\ndataset: ring\nseed: 3\n", "unknown key seed in the experiment; allowed: name");
    assertMessage("architecture: vanilla\ndataset: ring\noutput: {rundir: x}\n", "unknown key rundir in output; allowed: run_dir");
    assertMessage("dataset: ring\n", "'architecture' is missing");
    assertMessage("architecture: vanilla\ndataset: ring\ntraining: {steps: -4}\n", "training.steps must be a positive integer");
    assertMessage("architecture: vanilla\ndataset: ring\ntraining: {batch: many}\n", "training.batch must be an integer");
    assertMessage("architecture: {base_width: 3}\ndataset: ring\n", "architecture needs a 'name'");
    assertMessage("architecture: vanilla\ndataset: ring\nregularizers: r1\n", "regularizers must be a list");
    assertMessage("architecture: [vanilla\n", "is not valid YAML");
    assertMessage("architecture: {name: vanilla, depth: 2, depth: 3}\ndataset: ring\n", "found duplicate key depth");
    assertMessage("architecture: vanilla\ndataset: ring\nmetrics: [mode-coverage]\noutput: {keep_best: {metric: fid/fid,"
        + " mode: min}}\n", "output.keep_best.metric is 'fid/fid', not a value of a metric this experiment selects; it is "
        + "NAME/VALUE as the metrics log keys it (fid/fid, kid/kid_mean), and the experiment selects mode-coverage");
    assertMessage("architecture: vanilla\ndataset: ring\nmetrics: [fid]\noutput: {keep_best: {metric: fid/fid}}\n",
        "output.keep_best needs 'metric' (a key of the metrics log, fid/fid say) and 'mode'");
    assertMessage("architecture: vanilla\ndataset: ring\nmetrics: [fid]\noutput: {keep_best: {metric: fid/fid, mode: "
        + "lowest}}\n", "output.keep_best.mode is 'lowest'; allowed: min, max");
    assertMessage("architecture: vanilla\ndataset: ring\ntraining: {init_from: {checkpoint: best}}\n",
        "training.init_from needs 'run', the run folder whose weights to start from");
    assertMessage("architecture: vanilla\ndataset: ring\ntraining: {init_from: {run: r, checkpoint: newest}}\n",
        "training.init_from.checkpoint is 'newest'; allowed: latest, best, or the step of one of that run's checkpoints");
    assertMessage("architecture: vanilla\ndataset: ring\ntraining: {init_from: {run: r, optimiser: true}}\n",
        "unknown key optimiser in training.init_from; allowed: run, checkpoint, optimizer, skip");
    assertMessage("architecture: vanilla\ndataset: ring\ntraining: {freeze: {critic_layers: 2}}\n",
        "unknown key critic_layers in training.freeze; allowed: discriminator_layers, generator_layers");
    assertMessage("architecture: vanilla\ndataset: ring\ntraining: {freeze: {discriminator_layers: 0}}\n",
        "training.freeze.discriminator_layers must be a positive integer, not 0");
    assertMessage("architecture: vanilla\ndataset: ring\noutput: {sample_scale: 0}\n",
        "output.sample_scale must be auto or an integer from 1 to 16 (how many times sample pictures are enlarged), was 0");
    assertMessage("architecture: vanilla\ndataset: ring\noutput: {sample_scale: big}\n",
        "output.sample_scale must be auto or an integer from 1 to 16");
  }

  @Test
  void keepBestNamesAMetricAsTheLogKeysIt() {
    Experiment e = ExperimentParser.parse("architecture: vanilla\ndataset: ring\nmetrics: [fid]\n"
        + "output: {keep_best: {metric: fid/fid, mode: min}}\n", "x", "test");
    assertEquals(new Experiment.KeepBest("metric/fid/fid", "min"), e.output().keepBest());
  }

  private static void assertMessage(String yaml, String expected) {
    ParameterException e = assertThrows(ParameterException.class, () -> ExperimentParser.parse(yaml, "x", "test"));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
