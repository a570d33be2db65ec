package org.ganymede.metrics.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.ganymede.api.DataSpec;
import org.ganymede.api.Metric;
import org.ganymede.api.ParameterException;
import org.ganymede.api.Parameters;
import org.ganymede.api.Plugins;
import org.ganymede.metrics.internal.features.ClassifierNetwork;
import org.ganymede.metrics.internal.features.ClassifierTraining;
import org.osgi.service.component.annotations.Component;

/**
 * The Classification Accuracy Score (Ravuri and Vinyals 2019): a classifier trained on nothing but a
 * conditional model's samples, each with the class it was made of, and tested on held-out real
 * data. A model whose samples of a class look like that class, and cover its variety, gives a
 * classifier nearly as good as one trained on real data.
 *
 * <p>The same small CNN ({@link ClassifierNetwork}, the shipped Fashion-MNIST classifier's network,
 * for any square side divisible by 4, any channels and any classes) is trained up to three times
 * with the same seed, the same number of epochs, batch size and Adam step sizes, and tested on
 * {@link Labels#test()}:
 *
 * <ul>
 *   <li>{@code cas}: trained on the generated samples with their classes;
 *   <li>{@code real_accuracy}: trained on the real samples with their classes, what CAS is compared with;
 *   <li>{@code augmented_accuracy}: trained on the real and the generated samples together, the
 *       data-augmentation use of a conditional model.
 * </ul>
 *
 * <p>Also reported: {@code cas_ratio} = cas / real_accuracy (when both are trained), the counts
 * {@code train_generated}, {@code train_real} and {@code test_samples} handed to the metric, and
 * {@code seconds}, the wall time of the whole metric. Parameter {@code which} (one value or a list
 * of {@code generated}, {@code real}, {@code augmented}; all three by default) skips trainings; the
 * values of a skipped one are left out.
 *
 * <p>Every training starts from the same initial weights (drawn from {@code seed}), visits every
 * sample once an epoch in an order shuffled from {@code seed} (the last batch of an epoch may be
 * smaller) and costs in proportion to its samples: augmented trains on both sets, so it takes as
 * long as the other two together. Adam's step size falls linearly from {@code learning_rate} to 0
 * over the training ({@code learning_rate_decay: linear}, or {@code none} to keep it): with a
 * budget this short the accuracy otherwise swings by a few points with the last few batches, and
 * CAS is a difference of two accuracies. TensorFlow's CPU kernels may sum in another order from
 * run to run, so repeated runs agree closely rather than to the bit.
 *
 * <p>Parameters: {@code epochs} ({@value #DEFAULT_EPOCHS}), {@code batch} ({@value #DEFAULT_BATCH}),
 * {@code learning_rate} (1e-3), {@code learning_rate_decay} ({@code linear}), {@code seed}
 * ({@value #DEFAULT_SEED}), {@code which} (all three). Two epochs of 60,000 28x28 images and a test
 * on 10,000 took 128 s of CPU, 98 to 145 s of wall time on 2 shared cores (so a third epoch would
 * not keep within 4 minutes there); 32x32 images cost a third more.
 */
@Component(
    service = Metric.class,
    property = {
      Plugins.NAME + "=" + ClassificationAccuracyScore.NAME,
      Plugins.DESCRIPTION + "=Classification Accuracy Score: test accuracy of a small CNN trained on the generated"
          + " samples of each class, beside one trained on the real samples and one on both"
    })
public final class ClassificationAccuracyScore implements Metric {
  static final String NAME = "classification-accuracy-score";
  private static final String METRIC = "Classification Accuracy Score";

  /** Passes over each training set. Two keep 60,000 generated 28x28 images within 4 minutes on 2 cores. */
  static final int DEFAULT_EPOCHS = 2;
  static final int DEFAULT_BATCH = 128;
  static final double DEFAULT_LEARNING_RATE = 1e-3;
  static final long DEFAULT_SEED = 1;
  /** Adam's step size falls linearly from {@code learning_rate} to 0 over the training, or stays put. */
  static final String LINEAR = "linear";
  static final List<String> DECAYS = List.of(LINEAR, "none");

  static final String GENERATED = "generated";
  static final String REAL = "real";
  static final String AUGMENTED = "augmented";
  /** The trainings {@code which} may name, in the order they run. */
  static final List<String> TRAININGS = List.of(GENERATED, REAL, AUGMENTED);

