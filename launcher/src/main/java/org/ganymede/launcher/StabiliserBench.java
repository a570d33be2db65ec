package org.ganymede.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ganymede.api.ExperimentRunner.RunOptions;
import org.ganymede.api.RunOutcome;
import org.ganymede.api.TrainingListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * What each stabiliser costs a training step: the main job's DCGAN (32x32x1, base width 32,
 * batch 64) trained through the framework with each option in turn and with none, in one process,
 * the plain run first and last so that drift shows. Speeds are of the timed steps after a warm-up,
 * checkpoints, samples and logging aside (the experiment writes none of them in between).
 */
@Command(name = "stabilisers", description = "Time a DCGAN step with each augmentation, discriminator option and"
    + " regularizer of the stabilisers against none, in one run.")
final class StabiliserBench implements Callable<Integer> {
  private static final String EXPERIMENT = """
      name: bench-stabilisers
      bundles: [dcgan, losses, datasets]
      architecture: {name: dcgan, base_width: 32%s}
      loss: %s
      %s
      dataset: {name: fashion-mnist, resolution: 32}
      training: {steps: %d, batch: 64, seed: 7}
      output: {log_every: 1000000, sample_every: 1000000, checkpoint_every: 1000000, grid: 16}
      """;

  /** One setting: extra architecture parameters, the loss, and a top-level line the experiment adds. */
  private record Setting(String architecture, String loss, String extra) {}

  private static final Map<String, Setting> OPTIONS = options();

  @Option(names = "--steps", defaultValue = "100", description = "timed steps per option (default ${DEFAULT-VALUE})")
  int steps;

  @Option(names = "--warmup", defaultValue = "10", description = "untimed steps first (default ${DEFAULT-VALUE})")
  int warmup;

  private static Map<String, Setting> options() {
    Map<String, Setting> all = new LinkedHashMap<>();
    all.put("none", new Setting("", "non-saturating", ""));
    all.put("diffaugment", new Setting("", "non-saturating", "augmentations: [diffaugment]"));
    all.put("ada (p = 1)", new Setting("", "non-saturating", "augmentations: [{name: ada, p: 1, adaptive: false}]"));
    all.put("ada (adaptive)", new Setting("", "non-saturating", "augmentations: [ada]"));
    all.put("instance-noise", new Setting("", "non-saturating", "augmentations: [instance-noise]"));
    all.put("packing 2", new Setting(", packing: 2", "non-saturating", ""));
    all.put("minibatch_kernels 50", new Setting(", minibatch_kernels: 50", "non-saturating", ""));
    all.put("minibatch_stddev", new Setting(", minibatch_stddev: true", "non-saturating", ""));
    all.put("real_label 0.9", new Setting("", "{name: non-saturating, real_label: 0.9}", ""));
    all.put("weight-clipping", new Setting("", "wasserstein", "regularizers: [weight-clipping]"));
    return all;
  }

  @Override
  public Integer call() throws Exception {
    Path work = Files.createTempDirectory("ganymede-bench-stabilisers");
    Map<String, Double> speeds = new LinkedHashMap<>();
    double lastPlain;
    try (GanymedeHost host = GanymedeHost.start(Distribution.current(), List.of("dcgan", "losses", "datasets"))) {
      Main.reportProblems(host);
      for (Map.Entry<String, Setting> e : OPTIONS.entrySet()) {
        speeds.put(e.getKey(), time(host, work, e.getKey(), e.getValue()));
        System.out.printf("%-22s %.3f steps/s%n", e.getKey(), speeds.get(e.getKey()));
      }
      lastPlain = time(host, work, "none again", OPTIONS.get("none"));
      System.out.printf("%-22s %.3f steps/s%n", "none again", lastPlain);
    }
    double plain = (speeds.get("none") + lastPlain) / 2;
    System.out.printf("DCGAN 32x32x1, base width 32, batch 64, %d timed steps each; none = mean of first and last%n",
        steps);
    for (Map.Entry<String, Double> e : speeds.entrySet()) {
      if (!e.getKey().equals("none")) {
        System.out.printf("%s/none = %.3f (time per step x%.2f)%n", e.getKey(), e.getValue() / plain,
            plain / e.getValue());
      }
    }
    return 0;
  }

  /** Steps per second of the timed steps: from the end of the warm-up's last step to the end of the run's. */
  private double time(GanymedeHost host, Path work, String name, Setting option) throws Exception {
    String file = name.replaceAll("[^a-z0-9]+", "-");
    Path experiment = work.resolve(file + ".yaml");
    Files.writeString(experiment, String.format(EXPERIMENT, option.architecture(), option.loss(), option.extra(),
        warmup + steps));
    long[] marks = new long[2];
    TrainingListener clock = new TrainingListener() {
      @Override
      public void stepFinished(long step, Map<String, Double> values) {
        if (step == warmup) {
          marks[0] = System.nanoTime();
        } else if (step == warmup + steps) {
          marks[1] = System.nanoTime();
        }
      }
    };
    require(host.runner().train(experiment, new RunOptions(List.of(clock), () -> false, work.resolve(file), 0)));
    return steps / ((marks[1] - marks[0]) / 1e9);
  }

  private static void require(RunOutcome outcome) {
    if (outcome.status() != RunOutcome.Status.COMPLETED) {
      throw new IllegalStateException(outcome.message());
    }
  }
}
