package org.ganymede.launcher;

import java.nio.file.Path;
import java.util.Map;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.ganymede.api.RunOutcome;
import org.ganymede.api.TrainingListener;

/** A console progress bar with steps/s, ETA and the latest losses. */
final class ConsoleProgress implements TrainingListener {
  private ProgressBar bar;

  @Override
  public void runStarted(RunInfo info) {
    System.out.println("training " + info.description());
    System.out.println("run folder " + info.runDirectory());
    bar = new ProgressBarBuilder()
        .setTaskName("train")
        .setInitialMax(info.totalSteps())
        .setStyle(ProgressBarStyle.ASCII)
        .setUnit(" steps", 1)
        .showSpeed()
        .continuousUpdate()
        .build();
    bar.stepTo(info.firstStep());
  }

  @Override
  public void stepFinished(long step, Map<String, Double> values) {
    bar.stepTo(step);
    StringBuilder losses = new StringBuilder();
    for (String key : new String[] {"discriminator", "generator"}) {
      Double v = values.get(key);
      if (v != null) {
        losses.append(key, 0, 1).append('=').append(String.format("%.3f", v)).append(' ');
      }
    }
    bar.setExtraMessage(" " + losses.toString().trim());
  }

  @Override
  public void samplesWritten(long step, Path image) {
    bar.setExtraMessage(" samples " + image.getFileName());
  }

  @Override
  public void metricsComputed(long step, Map<String, Double> values) {
    System.out.println();
    values.forEach((k, v) -> System.out.printf("step %d %s = %.4f%n", step, k, v));
  }

  @Override
  public void warning(String message) {
    System.err.println();
    System.err.println("warning: " + message);
  }

  @Override
  public void runFinished(RunOutcome outcome) {
    if (bar != null) {
      bar.close();
    }
    System.out.println(outcome.status().name().toLowerCase() + ": " + outcome.message());
    if (outcome.stepsPerSecond() > 0) {
      System.out.printf("%.2f steps/s%n", outcome.stepsPerSecond());
    }
  }
}
