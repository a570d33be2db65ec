package org.ganymede.engine.internal;

/**
 * Where a run stands, saved beside each checkpoint: with the weights and optimizer state it
 * lets {@code resume} continue exactly.
 *
 * @param step generator steps completed
 * @param batches real batches consumed
 * @param objectiveRuns objective runs so far: the counter the noise seeds are drawn from
 * @param trainSeconds wall-clock seconds spent in training steps so far (objective runs and
 *     after-step updates, batches included; not logging, samples, metrics or checkpoints), the
 *     budget two runs are compared in; 0 in states written before it was recorded
 * @param best the best checkpoint so far by {@code output.keep_best}, or null
 */
record RunState(long step, long batches, long objectiveRuns, double trainSeconds, Best best) {
  static final RunState START = new RunState(0, 0, 0, 0, null);

  /**
   * The checkpoint with the best value of a metric so far, kept besides the newest ones.
   *
   * @param checkpoint its folder's name ({@code step-000001500})
   * @param metric the metric's key in the metrics log ({@code metric/fid/fid})
   * @param mode min or max
   * @param value its value there
   */
  record Best(String checkpoint, long step, String metric, String mode, double value) {
    boolean beatenBy(double candidate) {
      return Double.isFinite(candidate) && (mode.equals("min") ? candidate < value : candidate > value);
    }
  }
}
