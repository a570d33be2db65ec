package org.ganymede.api;

import java.nio.file.Path;
import java.util.Map;

/**
 * How a run ended.
 *
 * @param status how it ended
 * @param step the last step completed
 * @param runDirectory where it wrote
 * @param lastValues the values logged at the last step
 * @param stepsPerSecond the training speed over the run, warm-up excluded
 * @param message a sentence for a person: what happened and what to do next
 */
public record RunOutcome(
    Status status, long step, Path runDirectory, Map<String, Double> lastValues, double stepsPerSecond, String message) {

  public enum Status {
    /** Reached the last step. */
    COMPLETED,
    /** Stopped on request; a checkpoint was written and {@code resume} continues. */
    STOPPED,
    /** A loss became NaN or infinite; the last good checkpoint was kept. */
    DIVERGED
  }
}
