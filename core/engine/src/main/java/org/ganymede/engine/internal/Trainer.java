package org.ganymede.engine.internal;

import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.ganymede.api.Dataset;
import org.ganymede.api.RunOutcome;
import org.ganymede.api.RunOutcome.Status;
import org.ganymede.api.TrainingListener.RunInfo;
import org.ganymede.nn.Precision;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * The training loop. Every step runs the model's objectives in order (the discriminator's
 * {@code critic_steps} times, each on a fresh batch), then logs, draws samples, evaluates and
 * writes checkpoints on their schedules. A NaN loss stops the run and keeps the last good
 * checkpoint; a stop request writes a checkpoint first. In a cluster of workers every worker runs
 * this loop in step (the objectives' exchanges keep them so) and worker 0 alone writes.
 */
final class Trainer {
  /** Mixed into the seed of domain B's batch order. */
  private static final long DOMAIN_B = 0x9E3779B97F4A7C15L;
  /** Rows of a translation or image-conditioned model's sample picture. */
  private static final int TRANSLATION_ROWS = 8;

  private final Experiment experiment;
  private final RunDirectory directory;
  private final TrainingGraph graph;
  private final Dataset dataset;
  private final RunState start;
  private final long lastStep;
  private final Listeners listeners;
  private final Evaluator evaluator;
  private final BooleanSupplier stopRequested;
  private final Grid grid;
  /** Domain B of unpaired two-domain data, else null. */
  private final Dataset datasetB;
  /** Whether this process writes the run folder: alone, or worker 0 of a cluster. */
  private final boolean chief;

  @Inject
  Trainer(Experiment experiment, RunDirectory directory, TrainingGraph graph, Dataset dataset, RunState start,
      @Named("lastStep") long lastStep, Listeners listeners, Evaluator evaluator,
      @Named("stopRequested") BooleanSupplier stopRequested) {
    this.experiment = experiment;
    this.directory = directory;
    this.graph = graph;
    this.dataset = dataset;
    this.start = start;
    this.lastStep = lastStep;
    this.listeners = listeners;
    this.evaluator = evaluator;
    this.stopRequested = stopRequested;
    this.grid = graph.model.samples() && !graph.imageConditioned ? Grid.of(graph, experiment.output().gridSize(), experiment.training().seed())
        : null;
    this.datasetB = dataset.secondDomain().orElse(null);
    this.chief = graph.workers == null || graph.workers.chief();
  }

  RunOutcome run() throws IOException {
    Experiment.Output out = experiment.output();
    long seed = experiment.training().seed();
    long step = start.step();
    long objectiveRuns = start.objectiveRuns();
    double trainSeconds = start.trainSeconds();
    Map<String, Double> values = Map.of();
    RunState.Best best = start.best();
    Speedometer speed = new Speedometer(step, lastStep);
    listeners.runStarted(new RunInfo(directory.root(), step, lastStep, describe()));
    if (experiment.training().precision() == Precision.BF16 && !Precision.BF16.nativeOnThisCpu()) {
      listeners.warning("training.precision bf16: this CPU has no bfloat16 instructions (AVX512_BF16 or AMX-BF16),"
          + " so TensorFlow emulates them: the run computes what it would on such a CPU, but slower than fp32");
    }

    // The experiment's batch is the global batch; a worker of a cluster takes its share of each.
    BatchStream.Share share = graph.workers == null ? BatchStream.Share.WHOLE
        : new BatchStream.Share(graph.workers.rank(), graph.workers.size());
    int batch = experiment.training().batch();
    try (BatchStream batches = new BatchStream(dataset, batch, seed, start.batches(), share);
        // Domain B's stream moves with A's (one batch of each per objective run) in its own order.
        BatchStream batchesB = datasetB == null ? null
            : new BatchStream(datasetB, batch, seed ^ DOMAIN_B, start.batches(), share);
        MetricsLog log = chief ? new MetricsLog(directory.metricsLog(), step, listeners::warning) : null;
        TensorBoardEvents tensorboard = chief ? new TensorBoardEvents(directory.tensorboard(), listeners::warning) : null;
        // Logged scalars are measured on one fixed batch: comparable across steps, and drawing
        // them takes nothing from the batch stream, so logging never changes what is trained.
        Batches probe = chief ? new Batches(probeBatch(dataset), datasetB == null ? null : probeBatch(datasetB)) : null;
        TInt64 probeSeed = TInt64.vectorOf(seed, -1)) {
      while (step < lastStep) {
        if (graph.stopAgreed(stopRequested.getAsBoolean())) {
          if (!chief) {
            return finish(Status.STOPPED, step, values, speed, "stopped at step " + step + " with worker 0");
          }
          Path checkpoint = checkpoint(new RunState(step, batches.position(), objectiveRuns, trainSeconds, best));
          return finish(Status.STOPPED, step, values, speed,
              "stopped at step " + step + "; checkpoint " + checkpoint.getFileName() + " written; continue with "
                  + "'ganymede resume " + directory.root() + "'");
        }
        values = new LinkedHashMap<>();
        long stepStart = System.nanoTime();
        try (TInt64 at = TInt64.scalarOf(step)) {
          for (TrainingGraph.CompiledObjective objective : graph.objectives) {
            if (!objective.runsAt(step)) {
              continue;
            }
            for (int r = 0; r < objective.repeats(); r++) {
              try (Batches real = new Batches(batches.next(), batchesB == null ? null : batchesB.next());
                  TInt64 noise = noiseSeed(seed, objectiveRuns++)) {
                values.put(objective.name(), (double) graph.runObjective(objective, real.list(), noise, at,
                    stopRequested.getAsBoolean()));
              } catch (TrainingGraph.WorkerException e) {
                throw new IOException(e.getMessage() + " (at step " + step + ")", e);
              }
            }
          }
        }
        graph.afterStep();
        trainSeconds += (System.nanoTime() - stepStart) / 1e9;
        step++;
        speed.stepDone(step);
        for (Map.Entry<String, Double> v : values.entrySet()) {
          if (!Double.isFinite(v.getValue())) {
            // The diverged step's losses are logged, so that readers of the folder (the dashboard) see it.
            if (chief) {
              writeLog(log, step, "train", values);
            }
            return finish(Status.DIVERGED, step, values, speed, "the " + v.getKey() + " loss became " + v.getValue()
                + " at step " + step + "; training stopped" + lastGoodCheckpoint()
                + "; try a lower learning rate or a gradient penalty");
          }
        }
        boolean last = step == lastStep;
        if (!chief) {
          continue;
        }
        if (step % out.logEvery() == 0 || last) {
          try (TInt64 at = TInt64.scalarOf(step)) {
            values.putAll(graph.evaluateScalars(probe.list(), probeSeed, at));
          }
          values.put("steps_per_second", speed.stepsPerSecond());
          values.put("train_seconds", trainSeconds);
          writeLog(log, step, "train", values);
          tensorboard.scalars(step, values);
        }
        listeners.stepFinished(step, values);
        if (step % out.sampleEvery() == 0 || last) {
          try {
            writeSamples(step, tensorboard);
          } catch (IOException | RuntimeException e) {
            listeners.warning("writing the samples of step " + step + " in " + directory.samples() + " failed: "
                + cause(e) + "; training goes on");
          }
        }
        boolean newBest = false;
        if (!evaluator.isEmpty(graph) && ((out.metricsEvery() > 0 && step % out.metricsEvery() == 0) || last)) {
          Evaluator.Result result = evaluator.at(last).evaluate(graph);
          result.failures().forEach(f -> listeners.warning("metric " + f + " (skipped; training goes on)"));
          Map<String, Double> metrics = result.values();
          Map<String, Double> record = new LinkedHashMap<>(metrics);
          record.put("train_seconds", trainSeconds);
          writeLog(log, step, "metrics", record);
          tensorboard.scalars(step, metrics);
          listeners.metricsComputed(step, metrics);
          RunState.Best better = better(best, step, metrics);
          newBest = better != best;
          best = better;
        }
        // A new best is checkpointed at once, whatever the schedule, so that its weights are kept.
        if (step % out.checkpointEvery() == 0 || last || newBest) {
          checkpoint(new RunState(step, batches.position(), objectiveRuns, trainSeconds, best));
          tensorboard.flush();
        }
      }
    }
    return finish(Status.COMPLETED, step, values, speed, "trained to step " + step + (chief
        ? "; samples and checkpoints in " + directory.root() : " as worker " + graph.workers.rank() + " of "
            + graph.workers.size()));
  }

  /**
   * Writes a checkpoint. One that cannot be written (a full disk, a folder made read-only) stops
   * the run with a message naming it: the previous checkpoint and {@code latest} are untouched.
   */
  private Path checkpoint(RunState state) throws IOException {
    String before = afterFailedWrite();
    Path written;
    try {
      written = directory.writeCheckpoint(state, graph.session::save, experiment.output().keepCheckpoints());
      if (!Files.exists(directory.graphFile())) {
        graph.exportGraph(directory.graphFile()); // now with the saver ops the first save added
      }
    } catch (IOException | RuntimeException e) {
      throw new IOException("writing checkpoint " + RunDirectory.checkpointName(state.step()) + " in "
          + directory.checkpoints() + " failed: " + cause(e) + "; training stopped at step " + state.step() + before, e);
    }
    listeners.checkpointWritten(state.step(), written);
    return written;
  }

  /** A line of the metrics log; the run's record, so a line that cannot be written stops the run. */
  private void writeLog(MetricsLog log, long step, String kind, Map<String, Double> values) throws IOException {
    try {
      log.write(step, kind, values);
    } catch (IOException e) {
      throw new IOException("writing the metrics log " + directory.metricsLog() + " failed: " + cause(e)
          + "; training stopped at step " + step + afterFailedWrite(), e);
    }
  }

  /** The best checkpoint after an evaluation at {@code step}: {@code best} itself when not beaten. */
  private RunState.Best better(RunState.Best best, long step, Map<String, Double> metrics) {
    Experiment.KeepBest keep = experiment.output().keepBest();
    if (keep == null) {
      return best;
    }
    Double value = metrics.get(keep.metric());
    if (value == null || !Double.isFinite(value)) {
      listeners.warning("output.keep_best's " + keep.metric() + " was " + (value == null ? "not computed" : value)
          + " at step " + step + " (computed: " + String.join(", ", metrics.keySet()) + "); the best checkpoint stays "
          + (best == null ? "unset" : best.checkpoint()));
      return best;
    }
    if (best != null && !best.beatenBy(value)) {
      return best;
    }
    return new RunState.Best(RunDirectory.checkpointName(step), step, keep.metric(), keep.mode(), value);
  }

  /** What is kept after a write failed, and how to go on once there is room again. */
  private String afterFailedWrite() throws IOException {
    String how = "make room (or make the folder writable) and ";
    return directory.latestCheckpoint().isPresent()
        ? lastGoodCheckpoint() + "; " + how + "continue with 'ganymede resume " + directory.root() + "'"
        : " before its first checkpoint; " + how + "train again";
  }

  private static String cause(Exception e) {
    Throwable t = e instanceof java.io.UncheckedIOException u ? u.getCause() : e;
    String message = t.getMessage();
    return message == null || message.isBlank() ? t.getClass().getSimpleName() : message;
  }

  private void writeSamples(long step, TensorBoardEvents tensorboard) throws IOException {
    BufferedImage picture;
    int channels;
    if (graph.imageConditioned) {
      picture = SampleImages.enlarged(ConditionPictures.of(graph, dataset, TRANSLATION_ROWS, experiment.training().seed()),
          imageScale());
      channels = picture.getType() == BufferedImage.TYPE_BYTE_GRAY ? 1 : 3;
    } else if (!graph.model.samples()) {
      picture = SampleImages.enlarged(TranslationPictures.of(graph, dataset, TRANSLATION_ROWS), imageScale());
      channels = picture.getType() == BufferedImage.TYPE_BYTE_GRAY ? 1 : 3;
    } else if (dataset.spec().isImage()) {
      picture = SampleImages.enlarged(
          SampleImages.grid(graph.generate(grid.latents(), grid.classes()), dataset.spec(), grid.columns()), imageScale());
      channels = dataset.spec().channels();
    } else {
      float[][] real = new float[Math.min(dataset.size(), 2000)][dataset.spec().sampleSize()];
      for (int i = 0; i < real.length; i++) {
        dataset.read(i, real[i], 0);
      }
      Grid points = Grid.scattered(graph, 1000, experiment.training().seed() + 1);
      float[][] many = graph.generate(points.latents(), points.classes());
      picture = SampleImages.scatter(many, real);
      channels = 3;
    }
    Path file = directory.samples().resolve(String.format("step-%09d.png", step));
    SampleImages.writePng(picture, file);
    tensorboard.image(step, "samples", picture, channels);
    listeners.samplesWritten(step, file);
  }

  /** How many times pictures of this run's images are enlarged. */
  private int imageScale() {
    return experiment.output().scaleFor(dataset.spec());
  }

  private String lastGoodCheckpoint() throws IOException {
    Optional<Path> good = directory.latestCheckpoint();
    return good.map(p -> "; the last good checkpoint, " + p.getFileName() + ", and 'latest' are kept in "
        + directory.checkpoints()).orElse(" before the first checkpoint");
  }

  private RunOutcome finish(Status status, long step, Map<String, Double> values, Speedometer speed, String message) {
    if (graph.workers != null) { // so that one can see the workers ended with the same weights
      message = message + "; weights digest " + graph.weightsDigest();
    }
    RunOutcome outcome = new RunOutcome(status, step, directory.root(), Map.copyOf(values), speed.stepsPerSecond(), message);
    listeners.runFinished(outcome);
    return outcome;
  }

  private String describe() {
    return experiment.architecture().name() + " + " + experiment.loss().name()
        + (experiment.regularizers().isEmpty() ? "" : " + " + experiment.regularizers().stream().map(PluginRef::name)
            .reduce((a, b) -> a + " + " + b).orElse(""))
        + " on " + dataset.describe() + (graph.origin == null ? "" : "; " + graph.origin)
        + (experiment.training().precision() == Precision.FP32 ? "" : "; products in "
            + experiment.training().precision().label());
  }

  private BatchStream.Batch probeBatch(Dataset data) {
    int batch = graph.batch;
    int size = data.spec().sampleSize();
    float[] values = new float[batch * size];
    int[] labels = new int[batch];
    Dataset conditions = data.conditionImages().map(Dataset.ConditionImages::images).orElse(null);
    int conditionSize = conditions == null ? 0 : conditions.spec().sampleSize();
    float[] conditionValues = new float[batch * conditionSize];
    for (int i = 0; i < batch; i++) {
      data.read(i % data.size(), values, i * size);
      labels[i] = data.label(i % data.size());
      if (conditions != null) {
        conditions.read(i % data.size(), conditionValues, i * conditionSize);
      }
    }
    return new BatchStream.Batch(tensor(data, batch, values), data.spec().classes() > 0 ? TInt32.vectorOf(labels) : null,
        conditions == null ? null : tensor(conditions, batch, conditionValues));
  }

  private static TFloat32 tensor(Dataset data, int batch, float[] values) {
    return TFloat32.tensorOf(org.tensorflow.ndarray.Shape.of(data.spec().batchShape(batch)),
        org.tensorflow.ndarray.buffer.DataBuffers.of(values, true, false));
  }

  /** A real batch, and domain B's for two-domain data; closes both. */
  private record Batches(BatchStream.Batch a, BatchStream.Batch b) implements AutoCloseable {
    List<BatchStream.Batch> list() {
      return b == null ? List.of(a) : List.of(a, b);
    }

    @Override
    public void close() {
      a.close();
      if (b != null) {
        b.close();
      }
    }
  }

  private static TInt64 noiseSeed(long seed, long run) {
    return TInt64.vectorOf(seed, run);
  }

  /** Steps per second after a short warm-up (graph optimisation and allocation happen in the first steps). */
  private static final class Speedometer {
    private final long warmupEnd;
    private long timedFrom = -1;
    private long startNanos;
    private long lastNanos;
    private long lastStep;

    Speedometer(long firstStep, long lastStep) {
      this.warmupEnd = firstStep + Math.min(10, Math.max(1, (lastStep - firstStep) / 5));
    }

    void stepDone(long step) {
      long now = System.nanoTime();
      if (step == warmupEnd || (timedFrom < 0 && step > warmupEnd)) {
        timedFrom = step;
        startNanos = now;
      }
      lastNanos = now;
      lastStep = step;
    }

    double stepsPerSecond() {
      if (timedFrom < 0 || lastStep == timedFrom) {
        return 0;
      }
      return (lastStep - timedFrom) / ((lastNanos - startNanos) / 1e9);
    }
  }
}