  /**
   * How each classifier is trained: the same for all three.
   *
   * @param decay whether the step size falls linearly to 0 over the training
   */
  private record Budget(int epochs, int batch, float learningRate, long seed, boolean decay) {}

  @Override
  public Input input() {
    return Input.LABELLED_SAMPLES;
  }

  @Override
  public Map<String, Double> compute(MetricSamples samples, Parameters parameters) {
    long started = System.nanoTime();
    Budget budget = budget(parameters);
    List<String> which = which(parameters);
    Labels labels = samples.labels();
    if (labels == null) {
      throw new IllegalArgumentException(METRIC + " trains a classifier on labelled samples and got samples without"
          + " classes: it needs a conditional model (one that makes samples of a given class), and it has no"
          + " per_class form");
    }
    ClassifierNetwork.Layout layout = layout(samples.spec(), labels);
    boolean generated = which.contains(GENERATED) || which.contains(AUGMENTED);
    boolean real = which.contains(REAL) || which.contains(AUGMENTED);
    if (generated) {
      requireRows(GENERATED, samples.generated(), labels.generated(), layout);
    }
    if (real) {
      requireRows(REAL, samples.real(), labels.real(), layout);
    }
    requireRows("test", labels.test(), labels.testLabels(), layout);

    Map<String, Double> values = new LinkedHashMap<>();
    Double cas = null;
    Double realAccuracy = null;
    if (which.contains(GENERATED)) {
      cas = trainAndTest(GENERATED, layout, samples.generated(), labels.generated(), budget, labels);
      values.put("cas", cas);
    }
    if (which.contains(REAL)) {
      realAccuracy = trainAndTest(REAL, layout, samples.real(), labels.real(), budget, labels);
      values.put("real_accuracy", realAccuracy);
    }
    if (which.contains(AUGMENTED)) {
      float[][] rows = concatenate(samples.real(), samples.generated());
      int[] rowLabels = new int[rows.length];
      System.arraycopy(labels.real(), 0, rowLabels, 0, labels.real().length);
      System.arraycopy(labels.generated(), 0, rowLabels, labels.real().length, labels.generated().length);
      values.put("augmented_accuracy", trainAndTest(AUGMENTED, layout, rows, rowLabels, budget, labels));
    }
    if (cas != null && realAccuracy != null) {
      values.put("cas_ratio", cas / realAccuracy);
    }
    values.put("train_generated", (double) samples.generated().length);
    values.put("train_real", (double) samples.real().length);
    values.put("test_samples", (double) labels.test().length);
    values.put("seconds", (System.nanoTime() - started) / 1e9);
    return values;
  }

  private static Budget budget(Parameters parameters) {
    int epochs = parameters.intInRange("epochs", DEFAULT_EPOCHS, 1, 10_000);
    int batch = parameters.intInRange("batch", DEFAULT_BATCH, 1, 1_000_000);
    double rate = parameters.positive("learning_rate", DEFAULT_LEARNING_RATE);
    if (!((float) rate > 0) || Float.isInfinite((float) rate)) {
      throw new ParameterException(parameters.owner() + ": 'learning_rate' is " + rate
          + "; it must be a positive number a float can hold");
    }
    long seed = parameters.longValue("seed", DEFAULT_SEED);
    boolean decay = parameters.choice("learning_rate_decay", LINEAR, DECAYS).equals(LINEAR);
    return new Budget(epochs, batch, (float) rate, seed, decay);
  }

  /** The trainings {@code which} names, in the order of {@link #TRAININGS}; all of them when it is not given. */
  static List<String> which(Parameters parameters) {
    if (!parameters.has("which")) {
      return TRAININGS;
    }
    Object value = parameters.asMap().get("which");
    List<?> given = value instanceof List<?> list ? list : value == null ? List.of() : List.of(value);
    String allowed = "allowed: one or a list of " + String.join(", ", TRAININGS);
    if (given.isEmpty()) {
      throw new ParameterException(parameters.owner() + ": 'which' names no training; " + allowed);
    }
    for (Object o : given) {
      if (!(o instanceof String s) || !TRAININGS.contains(s)) {
        throw new ParameterException(parameters.owner() + ": 'which' has '" + o + "'; " + allowed);
      }
    }
    return TRAININGS.stream().filter(given::contains).toList();
  }

