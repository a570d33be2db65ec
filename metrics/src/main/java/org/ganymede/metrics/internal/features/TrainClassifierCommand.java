package org.ganymede.metrics.internal.features;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.ganymede.api.Command;
import org.ganymede.api.DataSpec;
import org.ganymede.api.Dataset;
import org.ganymede.api.DatasetProvider;
import org.ganymede.api.FeatureExtractor.Features;
import org.ganymede.api.Parameters;
import org.ganymede.api.Plugins;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code ganymede train-classifier}: trains {@link ClassifierNetwork} on Fashion-MNIST's train split
 * with Adam, prints each epoch's mean loss and test accuracy, and writes the frozen graph that
 * {@code fashion-mnist-classifier} ships. The initial weights and the order of the batches come from
 * the seed; TensorFlow's CPU kernels may still sum in a different order from run to run.
 */
@Component(
    service = Command.class,
    property = {
      Plugins.NAME + "=train-classifier",
      Plugins.DESCRIPTION + "=Train the Fashion-MNIST classifier behind fashion-mnist-classifier and write its frozen graph"
    })
public final class TrainClassifierCommand implements Command {
  static final String NAME = "train-classifier";
  private static final int SAMPLE = ClassifierNetwork.IMAGE_SIZE * ClassifierNetwork.IMAGE_SIZE;

  private final DatasetProvider fashionMnist;

  @Activate
  public TrainClassifierCommand(
      @Reference(name = "fashionMnist", target = "(" + Plugins.NAME + "=fashion-mnist)") DatasetProvider fashionMnist) {
    this.fashionMnist = fashionMnist;
  }

  @CommandLine.Command(
      name = NAME,
      description = "Trains the Fashion-MNIST classifier (a small CNN) on the 60,000-image train split,"
          + " reports the accuracy on the 10,000-image test split after each epoch and writes the frozen graph.",
      sortOptions = false)
  static final class Arguments {
    @Option(names = "--out", required = true, paramLabel = "FILE",
        description = "Where to write the frozen graph (a GraphDef, .pb); its folder must exist.")
    Path out;

