package org.ganymede.metrics.internal.features;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.ganymede.api.DataSpec;
import org.ganymede.api.FeatureExtractor.Extraction;
import org.ganymede.api.FeatureExtractor.Features;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.Signature.TensorDescription;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.image.ResizeBilinear;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.types.TFloat32;

/**
 * A SavedModel's signature run on batches of samples. The samples first pass through a small graph
 * of their own that resizes them, repeats their channel and maps [-1, 1] onto the model's range,
 * when the options ask for any of that; then the model's session runs the signature's input to the
 * outputs that were asked for, and no others.
 */
final class SavedModelExtraction implements Extraction {
  private static final String SAVED_MODEL = "saved_model.pb";
  /** A batch holds at most this many floats at the model's input (32 MiB). */
  private static final long BATCH_FLOATS = 8L << 20;
  private static final int MAX_BATCH = 500;
  /** How far a probability vector's sum may be from 1. */
  private static final double SUM_TOLERANCE = 1e-3;

  private final String owner;
  private final String signatureKey;
  private final SavedModelBundle bundle;
  private final Preprocessing preprocessing;
  private final DataSpec data;
  private final int[] modelShape;
  private final int batch;
  private final String input;
  private final Output features;
  private final Output probabilities;

  /** An output of the signature: its key, its tensor's name, and its width once known. */
  private record Output(String key, String tensor, int width) {}

  private SavedModelExtraction(String owner, String signatureKey, SavedModelBundle bundle, Preprocessing preprocessing,
      DataSpec data, int[] modelShape, String input, Output features, Output probabilities) {
    this.owner = owner;
    this.signatureKey = signatureKey;
    this.bundle = bundle;
    this.preprocessing = preprocessing;
    this.data = data;
    this.modelShape = modelShape;
    this.input = input;
    this.features = features;
    this.probabilities = probabilities;
    long sample = 1;
    for (int d : modelShape) {
      sample *= d;
    }
    this.batch = (int) Math.max(1, Math.min(MAX_BATCH, BATCH_FLOATS / sample));
  }

  /**
   * Loads the model and checks that the signature and keys exist, that the input takes the
   * samples' shape, and that the outputs give one vector a sample.
   *
   * @param owner what the parameters belong to, for messages
   */
  static SavedModelExtraction open(String owner, DataSpec data, SavedModelOptions options) throws IOException {
    Path folder = options.path();
    if (!Files.isDirectory(folder)) {
      throw new IllegalArgumentException(owner + ": 'path' is " + folder + ", which is not a folder; it must name a"
          + " SavedModel folder (one that holds " + SAVED_MODEL + ")");
    }
    Path file = folder.resolve(SAVED_MODEL);
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(owner + ": " + folder + " is not a SavedModel: it holds no " + SAVED_MODEL);
    }
    requireTags(owner, file, options.tags());

