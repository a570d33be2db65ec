package org.ganymede.engine.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.ganymede.api.RunOutcome;
import org.ganymede.api.TrainingListener;

/** Tells every listener; one that throws is reported and never stops the run or the others. */
final class Listeners implements TrainingListener {
  private final List<TrainingListener> all;

  Listeners(List<TrainingListener> all) {
    this.all = List.copyOf(all);
  }

  @Override
  public void runStarted(RunInfo info) {
    each(l -> l.runStarted(info));
  }

  @Override
  public void stepFinished(long step, Map<String, Double> values) {
    each(l -> l.stepFinished(step, values));
  }

  @Override
  public void checkpointWritten(long step, Path directory) {
    each(l -> l.checkpointWritten(step, directory));
  }

  @Override
  public void samplesWritten(long step, Path image) {
    each(l -> l.samplesWritten(step, image));
  }

  @Override
  public void metricsComputed(long step, Map<String, Double> values) {
    each(l -> l.metricsComputed(step, values));
  }

  @Override
  public void warning(String message) {
    for (TrainingListener l : all) {
      try {
        l.warning(message);
      } catch (RuntimeException ignored) {
        // a listener that cannot take a warning has nothing left to tell
      }
    }
  }

  @Override
  public void runFinished(RunOutcome outcome) {
    each(l -> l.runFinished(outcome));
  }

  private void each(Consumer<TrainingListener> call) {
    for (TrainingListener l : all) {
      try {
        call.accept(l);
      } catch (RuntimeException e) {
        warning("listener " + l.getClass().getName() + " failed: " + e);
      }
    }
  }
}
