package org.ganymede.metrics.internal.features;

import org.ganymede.api.DataSpec;
import org.ganymede.api.FeatureExtractor;
import org.ganymede.api.Parameters;
import org.ganymede.api.Plugins;
import org.osgi.service.component.annotations.Component;

/**
 * Features (and, optionally, class probabilities) from any TensorFlow SavedModel, such as an
 * Inception-v3 for FID on natural images. Parameters:
 *
 * <ul>
 *   <li>{@code path}: the SavedModel folder, the one that holds {@code saved_model.pb} (required)
 *   <li>{@code tags}: the tag set of the graph to load, a list or comma-separated (default {@code serve})
 *   <li>{@code signature}: the signature to run (default {@code serving_default})
 *   <li>{@code input}: the signature's input the samples go to (default: its only input)
 *   <li>{@code features}: the output that gives the features (default: the signature's only output)
 *   <li>{@code probabilities}: the output that gives class probabilities (default: none)
 *   <li>{@code size}: resize images to size x size with bilinear interpolation (default: keep)
 *   <li>{@code channels}: 3 repeats a grayscale channel (default: keep)
 *   <li>{@code range}: the values the model expects, {@code [-1, 1]} (default), {@code [0, 1]} or
 *       {@code [0, 255]}; the data's [-1, 1] is mapped onto it linearly
 * </ul>
 */
@Component(
    service = FeatureExtractor.class,
    property = {
      Plugins.NAME + "=saved-model",
      Plugins.DESCRIPTION + "=Features and class probabilities from a TensorFlow SavedModel's signature"
          + " (path, tags, signature, input, features, probabilities, size, channels, range)"
    })
public final class SavedModelExtractor implements FeatureExtractor {
  @Override
  public Extraction open(DataSpec spec, Parameters parameters) throws Exception {
    SavedModelOptions options = SavedModelOptions.read(spec, parameters);
    return SavedModelExtraction.open(parameters.owner(), spec, options);
  }
}