    @Option(names = "--epochs", defaultValue = "8", paramLabel = "N", description = "Passes over the train split, 1 or more (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch", defaultValue = "128", paramLabel = "N", description = "Images a step, 1 or more (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "N", description = "Seed of the initial weights and the shuffling (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--learning-rate", defaultValue = "0.001", paramLabel = "RATE", description = "Adam's step size, above 0 (default: ${DEFAULT-VALUE}).")
    float learningRate;

    @Option(names = "--data", paramLabel = "DIR",
        description = "Folder with train-images-idx3-ubyte.gz and train-labels-idx1-ubyte.gz"
            + " (default: the fashion-mnist dataset's own folder).")
    Path data;

    @Option(names = "--limit", paramLabel = "N", description = "Train on the first N train images only, 1 or more (default: all).")
    Integer limit;

    @Option(names = "--test-limit", paramLabel = "N", description = "Test on the first N test images only, 1 or more (default: all).")
    Integer testLimit;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;
  }

  @Override
  public int run(List<String> arguments, PrintStream out, PrintStream err) throws Exception {
    Arguments a = new Arguments();
    CommandLine line = new CommandLine(a);
    try {
      line.parseArgs(arguments.toArray(String[]::new));
    } catch (CommandLine.ParameterException e) {
      return usage(line, err, e.getMessage());
    }
    if (line.isUsageHelpRequested()) {
      line.usage(out);
      return 0;
    }
    String problem = check(a);
    if (problem != null) {
      return usage(line, err, problem);
    }

    try (Dataset train = open("train", a.data); Dataset test = open("test", null)) {
      return train(a, train, test, out);
    } catch (IOException e) {
      err.println(NAME + ": " + e.getMessage());
      return 1;
    }
  }

  private int train(Arguments a, Dataset train, Dataset test, PrintStream out) throws Exception {
    int n = a.limit == null ? train.size() : Math.min(a.limit, train.size());
    int testSize = a.testLimit == null ? test.size() : Math.min(a.testLimit, test.size());
    out.println("train: " + train.describe() + (n < train.size() ? ", first " + n : ""));
    out.println("test: " + test.describe() + (testSize < test.size() ? ", first " + testSize : ""));
    out.println(String.format(Locale.ROOT, "%d epochs of batch %d, Adam at %s, seed %d",
        a.epochs, a.batch, a.learningRate, a.seed));
    long started = System.nanoTime();
    byte[] graph;
    try (ClassifierTraining training = new ClassifierTraining(a.seed, a.learningRate)) {
      int[] order = new int[n];
      for (int i = 0; i < n; i++) {
        order[i] = i;
      }
      SplittableRandom random = new SplittableRandom(a.seed);
      for (int epoch = 1; epoch <= a.epochs; epoch++) {
        long epochStarted = System.nanoTime();
        shuffle(order, random);
        double lossSum = 0;
        int steps = 0;
        // The last, partial batch is dropped: every step sees the same number of images.
        int batch = Math.min(a.batch, n);
        float[] images = new float[batch * SAMPLE];
        int[] labels = new int[batch];
        for (int start = 0; start + batch <= n; start += batch) {
          for (int i = 0; i < batch; i++) {
            train.read(order[start + i], images, i * SAMPLE);
            labels[i] = train.label(order[start + i]);
          }
          lossSum += training.step(images, labels);
          steps++;
        }
        double accuracy = training.accuracy(test, testSize);
        out.println(String.format(Locale.ROOT, "epoch %d/%d: loss %.4f, test accuracy %.4f (%.1f s)",
            epoch, a.epochs, lossSum / steps, accuracy, seconds(epochStarted)));
      }
      graph = training.freeze();
    }
    write(graph, a.out);
    // Read back what was written, through the extractor's own path.
    double frozenAccuracy;
    try (FrozenClassifier classifier = FrozenClassifier.load(Files.readAllBytes(a.out), test.spec())) {
      frozenAccuracy = accuracy(classifier, test, testSize);
    }
    out.println(String.format(Locale.ROOT, "wrote %s (%d bytes): test accuracy %.4f on %d images, %.1f s in all",
        a.out, graph.length, frozenAccuracy, testSize, seconds(started)));
    return 0;
  }

  private Dataset open(String split, Path folder) throws IOException {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("split", split);
    values.put("resolution", ClassifierNetwork.IMAGE_SIZE);
    if (folder != null) {
      values.put("path", folder.toString());
    }
    Dataset data = fashionMnist.open(new Parameters("dataset 'fashion-mnist'", values), 0);
    DataSpec expected = DataSpec.image(ClassifierNetwork.IMAGE_SIZE, ClassifierNetwork.IMAGE_SIZE, 1, ClassifierNetwork.CLASSES);
    if (!data.spec().equals(expected)) {
      data.close();
      throw new IOException(data.describe() + ": expected " + expected + " images");
    }
    return data;
  }

  /** What is wrong with arguments picocli accepted, or null. */
  private static String check(Arguments a) {
    if (a.epochs < 1) {
      return "--epochs is " + a.epochs + "; it must be 1 or more";
    }
    if (a.batch < 1) {
      return "--batch is " + a.batch + "; it must be 1 or more";
    }
    if (!(a.learningRate > 0) || Float.isInfinite(a.learningRate)) {
      return "--learning-rate is " + a.learningRate + "; it must be a number above 0";
    }
    if (a.limit != null && a.limit < 1) {
      return "--limit is " + a.limit + "; it must be 1 or more";
    }
    if (a.testLimit != null && a.testLimit < 1) {
      return "--test-limit is " + a.testLimit + "; it must be 1 or more";
    }
    if (a.data != null && !Files.isDirectory(a.data)) {
      return "--data is " + a.data + ", which is not a folder; it must name the folder that holds the train files";
    }
    Path folder = a.out.toAbsolutePath().getParent();
    if (folder == null || !Files.isDirectory(folder)) {
      return "--out is " + a.out + ", whose folder does not exist; it must name a file in an existing folder";
    }
    if (Files.isDirectory(a.out)) {
      return "--out is " + a.out + ", which is a folder; it must name a file";
    }
    return null;
  }

  private static int usage(CommandLine line, PrintStream err, String problem) {
    err.println(NAME + ": " + problem);
    line.usage(err);
    return 2;
  }

  private static void shuffle(int[] order, SplittableRandom random) {
    for (int i = order.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
  }

  private static double accuracy(FrozenClassifier classifier, Dataset data, int n) throws Exception {
    int correct = 0;
    int sample = data.spec().sampleSize();
    for (int start = 0; start < n; start += FrozenClassifier.BATCH) {
      int count = Math.min(FrozenClassifier.BATCH, n - start);
      float[][] rows = new float[count][sample];
      for (int i = 0; i < count; i++) {
        data.read(start + i, rows[i], 0);
      }
      Features f = classifier.extract(rows);
      for (int i = 0; i < count; i++) {
        if (ClassifierTraining.argmax(f.classProbabilities()[i], 0, ClassifierNetwork.CLASSES) == data.label(start + i)) {
          correct++;
        }
      }
    }
    return (double) correct / n;
  }

  /** Writes beside the target and moves into place, so a reader never sees half a graph. */
  static void write(byte[] content, Path target) throws IOException {
    Path temporary = target.toAbsolutePath().resolveSibling("." + target.getFileName() + ".tmp");
    try {
      Files.write(temporary, content);
      try {
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
