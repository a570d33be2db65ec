package org.ganymede.engine.internal;

import org.ganymede.api.Condition;
import org.ganymede.api.DataSpec;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.image.ResizeBicubic;
import org.tensorflow.types.TFloat32;

/**
 * What a model of paired data is measured against, so that a user sees what it adds: bicubic
 * upsampling of a low-resolution condition, the input itself for a masked image (its missing
 * pixels mid-grey) or for a paired image of the target's shape (copying the input).
 */
final class ConditionBaseline {
  private ConditionBaseline() {}

  /**
   * The name under which the baseline's metrics are reported ({@code metric/NAME/BASELINE/VALUE}),
   * or null when there is none (a paired image of another shape than the target).
   */
  static String name(TrainingGraph.Pairing pairing, DataSpec target) {
    return switch (pairing.kind()) {
      case Condition.Images.LOW_RESOLUTION -> "bicubic";
      case Condition.Images.MASKED -> "input";
      default -> pairing.spec().equals(target) ? "input" : null;
    };
  }

  /** The baseline's outputs for the conditions, one flattened target-shaped row each. */
  static float[][] outputs(TrainingGraph.Pairing pairing, float[][] conditions, DataSpec target) {
    return switch (pairing.kind()) {
      case Condition.Images.LOW_RESOLUTION -> bicubic(conditions, pairing.spec(), target);
      case Condition.Images.MASKED -> ConditionPictures.shown(pairing, conditions, target);
      default -> conditions;
    };
  }

  /** A low-resolution image enlarged to the target's size by repeating each pixel. */
  static float[] enlarge(float[] image, DataSpec low, DataSpec target) {
    int factor = target.height() / low.height();
    int c = low.channels();
    float[] large = new float[target.sampleSize()];
    for (int y = 0; y < target.height(); y++) {
      for (int x = 0; x < target.width(); x++) {
        System.arraycopy(image, ((y / factor) * low.width() + x / factor) * c, large, (y * target.width() + x) * c, c);
      }
    }
    return large;
  }

  /** A masked condition without its last channel, the mask. */
  static float[] unmasked(float[] condition, int channels) {
    int pixels = condition.length / (channels + 1);
    float[] image = new float[pixels * channels];
    for (int p = 0; p < pixels; p++) {
      System.arraycopy(condition, p * (channels + 1), image, p * channels, channels);
    }
    return image;
  }

  /** Bicubic upsampling (half-pixel centres, as image libraries resize), clipped to [-1, 1]. */
  private static float[][] bicubic(float[][] conditions, DataSpec low, DataSpec target) {
    if (conditions.length == 0) {
      return conditions;
    }
    try (Graph graph = new Graph(); Session session = new Session(graph)) {
      Ops tf = Ops.create(graph);
      Placeholder<TFloat32> input = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(low.batchShape(-1))));
      Operand<TFloat32> resized = tf.clipByValue(tf.image.resizeBicubic(input,
          tf.constant(new int[] {target.height(), target.width()}), ResizeBicubic.halfPixelCenters(true)),
          tf.constant(-1f), tf.constant(1f));
      float[] flat = new float[conditions.length * low.sampleSize()];
      for (int i = 0; i < conditions.length; i++) {
        System.arraycopy(conditions[i], 0, flat, i * low.sampleSize(), low.sampleSize());
      }
      try (TFloat32 x = TFloat32.tensorOf(Shape.of(low.batchShape(conditions.length)), DataBuffers.of(flat, true, false));
          Result r = session.runner().feed(input, x).fetch(resized).run()) {
        float[] out = new float[conditions.length * target.sampleSize()];
        ((TFloat32) r.get(0)).copyTo(DataBuffers.of(out, false, false));
        float[][] rows = new float[conditions.length][];
        for (int i = 0; i < rows.length; i++) {
          rows[i] = java.util.Arrays.copyOfRange(out, i * target.sampleSize(), (i + 1) * target.sampleSize());
        }
        return rows;
      }
    }
  }
}
