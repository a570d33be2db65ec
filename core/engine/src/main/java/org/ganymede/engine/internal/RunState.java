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
 */
record RunState(long step, long batches, long objectiveRuns, double trainSeconds) {
  static final RunState START = new RunState(0, 0, 0, 0);
}
