package org.ganymede.launcher;

import java.nio.file.Path;
import java.util.Map;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.ganymede.api.RunOutcome;
import org.ganymede.api.TrainingListener;

/**
 * A console progress bar with steps/s, ETA and the latest losses; when the output is not a
 * terminal (a log file, CI), a plain line every {@value #PLAIN_LINE_SECONDS} seconds instead of
 * carriage-return frames.
 */
final class ConsoleProgress implements TrainingListener {
  static final int PLAIN_LINE_SECONDS = 15;
  private static final int SHOWN_LOSSES = 3;
  private ProgressBar bar;

  @Override
  public void runStarted(RunInfo info) {
    System.out.println("training " + info.description());
    System.out.println("run folder " + info.runDirectory());
    ProgressBarBuilder builder = new ProgressBarBuilder()
        .setTaskName("train")
        .setInitialMax(info.totalSteps())
        .setStyle(ProgressBarStyle.ASCII)
        .setUnit(" steps", 1)
        .showSpeed()
        .continuousUpdate();
    if (System.console() == null) {
      builder.setConsumer(new DelegatingProgressBarConsumer(System.out::println, 100))
          .setUpdateIntervalMillis(PLAIN_LINE_SECONDS * 1000);
    }
    bar = builder.build();
    bar.stepTo(info.firstStep());
  }

  @Override
  public void stepFinished(long step, Map<String, Double> values) {
    bar.stepTo(step);
    // The objectives' losses (d and g for the usual two; a pyramid's or a cycle's by name).
    StringBuilder losses = new StringBuilder();
    int shown = 0;
    for (Map.Entry<String, Double> e : values.entrySet()) {
      if (shown == SHOWN_LOSSES || e.getKey().contains("/") || e.getKey().equals("steps_per_second")
          || e.getKey().equals("train_seconds")) {
        continue;
      }
      String key = e.getKey().equals("discriminator") || e.getKey().equals("generator") ? e.getKey().substring(0, 1)
          : e.getKey();
      losses.append(key).append('=').append(String.format("%.3f", e.getValue())).append(' ');
      shown++;
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
