package org.ganymede.metrics.internal.features;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.ganymede.api.DataSpec;
import org.ganymede.api.ParameterException;
import org.ganymede.api.Parameters;

/**
 * The parameters of {@code saved-model}, read and checked before TensorFlow sees the model.
 *
 * @param path the SavedModel folder
 * @param tags the tag set of the graph to load
 * @param signature the signature's key
 * @param input the signature's input key, or null for its only input
 * @param features the output key of the features, or null for the signature's only output
 * @param probabilities the output key of the class probabilities, or null for none
 * @param size the height and width images are resized to, or 0 to keep theirs
 * @param channels the channels the model takes, or 0 to keep the data's
 * @param range the values the model expects
 */
record SavedModelOptions(
    Path path,
    List<String> tags,
    String signature,
    String input,
    String features,
    String probabilities,
    int size,
    int channels,
    Range range) {

  static final String DEFAULT_TAG = "serve";
  static final String DEFAULT_SIGNATURE = "serving_default";
  private static final int MAX_SIZE = 4096;

  /** The value ranges a model may expect; the data's [-1, 1] is mapped onto them linearly. */
  enum Range {
    MINUS_ONE_TO_ONE(-1, 1),
    ZERO_TO_ONE(0, 1),
    ZERO_TO_255(0, 255);

    final float low;
    final float high;

    Range(float low, float high) {
      this.low = low;
      this.high = high;
    }

    /** x in [-1, 1] maps to x * scale + shift. */
    float scale() {
      return (high - low) / 2;
    }

    float shift() {
      return low + scale();
    }

    @Override
    public String toString() {
      return "[" + format(low) + ", " + format(high) + "]";
    }

    private static String format(float v) {
      return v == Math.rint(v) ? String.valueOf((int) v) : String.valueOf(v);
    }
  }

  static SavedModelOptions read(DataSpec spec, Parameters parameters) {
    // Every key is read before any is checked, so that the known keys are complete even on failure.
    String path = parameters.stringValue("path", null);
    List<String> tags = tags(parameters);
    String signature = parameters.stringValue("signature", DEFAULT_SIGNATURE);
    String input = parameters.stringValue("input", null);
    String features = parameters.stringValue("features", null);
    String probabilities = parameters.stringValue("probabilities", null);
    boolean resize = parameters.has("size");
    int size = resize ? parameters.intInRange("size", 0, 1, MAX_SIZE) : 0;
    boolean rechannel = parameters.has("channels");
    int channels = rechannel ? parameters.intInRange("channels", 0, 1, MAX_SIZE) : 0;
    Range range = range(parameters);

    String owner = parameters.owner();
    if (path == null || path.isBlank()) {
      throw new ParameterException(owner + ": 'path' is missing; it must name a SavedModel folder (one that holds saved_model.pb)");
    }
    if ((resize || rechannel) && !spec.isImage()) {
      throw new ParameterException(owner + ": '" + (resize ? "size" : "channels") + "' applies to images [height, width,"
          + " channels]; the samples have shape " + Arrays.toString(spec.shape()));
    }
    if (rechannel && channels != spec.channels() && !(spec.channels() == 1 && channels == 3)) {
      throw new ParameterException(owner + ": 'channels' is " + channels + "; allowed: " + spec.channels()
          + " (the data's)" + (spec.channels() == 1 ? ", 3 (the grayscale channel repeated)" : ""));
    }
    return new SavedModelOptions(Path.of(path), tags, signature, input, features, probabilities, size,
        rechannel ? channels : 0, range);
  }

  /** The shape of a sample as the model receives it, after resizing and repeating channels. */
  int[] modelShape(DataSpec spec) {
    int[] shape = spec.shape();
    if (size > 0) {
      shape[0] = size;
      shape[1] = size;
    }
    if (channels > 0) {
      shape[2] = channels;
    }
    return shape;
  }

  /** Whether the samples reach the model as they are. */
  boolean passesThrough(DataSpec spec) {
    return Arrays.equals(modelShape(spec), spec.shape()) && range == Range.MINUS_ONE_TO_ONE;
  }

  /** A comma-separated string or a list; Parameters has no list getter, so has() marks the key as known. */
  private static List<String> tags(Parameters parameters) {
    if (!parameters.has("tags")) {
      return List.of(DEFAULT_TAG);
    }
    Object value = parameters.asMap().get("tags");
    List<String> tags = new ArrayList<>();
    if (value instanceof List<?> list) {
      list.forEach(item -> tags.add(String.valueOf(item).trim()));
    } else if (value instanceof String s) {
      for (String tag : s.split(",")) {
        tags.add(tag.trim());
      }
    } else {
      tags.add(String.valueOf(value));
    }
    if (tags.isEmpty() || tags.stream().anyMatch(String::isEmpty)) {
      throw new ParameterException(parameters.owner() + ": 'tags' is '" + value + "'; it must be one or more tags,"
          + " as a list or separated by commas (e.g. serve)");
    }
    return List.copyOf(tags);
  }

  /** {@code [0, 1]} as a list (as YAML reads it) or as a string. */
  private static Range range(Parameters parameters) {
    if (!parameters.has("range")) {
      return Range.MINUS_ONE_TO_ONE;
    }
    Object value = parameters.asMap().get("range");
    List<?> bounds = value instanceof List<?> list
        ? list
        : Arrays.asList(String.valueOf(value).replace("[", "").replace("]", "").split(","));
    if (bounds.size() == 2) {
      try {
        double low = Double.parseDouble(String.valueOf(bounds.get(0)).trim());
        double high = Double.parseDouble(String.valueOf(bounds.get(1)).trim());
        for (Range r : Range.values()) {
          if (r.low == low && r.high == high) {
            return r;
          }
        }
      } catch (NumberFormatException e) {
        // Falls through to the message below.
      }
    }
    throw new ParameterException(parameters.owner() + ": 'range' is '" + value + "'; allowed: "
        + Arrays.stream(Range.values()).map(Range::toString).collect(Collectors.joining(", ")));
  }
}
