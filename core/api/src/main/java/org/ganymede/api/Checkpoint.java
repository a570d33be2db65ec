package org.ganymede.api;

/**
 * Which of a run folder's checkpoints a command works from: the latest (the default), the best
 * by the experiment's {@code output.keep_best} metric, or the one written at a step.
 *
 * @param kind which
 * @param step the step, for {@link Kind#STEP}; 0 otherwise
 */
public record Checkpoint(Kind kind, long step) {
  /** The ways of naming a checkpoint. */
  public enum Kind { LATEST, BEST, STEP }

  public Checkpoint {
    if (kind == null) {
      throw new IllegalArgumentException("a checkpoint choice needs a kind: latest, best or a step");
    }
    if (kind == Kind.STEP ? step < 0 : step != 0) {
      throw new ParameterException(kind == Kind.STEP ? "a checkpoint's step is 0 or more, not " + step
          : "only a checkpoint chosen by step has a step");
    }
  }

  public static Checkpoint latest() {
    return new Checkpoint(Kind.LATEST, 0);
  }

  public static Checkpoint best() {
    return new Checkpoint(Kind.BEST, 0);
  }

  public static Checkpoint step(long step) {
    return new Checkpoint(Kind.STEP, step);
  }

  /** {@code latest}, {@code best} or a step number, as the command line's {@code --checkpoint} takes it. */
  public static Checkpoint parse(String text) {
    String t = text.trim();
    if (t.equals("latest")) {
      return latest();
    }
    if (t.equals("best")) {
      return best();
    }
    try {
      return step(Long.parseLong(t));
    } catch (NumberFormatException e) {
      throw new ParameterException("--checkpoint is '" + text + "'; allowed: latest, best, or the step of one of the "
          + "run's checkpoints (1500, say)");
    }
  }
}
