package org.ganymede.losses.internal;

import java.util.Arrays;
import java.util.List;
import org.ganymede.api.Augmentation;
import org.ganymede.api.AugmentationContext;
import org.ganymede.api.DataSpec;
import org.ganymede.api.ParameterException;
import org.ganymede.api.Parameters;
import org.ganymede.api.Plugins;
import org.ganymede.api.RandomSource;
import org.osgi.service.component.annotations.Component;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * DiffAugment (Zhao et al. 2020): the same random, differentiable transforms on real and generated
 * images alike, every time the discriminator sees them, as the reference code draws them: colour
 * (brightness in [-0.5, 0.5), saturation and contrast factors in [0, 2) and [0.5, 1.5)), translation
 * by up to 1/8 of the size with zero fill, and cutout of a square half the size. {@code strength}
 * scales every range towards the identity, which it is at 0.
 */
@Component(
    service = Augmentation.class,
    property = {
      Plugins.NAME + "=diffaugment",
      Plugins.DESCRIPTION + "=DiffAugment: random colour, translation and cutout of every image the discriminator judges"
          + " (policy color,translation,cutout)"
    })
public final class DiffAugment implements Augmentation {
  static final List<String> POLICIES = List.of("color", "translation", "cutout");

  @Override
  public Stage build(AugmentationContext context) {
    Parameters p = context.parameters();
    List<String> policy = policy(p.stringValue("policy", String.join(",", POLICIES)));
    double strength = p.nonNegative("strength", 1);
    if (strength > 1) {
      throw new ParameterException(p.owner() + ": strength must lie in [0, 1], got " + strength);
    }
    double translationRatio = p.nonNegative("translation_ratio", 0.125);
    double cutoutRatio = p.nonNegative("cutout_ratio", 0.5);
    if (translationRatio > 1 || cutoutRatio > 1) {
      throw new ParameterException(p.owner() + ": translation_ratio and cutout_ratio are fractions of the image size,"
          + " in [0, 1]; got " + translationRatio + " and " + cutoutRatio);
    }
    DataSpec data = requireImages(context, "diffaugment");
    Ops tf = context.tf();
    RandomSource random = context.random();
    int h = data.height();
    int w = data.width();
    int shiftY = (int) (h * translationRatio * strength + 0.5);
    int shiftX = (int) (w * translationRatio * strength + 0.5);
    int cutY = (int) (h * cutoutRatio * strength + 0.5);
    int cutX = (int) (w * cutoutRatio * strength + 0.5);
    float s = (float) strength;
    return batch -> {
      Operand<TFloat32> x = batch;
      for (String step : policy) {
        switch (step) {
          case "color" -> {
            x = ImageAugments.brightness(tf, x, scaled(tf, ImageAugments.uniform(tf, random, x), -0.5f, s, 0f));
            x = ImageAugments.saturation(tf, x, scaled(tf, ImageAugments.uniform(tf, random, x), -0.5f, 2 * s, 1f));
            x = ImageAugments.contrast(tf, x, scaled(tf, ImageAugments.uniform(tf, random, x), -0.5f, s, 1f));
          }
          case "translation" -> x = ImageAugments.translate(tf, x, h, w, data.channels(),
              ImageAugments.integers(tf, random, x, -shiftY, shiftY), ImageAugments.integers(tf, random, x, -shiftX, shiftX));
          case "cutout" -> {
            // The reference draws the square's centre from [0, size + (1 - cut % 2)) and clips it to the image.
            Operand<TInt32> top = tf.math.sub(ImageAugments.integers(tf, random, x, 0, h - cutY % 2), tf.constant(cutY / 2));
            Operand<TInt32> left = tf.math.sub(ImageAugments.integers(tf, random, x, 0, w - cutX % 2), tf.constant(cutX / 2));
            x = ImageAugments.cutout(tf, x, h, w, top, left, constantPerSample(tf, top, cutY),
                constantPerSample(tf, left, cutX));
          }
          default -> throw new IllegalStateException(step);
        }
      }
      return x;
    };
  }

  /** {@code (u + shift) * scale + centre}: a uniform draw mapped onto a range around the neutral value. */
  private static Operand<TFloat32> scaled(Ops tf, Operand<TFloat32> u, float shift, float scale, float centre) {
    return tf.math.add(tf.math.mul(tf.math.add(u, tf.constant(shift)), tf.constant(scale)), tf.constant(centre));
  }

  private static Operand<TInt32> constantPerSample(Ops tf, Operand<TInt32> like, int value) {
    return tf.fill(tf.shape(like), tf.constant(value));
  }

  /** The policy's steps, in the order given. */
  static List<String> policy(String text) {
    return ImageAugments.names(text, POLICIES, "augmentation 'diffaugment': unknown policy");
  }

  /** The data's image shape, or an error for data that are not images. */
  static DataSpec requireImages(AugmentationContext context, String name) {
    if (!context.data().isImage()) {
      throw new ParameterException("augmentation '" + name + "' transforms images [height, width, channels] and the"
          + " data's samples have shape " + Arrays.toString(context.data().shape())
          + "; on other data use instance-noise");
    }
    return context.data();
  }
}
