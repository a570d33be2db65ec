package org.ganymede.api;

import java.nio.file.Path;
import java.util.Map;

/** Hears what a run does. Called on the trainer's thread: return quickly. */
public interface TrainingListener {
  default void runStarted(RunInfo info) {}

  /** After every step, with the values logged at that step (losses and scalars). */
  default void stepFinished(long step, Map<String, Double> values) {}

  default void checkpointWritten(long step, Path directory) {}

  default void samplesWritten(long step, Path image) {}

  default void metricsComputed(long step, Map<String, Double> values) {}

  /** A problem that did not stop the run (a failed metric, say). */
  default void warning(String message) {}

  default void runFinished(RunOutcome outcome) {}

  /**
   * @param runDirectory where the run writes everything
   * @param firstStep the step the run starts at (0, or where a resumed run left off)
   * @param totalSteps the step the run ends at
   * @param description one line: architecture, loss, dataset
   */
  record RunInfo(Path runDirectory, long firstStep, long totalSteps, String description) {}
}