    SavedModelBundle bundle;
    try {
      bundle = SavedModelBundle.loader(folder.toString()).withTags(options.tags().toArray(String[]::new)).load();
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(owner + ": TensorFlow cannot load the SavedModel in " + folder + ": "
          + e.getMessage(), e);
    }
    Preprocessing preprocessing = null;
    try {
      Signature signature = signature(owner, bundle, options.signature());
      String inputKey = inputKey(owner, signature, options.input());
      int[] modelShape = options.modelShape(data);
      TensorDescription in = signature.getInputs().get(inputKey);
      requireInput(owner, bundle.metaGraphDef(), signature, inputKey, in, modelShape);
      Output features = output(owner, signature, "features", outputKey(owner, signature, options.features()));
      Output probabilities = options.probabilities() == null
          ? null
          : output(owner, signature, "probabilities", options.probabilities());
      if (!options.passesThrough(data)) {
        preprocessing = new Preprocessing(data, options);
      }
      SavedModelExtraction probe = new SavedModelExtraction(
          owner, signature.key(), bundle, preprocessing, data, modelShape, in.name, features, probabilities);
      return probe.withWidths(signature);
    } catch (RuntimeException e) {
      if (preprocessing != null) {
        preprocessing.close();
      }
      bundle.close();
      throw e;
    }
  }

  @Override
  public int featureSize() {
    return features.width();
  }

  @Override
  public int classes() {
    return probabilities == null ? 0 : probabilities.width();
  }

  @Override
  public Features extract(float[][] samples) {
    int n = samples.length;
    float[][] f = new float[n][];
    float[][] p = probabilities == null ? null : new float[n][];
    int sampleSize = data.sampleSize();
    float[] buffer = new float[Math.min(n, batch) * sampleSize];
    for (int start = 0; start < n; start += batch) {
      int count = Math.min(batch, n - start);
      for (int i = 0; i < count; i++) {
        float[] sample = samples[start + i];
        if (sample.length != sampleSize) {
          throw new IllegalArgumentException("sample " + (start + i) + " has " + sample.length
              + " values; samples of this extraction have " + sampleSize + " (" + data + ")");
        }
        System.arraycopy(sample, 0, buffer, i * sampleSize, sampleSize);
      }
      run(buffer, count, f, p, start);
    }
    return new Features(f, p);
  }

  /** Runs one batch and copies its outputs to rows {@code start...} of {@code f} and {@code p}. */
  private void run(float[] buffer, int count, float[][] f, float[][] p, int start) {
    long[] shape = data.batchShape(count);
    try (TFloat32 samples = TFloat32.tensorOf(Shape.of(shape),
            DataBuffers.of(buffer, true, false).narrow((long) count * data.sampleSize()));
        Result prepared = preprocessing == null ? null : run(preprocessing.runner(samples), count)) {
      Session.Runner runner = bundle.session().runner()
          .feed(input, prepared == null ? samples : prepared.get(0))
          .fetch(features.tensor());
      if (probabilities != null) {
        runner.fetch(probabilities.tensor());
      }
      try (Result r = run(runner, count)) {
        copyRows(r.get(0), features, count, f, start);
        if (probabilities != null) {
          copyRows(r.get(1), probabilities, count, p, start);
          requireProbabilities(p, start, count);
        }
      }
    }
  }

  /** TensorFlow's own message says what failed, not where: a model that needs another input, say. */
  private Result run(Session.Runner runner, int count) {
    try {
      return runner.run();
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(owner + ": signature '" + signatureKey + "' fails on a batch of " + count
          + " samples: " + e.getMessage(), e);
    }
  }

  private void copyRows(Tensor tensor, Output output, int count, float[][] rows, int start) {
    if (!(tensor instanceof TFloat32 values)) {
      throw new IllegalArgumentException(owner + ": output '" + output.key() + "' gives " + tensor.dataType()
          + " values; it must give float32");
    }
    Shape shape = values.shape();
    int width = width(shape);
    if (shape.numDimensions() == 0 || shape.get(0) != count || (output.width() >= 0 && width != output.width())) {
      throw new IllegalArgumentException(owner + ": output width mismatch: '" + output.key() + "' gives " + shape
          + " for a batch of " + count + " samples; it must give one vector"
          + (output.width() >= 0 ? " of " + output.width() + " values" : "") + " a sample, shaped [" + count + ", ...]");
    }
    float[] flat = new float[count * width];
    values.copyTo(DataBuffers.of(flat, false, false));
    for (int i = 0; i < count; i++) {
      rows[start + i] = Arrays.copyOfRange(flat, i * width, (i + 1) * width);
    }
  }

  private void requireProbabilities(float[][] p, int start, int count) {
    for (int i = start; i < start + count; i++) {
      double sum = 0;
      for (float v : p[i]) {
        if (!(v >= 0) || v > 1 + SUM_TOLERANCE) {
          throw notProbabilities("sample " + i + " has the value " + v);
        }
        sum += v;
      }
      if (Math.abs(sum - 1) > SUM_TOLERANCE) {
        throw notProbabilities("sample " + i + "'s values sum to " + sum);
      }
    }
  }

  private IllegalArgumentException notProbabilities(String why) {
    return new IllegalArgumentException(owner + ": output '" + probabilities.key() + "' is no probability vector ("
        + why + "); 'probabilities' must name an output of values from 0 to 1 that sum to 1, such as a softmax");
  }

  /** Runs two samples of the background value through the model to learn the outputs' widths. */
  private SavedModelExtraction withWidths(Signature signature) {
    float[][] probe = new float[2][data.sampleSize()];
    for (float[] row : probe) {
      Arrays.fill(row, -1f);
    }
    Features out = extract(probe);
    Output f = measured(signature, features, out.features()[0].length);
    Output p = probabilities == null ? null : measured(signature, probabilities, out.classProbabilities()[0].length);
    return new SavedModelExtraction(owner, signatureKey, bundle, preprocessing, data, modelShape, input, f, p);
  }

  /** The output with its measured width, which must be the one its signature declares, if it declares one. */
  private Output measured(Signature signature, Output output, int width) {
    Shape declared = signature.getOutputs().get(output.key()).shape;
    boolean known = declared.numDimensions() >= 2;
    for (int i = 1; known && i < declared.numDimensions(); i++) {
      known = declared.get(i) >= 0;
    }
    if (known && width(declared) != width) {
      throw new IllegalArgumentException(owner + ": output width mismatch: signature '" + signature.key()
          + "' declares " + declared + " for '" + output.key() + "', but it gives " + width + " values a sample");
    }
    return new Output(output.key(), output.tensor(), width);
  }

  /** Values a sample of a batch of this shape: the product of all but the first dimension. */
  private static int width(Shape shape) {
    long w = 1;
    for (int i = 1; i < shape.numDimensions(); i++) {
      w *= shape.get(i);
    }
    return (int) w;
  }

  /** TensorFlow picks the graph whose tag set equals the one asked for; its error lists none. */
  private static void requireTags(String owner, Path file, List<String> tags) throws IOException {
    SavedModel model;
    try (InputStream in = Files.newInputStream(file)) {
      model = SavedModel.parseFrom(in);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new IllegalArgumentException(owner + ": " + file + " is not a SavedModel: " + e.getMessage(), e);
    }
    Set<String> wanted = new TreeSet<>(tags);
    List<String> available = new ArrayList<>();
    for (MetaGraphDef graph : model.getMetaGraphsList()) {
      Set<String> graphTags = new TreeSet<>(graph.getMetaInfoDef().getTagsList());
      if (graphTags.equals(wanted)) {
        return;
      }
      available.add(graphTags.toString());
    }
    throw new IllegalArgumentException(owner + ": 'tags' is " + wanted + ", but no graph in " + file.getParent()
        + " has those tags; the tag sets there: " + (available.isEmpty() ? "none" : String.join(", ", available)));
  }

  private static Signature signature(String owner, SavedModelBundle bundle, String key) {
    Set<String> keys = new TreeSet<>();
    for (Signature s : bundle.signatures()) {
      if (s.key().equals(key)) {
        return bundle.function(key).signature();
      }
      keys.add(s.key());
    }
    throw new IllegalArgumentException(owner + ": 'signature' is '" + key + "', which the SavedModel lacks; its"
        + " signatures: " + (keys.isEmpty() ? "none" : String.join(", ", keys)));
  }

  private static String inputKey(String owner, Signature signature, String key) {
    Set<String> keys = new TreeSet<>(signature.inputNames());
    if (key != null) {
      if (!keys.contains(key)) {
        throw new IllegalArgumentException(owner + ": 'input' is '" + key + "', which signature '" + signature.key()
            + "' lacks; its inputs: " + String.join(", ", keys));
      }
      return key;
    }
    if (keys.size() != 1) {
      throw new IllegalArgumentException(owner + ": signature '" + signature.key() + "' has " + keys.size()
          + " inputs; 'input' must name the one the images go to: " + String.join(", ", keys));
    }
    return keys.iterator().next();
  }

  private static String outputKey(String owner, Signature signature, String key) {
    Set<String> keys = new TreeSet<>(signature.outputNames());
    if (key != null) {
      return key;
    }
    if (keys.size() != 1) {
      throw new IllegalArgumentException(owner + ": signature '" + signature.key() + "' has " + keys.size()
          + " outputs; 'features' must name the one that gives the features: " + String.join(", ", keys));
    }
    return keys.iterator().next();
  }

  private static Output output(String owner, Signature signature, String parameter, String key) {
    Map<String, TensorDescription> outputs = signature.getOutputs();
    TensorDescription description = outputs.get(key);
    if (description == null) {
      throw new IllegalArgumentException(owner + ": '" + parameter + "' is '" + key + "', which signature '"
          + signature.key() + "' lacks; its outputs: " + String.join(", ", new TreeSet<>(outputs.keySet())));
    }
    if (description.dataType != DataType.DT_FLOAT) {
      throw new IllegalArgumentException(owner + ": output '" + key + "' of signature '" + signature.key()
          + "' gives " + description.dataType + "; '" + parameter + "' must name a float32 (DT_FLOAT) output");
    }
    return new Output(key, description.name, -1);
  }

  /** The input must take float32 batches of the samples' shape as they reach it. */
  private static void requireInput(String owner, MetaGraphDef graph, Signature signature, String key,
      TensorDescription in, int[] modelShape) {
    if (in.dataType != DataType.DT_FLOAT) {
      throw new IllegalArgumentException(owner + ": input '" + key + "' of signature '" + signature.key() + "' takes "
          + in.dataType + "; saved-model feeds float32 (DT_FLOAT) samples");
    }
    boolean unknownRank = graph.getSignatureDefOrThrow(signature.key()).getInputsOrThrow(key).getTensorShape()
        .getUnknownRank();
    if (unknownRank) {
      return;
    }
    Shape takes = in.shape;
    boolean fits = takes.numDimensions() == modelShape.length + 1;
    for (int i = 0; fits && i < modelShape.length; i++) {
      long d = takes.get(i + 1);
      fits = d < 0 || d == modelShape[i];
    }
    if (!fits) {
      Set<String> hints = new LinkedHashSet<>();
      if (takes.numDimensions() == 4 && modelShape.length == 3) {
        if (takes.get(1) != modelShape[0] || takes.get(2) != modelShape[1]) {
          hints.add("'size' resizes images");
        }
        if (takes.get(3) != modelShape[2]) {
          hints.add("'channels: 3' repeats a grayscale channel");
        }
      }
      throw new IllegalArgumentException(owner + ": input '" + key + "' of signature '" + signature.key() + "' takes "
          + takes + ", but the samples reach it as " + Arrays.stream(modelShape).mapToObj(String::valueOf)
              .collect(Collectors.joining(", ", "[n, ", "]"))
          + (hints.isEmpty() ? "" : " (" + String.join("; ", hints) + ")"));
    }
  }

  @Override
  public void close() {
    if (preprocessing != null) {
      preprocessing.close();
    }
    bundle.close();
  }

  /** Resizing, channel repetition and range mapping, in a graph and session of their own. */
  private static final class Preprocessing implements AutoCloseable {
    private final Graph graph = new Graph();
    private final Session session;
    private final Placeholder<TFloat32> samples;
    private final Operand<TFloat32> result;

    Preprocessing(DataSpec data, SavedModelOptions options) {
      try {
        Ops tf = Ops.create(graph);
        long[] shape = data.batchShape(-1);
        samples = tf.withName("samples").placeholder(TFloat32.class, Placeholder.shape(Shape.of(shape)));
        Operand<TFloat32> x = samples;
        if (options.size() > 0) {
          // Half-pixel centres: what tf.image.resize does in TensorFlow 2.
          x = tf.image.resizeBilinear(x, tf.constant(new int[] {options.size(), options.size()}),
              ResizeBilinear.halfPixelCenters(true));
        }
        if (options.channels() > 0 && options.channels() != data.channels()) {
          x = tf.tile(x, tf.constant(new int[] {1, 1, 1, options.channels()}));
        }
        SavedModelOptions.Range range = options.range();
        if (range != SavedModelOptions.Range.MINUS_ONE_TO_ONE) {
          x = tf.math.add(tf.math.mul(x, tf.constant(range.scale())), tf.constant(range.shift()));
        }
        result = x;
        session = new Session(graph);
      } catch (RuntimeException e) {
        graph.close();
        throw e;
      }
    }

    /** Gives the prepared batch as its result's only tensor; closing the result frees it. */
    Session.Runner runner(TFloat32 batch) {
      return session.runner().feed(samples, batch).fetch(result);
    }

    @Override
    public void close() {
      session.close();
      graph.close();
    }
  }
}
