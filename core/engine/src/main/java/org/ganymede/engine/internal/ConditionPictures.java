package org.ganymede.engine.internal;

import java.awt.image.BufferedImage;
import java.util.List;
import org.ganymede.api.Condition;
import org.ganymede.api.DataSpec;
import org.ganymede.api.Dataset;

/**
 * What an image-conditioned model does at a step, as one picture: three columns, the condition
 * images, the model's outputs for them and the targets. The pairs are the same at every step
 * (evenly spaced through the data), and so is the noise the outputs draw.
 */
final class ConditionPictures {
  private ConditionPictures() {}

  static BufferedImage of(TrainingGraph graph, Dataset dataset, int rows, long seed) {
    Pairs pairs = Pairs.evenlySpaced(dataset, rows);
    float[][] outputs = pairs.outputs(graph, seed, graph.batch);
    return SampleImages.table(List.of(shown(graph.pairing, pairs.conditions(), dataset.spec()), outputs, pairs.targets()),
        List.of(shownSpec(graph.pairing, dataset.spec()), dataset.spec(), dataset.spec()));
  }

  /**
   * Condition images as a person looks at them beside the targets: a low-resolution image
   * enlarged by repeating its pixels, a masked image without its mask channel (the missing pixels
   * mid-grey); others as they are.
   */
  static float[][] shown(TrainingGraph.Pairing pairing, float[][] conditions, DataSpec target) {
    float[][] shown = new float[conditions.length][];
    for (int i = 0; i < conditions.length; i++) {
      shown[i] = switch (pairing.kind()) {
        case Condition.Images.LOW_RESOLUTION -> ConditionBaseline.enlarge(conditions[i], pairing.spec(), target);
        case Condition.Images.MASKED -> ConditionBaseline.unmasked(conditions[i], target.channels());
        default -> conditions[i];
      };
    }
    return shown;
  }

  /** The shape of {@link #shown} condition images. */
  static DataSpec shownSpec(TrainingGraph.Pairing pairing, DataSpec target) {
    return pairing.kind().equals(Condition.Images.PAIRED) ? pairing.spec() : target;
  }
}
