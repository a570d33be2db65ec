package org.ganymede.engine.internal;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.name.Names;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.ganymede.api.AdversarialLoss;
import org.ganymede.api.Architecture;
import org.ganymede.api.Dataset;
import org.ganymede.api.ModelContext.SelectedRegularizer;
import org.ganymede.api.Parameters;
import org.ganymede.api.TrainingListener;

/**
 * Composes one run: the services the experiment selected, its settings and where it starts are
 * bound here; Guice builds the graph, the listeners and the trainer from them. Tests replace a
 * binding with {@code Modules.override}.
 */
final class RunModule extends AbstractModule {
  /** The plug-ins one run uses, already looked up by name; closing it closes the datasets it opened. */
  record Selection(
      Architecture architecture,
      Parameters architectureParameters,
      AdversarialLoss loss,
      List<SelectedRegularizer> regularizers,
      List<TrainingGraph.SelectedAugmentation> augmentations,
      Dataset dataset,
      List<Evaluator.SelectedMetric> metrics,
      List<String> labelledDatasets,
      List<String> pairedDatasets) implements AutoCloseable {
    @Override
    public void close() {
      dataset.close();
      metrics.stream().map(Evaluator.SelectedMetric::test).filter(java.util.Objects::nonNull).forEach(Dataset::close);
    }
  }

  private final Experiment experiment;
  private final RunDirectory directory;
  private final Selection selection;
  private final RunState start;
  private final Path checkpoint;
  private final long lastStep;
  private final List<TrainingListener> listeners;
  private final BooleanSupplier stopRequested;
  private final Workers workers;

  /**
   * @param checkpoint the checkpoint to restore, or null for fresh weights
   * @param workers the cluster this process trains in, or null to train alone
   */
  RunModule(Experiment experiment, RunDirectory directory, Selection selection, RunState start, Path checkpoint,
      long lastStep, List<TrainingListener> listeners, BooleanSupplier stopRequested, Workers workers) {
    this.experiment = experiment;
    this.directory = directory;
    this.selection = selection;
    this.start = start;
    this.checkpoint = checkpoint;
    this.lastStep = lastStep;
    this.listeners = List.copyOf(listeners);
    this.stopRequested = stopRequested;
    this.workers = workers;
  }

  @Override
  protected void configure() {
    bind(Experiment.class).toInstance(experiment);
    bind(RunDirectory.class).toInstance(directory);
    bind(Dataset.class).toInstance(selection.dataset());
    bind(RunState.class).toInstance(start);
    bind(Long.class).annotatedWith(Names.named("lastStep")).toInstance(lastStep);
    bind(BooleanSupplier.class).annotatedWith(Names.named("stopRequested")).toInstance(stopRequested);
    Multibinder<TrainingListener> listenerBinder = Multibinder.newSetBinder(binder(), TrainingListener.class);
    for (TrainingListener l : listeners) {
      listenerBinder.addBinding().toInstance(l);
    }
  }

  @Provides
  @Singleton
  Listeners listeners(Set<TrainingListener> all) {
    return new Listeners(new ArrayList<>(all));
  }

  @Provides
  @Singleton
  Evaluator evaluator() {
    return new Evaluator(selection.metrics(), selection.dataset(), experiment.training().seed(),
        experiment.training().batch());
  }

  /** What a conditional architecture is told when the data carry no labels. */
  private String unlabelled() {
    return "dataset '" + experiment.dataset().name() + "' (" + selection.dataset().describe() + ") carries none;"
        + " datasets that carry labels: " + (selection.labelledDatasets().isEmpty() ? "none are installed"
            : String.join(", ", selection.labelledDatasets()));
  }

  /** What an image-conditioned architecture is told when the data are not pairs. */
  private String unpaired() {
    return "dataset '" + experiment.dataset().name() + "' (" + selection.dataset().describe() + ") is not pairs of a"
        + " condition image and a target; datasets of pairs: " + (selection.pairedDatasets().isEmpty()
            ? "none are installed" : String.join(", ", selection.pairedDatasets()));
  }

  /** A conditional run restores only onto data with the classes it was trained on. */
  private void requireTrainedClasses(TrainingGraph graph) {
    List<String> trained = directory.trainedClasses();
    if (graph.conditional && !trained.equals(graph.classNames)) {
      throw new org.ganymede.api.ParameterException("the run was trained on " + trained.size() + " classes ("
          + String.join(", ", trained) + ") and dataset '" + experiment.dataset().name() + "' now has "
          + graph.classNames.size() + " (" + String.join(", ", graph.classNames) + "): " + selection.dataset().describe());
    }
  }

  /** Builds the model, checks that every parameter given was used, and loads or initialises the weights. */
  @Provides
  @Singleton
  TrainingGraph trainingGraph() {
    Experiment.Training t = experiment.training();
    List<Parameters> optimizerParameters = new ArrayList<>();
    TrainingGraph graph = TrainingGraph.build(selection.dataset().spec(),
        selection.dataset().secondDomain().map(Dataset::spec).orElse(null),
        workers == null ? t.batch() : workers.localBatch(t.batch()),
        new TrainingGraph.BuildRequest(selection.architecture(), selection.architectureParameters(), selection.loss(),
            selection.regularizers(), t.seed(), t.criticSteps(), objective -> {
              Parameters p = new Parameters("training.optimizers." + objective,
                  t.optimizers().getOrDefault(objective, java.util.Map.of()));
              optimizerParameters.add(p);
              return p;
            }, TrainingGraph.Classes.of(selection.dataset(), t.classSampling(), unlabelled()),
            TrainingGraph.Pairing.of(selection.dataset(), unpaired()), t.freeze(), experiment.architecture().name(),
            selection.augmentations(), workers, t.precision()));
    try {
      selection.architectureParameters().rejectUnknownKeys();
      for (SelectedRegularizer r : selection.regularizers()) {
        r.parameters().rejectUnknownKeys();
      }
      for (TrainingGraph.SelectedAugmentation a : selection.augmentations()) {
        a.parameters().rejectUnknownKeys();
      }
      for (Parameters p : optimizerParameters) {
        p.rejectUnknownKeys();
      }
      java.util.Set<String> objectives = new java.util.TreeSet<>();
      graph.objectives.forEach(o -> objectives.add(o.name()));
      for (String named : t.optimizers().keySet()) {
        if (!objectives.contains(named)) {
          throw new org.ganymede.api.ParameterException("training.optimizers names '" + named
              + "', which this architecture does not have; its objectives: " + String.join(", ", objectives));
        }
      }
      if (checkpoint != null) {
        requireTrainedClasses(graph);
      }
      if (checkpoint == null) {
        graph.initialize();
        if (t.initFrom() != null) {
          try {
            graph.origin = WeightTransfer.apply(graph, t.initFrom()).describe();
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("training.init_from: reading " + t.initFrom().run() + " failed", e);
          }
        }
      } else {
        graph.session.restore(RunDirectory.weightsPrefix(checkpoint));
      }
      return graph;
    } catch (RuntimeException e) {
      graph.close();
      throw e;
    }
  }
}
