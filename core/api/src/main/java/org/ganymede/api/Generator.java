package org.ganymede.api;

import java.util.List;
import java.util.SplittableRandom;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A trained generator as a service, for any bundle of a host to call without Ganymede's trainer
 * (data augmentation inside an application, a demo page). The generator bundle registers one for
 * each configured model, with the service properties {@value #NAME}, {@value #ARCHITECTURE},
 * {@value #STEP}, {@value #SAMPLE_SHAPE} and, for a conditional model, {@value #CLASSES}. Calls
 * are thread-safe. Samples are flattened rows, images in [-1, 1] row by row (height, width,
 * channels).
 *
 * @since 2.4
 */
@ProviderType
public interface Generator {
  String NAME = "name";
  String ARCHITECTURE = "architecture";
  String STEP = "step";
  String SAMPLE_SHAPE = "sample_shape";
  String CLASSES = "classes";

  /**
   * What a generator is.
   *
   * @param name the configured name
   * @param architecture the architecture it was trained with
   * @param step the training step of its weights
   * @param sampleShape one sample's shape (height, width, channels for images)
   * @param latentSize the latent's length; 0 for a model that only translates
   * @param classes the class names of a conditional model, else empty
   * @param translations the directions a translation model takes ({@code a2b}, {@code b2a}), else empty
   */
  record Model(String name, String architecture, long step, List<Long> sampleShape, int latentSize, List<String> classes,
      List<String> translations) {
    public Model {
      sampleShape = List.copyOf(sampleShape);
      classes = List.copyOf(classes);
      translations = List.copyOf(translations);
    }
  }

  Model model();

  /**
   * Samples for these latents.
   *
   * @param latents one row of {@link Model#latentSize()} a sample
   * @param classes for a conditional model a class a sample, by name or id; null or empty otherwise
   * @throws ParameterException for a class the model lacks (the message lists its classes), or
   *     classes for a model that has none
   */
  float[][] generate(float[][] latents, List<String> classes);

  /** {@code count} samples from standard normal latents drawn from {@code seed}: the same for the same seed. */
  default float[][] generate(int count, long seed, List<String> classes) {
    SplittableRandom random = new SplittableRandom(seed);
    float[][] latents = new float[count][model().latentSize()];
    for (float[] row : latents) {
      for (int i = 0; i < row.length; i++) {
        row[i] = (float) random.nextGaussian();
      }
    }
    return generate(latents, classes);
  }

  /**
   * A translation model's outputs for these inputs, flattened rows of the input domain's shape.
   *
   * @param direction one of {@link Model#translations()}
   * @throws ParameterException for a direction the model lacks, or a model that does not translate
   */
  float[][] translate(String direction, float[][] images);
}
