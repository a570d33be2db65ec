package org.ganymede.engine.internal;

/**
 * Where a run stands, saved beside each checkpoint: with the weights and optimizer state it
 * lets {@code resume} continue exactly.
 *
 * @param step generator steps completed
 * @param batches real batches consumed
 * @param objectiveRuns objective runs so far: the counter the noise seeds are drawn from
 */
record RunState(long step, long batches, long objectiveRuns) {
  static final RunState START = new RunState(0, 0, 0);
}