  /** The network's layout for samples of {@code spec} in the classes {@code labels} name. */
  private static ClassifierNetwork.Layout layout(DataSpec spec, Labels labels) {
    if (!spec.isImage() || spec.height() != spec.width() || spec.height() % 4 != 0) {
      throw new IllegalArgumentException(METRIC + " trains a CNN with two 2x2 max-pools: it takes square images whose"
          + " side is a multiple of 4 (e.g. 28x28 or 32x32, any number of channels); got samples of shape "
          + Arrays.toString(spec.shape()));
    }
    int classes = labels.names() != null && !labels.names().isEmpty() ? labels.names().size() : spec.classes();
    if (classes < 2) {
      throw new IllegalArgumentException(METRIC + " needs 2 or more classes to tell apart; the data have " + classes);
    }
    return new ClassifierNetwork.Layout(spec.height(), spec.channels(), classes);
  }

  /** Rows of the layout's size with finite values, one class in range for each. */
  private static void requireRows(String side, float[][] rows, int[] rowLabels, ClassifierNetwork.Layout layout) {
    if (rows == null || rows.length == 0) {
      throw new IllegalArgumentException(METRIC + " needs " + side + " samples; got none");
    }
    if (rowLabels == null || rowLabels.length != rows.length) {
      throw new IllegalArgumentException(METRIC + ": " + rows.length + " " + side + " samples and "
          + (rowLabels == null ? "no" : String.valueOf(rowLabels.length)) + " classes; each sample needs its class");
    }
    int size = layout.sampleSize();
    for (int i = 0; i < rows.length; i++) {
      float[] row = rows[i];
      if (row.length != size) {
        throw new IllegalArgumentException(METRIC + ": " + side + " sample " + i + " has " + row.length
            + " values; samples of shape " + layout.side() + "x" + layout.side() + "x" + layout.channels() + " have "
            + size);
      }
      for (int j = 0; j < size; j++) {
        if (!Float.isFinite(row[j])) {
          throw new IllegalArgumentException(METRIC + ": " + side + " sample " + i + " has " + row[j] + " at index "
              + j + "; a classifier trains only on finite values");
        }
      }
      if (rowLabels[i] < 0 || rowLabels[i] >= layout.classes()) {
        throw new IllegalArgumentException(METRIC + ": " + side + " sample " + i + " is of class " + rowLabels[i]
            + "; classes run from 0 to " + (layout.classes() - 1));
      }
    }
  }

  /** A fresh classifier trained on {@code rows}, and its accuracy on the test samples. */
  private static double trainAndTest(String what, ClassifierNetwork.Layout layout, float[][] rows, int[] rowLabels,
      Budget budget, Labels labels) {
    try (ClassifierTraining training = new ClassifierTraining(layout, budget.seed())) {
      int n = rows.length;
      int sample = layout.sampleSize();
      int size = Math.min(budget.batch(), n);
      float[] images = new float[size * sample];
      int[] fullBatch = new int[size];
      int[] order = new int[n];
      for (int i = 0; i < n; i++) {
        order[i] = i;
      }
      SplittableRandom random = new SplittableRandom(budget.seed());
      double lastLoss = 0;
      long steps = (long) budget.epochs() * ((n + size - 1) / size);
      long step = 0;
      for (int epoch = 0; epoch < budget.epochs(); epoch++) {
        shuffle(order, random);
        double lossSum = 0;
        for (int start = 0; start < n; start += size) {
          int count = Math.min(size, n - start);
          int[] batchLabels = count == size ? fullBatch : new int[count];
          for (int i = 0; i < count; i++) {
            int row = order[start + i];
            System.arraycopy(rows[row], 0, images, i * sample, sample);
            batchLabels[i] = rowLabels[row];
          }
          float rate = budget.decay()
              ? (float) (budget.learningRate() * (1 - (double) step / steps))
              : budget.learningRate();
          step++;
          lossSum += (double) training.step(images, batchLabels, rate) * count;
        }
        lastLoss = lossSum / n;
      }
      if (!Double.isFinite(lastLoss)) {
        throw new IllegalArgumentException(String.format(Locale.ROOT, "%s: the classifier trained on %s samples"
            + " diverged (mean loss %s in the last epoch); lower learning_rate (%s)", METRIC, what, lastLoss,
            budget.learningRate()));
      }
      return training.accuracy(labels.test(), labels.testLabels());
    }
  }

  private static float[][] concatenate(float[][] first, float[][] second) {
    List<float[]> rows = new ArrayList<>(first.length + second.length);
    rows.addAll(Arrays.asList(first));
    rows.addAll(Arrays.asList(second));
    return rows.toArray(float[][]::new);
  }

  private static void shuffle(int[] order, SplittableRandom random) {
    for (int i = order.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
  }
}
