package org.ganymede.api;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * What the samples of a run are conditioned on, as its dataset declares it, and where an
 * architecture reads it: a class label ({@link #labels}), a condition image of paired data (the
 * low-resolution input, the sketch, the masked image: {@link #images}), or both. An
 * unconditional architecture never asks and the run trains as it would on data without them.
 *
 * <p>The engine feeds every input: the labels of each real batch, row by row with it; the classes
 * the generator is asked for during training, drawn from the run's stateless random numbers (so a
 * resumed run draws what an uninterrupted one would); and the classes sampling asks for. Asking
 * for the labels is what makes a run conditional: sample grids then show one row per class. For
 * paired data it feeds the condition images of each real batch, row by row with their targets,
 * and the conditions sampling, translating and evaluating ask for.
 */
public final class Condition {
  private final Labels labels;
  private final Images images;
  private final String noLabels;
  private final String noImages;
  private final AtomicBoolean labelsAsked = new AtomicBoolean();
  private final AtomicBoolean imagesAsked = new AtomicBoolean();

  private Condition(Labels labels, String noLabels, Images images, String noImages) {
    this.labels = labels;
    this.noLabels = noLabels;
    this.images = images;
    this.noImages = noImages;
  }

  /**
   * Data without a condition.
   *
   * @param why what to tell an architecture that needs one: the dataset and the datasets that
   *     carry labels
   */
  public static Condition none(String why) {
    return new Condition(null, why, null, why);
  }

  /** Data labelled with classes. */
  public static Condition of(Labels labels) {
    return new Condition(labels, null, null, "the data are not pairs of a condition image and a target");
  }

  /**
   * Data with the conditions they carry: class labels, condition images, both or neither.
   *
   * @param labels the class labels, or null when the data carry none
   * @param noLabels without labels, what to tell an architecture that needs them: the dataset and
   *     the datasets that carry labels
   * @param images the condition images of paired data, or null when the data are not pairs
   * @param noImages without condition images, what to tell an architecture that needs them: the
   *     dataset and the datasets of pairs
   */
  public static Condition of(Labels labels, String noLabels, Images images, String noImages) {
    return new Condition(labels, noLabels, images, noImages);
  }

  /** Whether the data carry class labels. */
  public boolean hasLabels() {
    return labels != null;
  }

  /** Whether the data are pairs of a condition image and a target. */
  public boolean hasImages() {
    return images != null;
  }

  /**
   * The class labels, for an architecture that is conditioned on them. Calling this makes the run
   * conditional.
   *
   * @param owner the architecture, for the message (e.g. {@code architecture 'cgan'})
   * @throws ParameterException when the data carry no labels; the message names the dataset and
   *     the datasets that do
   */
  public Labels labels(String owner) {
    if (labels == null) {
      throw new ParameterException(owner + " is conditioned on class labels, and " + noLabels);
    }
    labelsAsked.set(true);
    return labels;
  }

  /**
   * The condition images, for an architecture whose generator makes its output from an image (a
   * sketch, a low-resolution or a masked image). Calling this makes the run image-conditioned:
   * its samples are then outputs for the conditions of real pairs, shown beside their targets.
   *
   * @param owner the architecture, for the message (e.g. {@code architecture 'pix2pix'})
   * @throws ParameterException when the data are not pairs; the message names the dataset and
   *     the datasets that are
   */
  public Images images(String owner) {
    if (images == null) {
      throw new ParameterException(owner + " makes images from condition images, and " + noImages);
    }
    imagesAsked.set(true);
    return images;
  }

  /** Whether the architecture asked for a condition: the run is then conditional. */
  public boolean used() {
    return labelsAsked.get() || imagesAsked.get();
  }

  /** Whether the architecture asked for the labels: samples are then made of a class. */
  public boolean labelsUsed() {
    return labelsAsked.get();
  }

  /** Whether the architecture asked for the condition images. */
  public boolean imagesUsed() {
    return imagesAsked.get();
  }

  /**
   * Class labels: what each real sample is, and what the generator is asked to make.
   *
   * @param classes the number of classes; ids run from 0 to {@code classes - 1}
   * @param names a name for each id, for sample grids and the command line
   * @param real the class id of each row of the real batch, {@code [batch]}
   * @param generated the class ids the generator makes during training, {@code [batch]}, drawn
   *     afresh with every objective run (uniformly over the classes the data hold, or in the data's
   *     proportions, as the experiment says)
   * @param sampling the classes of the samples asked for, {@code [n, classes]}: one-hot rows, or a
   *     blend of two classes when sampling interpolates between them; read by the generator that
   *     makes {@link GanModel#generated()}
   */
  public record Labels(
      int classes, List<String> names, Operand<TInt32> real, Operand<TInt32> generated, Placeholder<TFloat32> sampling) {
    public Labels {
      names = List.copyOf(names);
      if (classes < 2) {
        throw new IllegalArgumentException("class labels need at least 2 classes, not " + classes);
      }
      if (names.size() != classes) {
        throw new IllegalArgumentException(classes + " classes and " + names.size() + " names");
      }
    }

    /** Ids {@code [n]} as one-hot rows {@code [n, classes]}: what an embedding multiplies. */
    public Operand<TFloat32> oneHot(Ops tf, Operand<TInt32> ids) {
      return tf.oneHot(ids, tf.constant(classes), tf.constant(1f), tf.constant(0f));
    }
  }

  /**
   * Condition images of paired data: the image each real target was made from, or is to be made
   * from.
   *
   * @param spec the shape of one condition image
   * @param kind what the condition is, as the dataset says: {@link #PAIRED}, {@link #LOW_RESOLUTION}
   *     or {@link #MASKED}
   * @param real the condition of each row of the real batch, {@code [batch, ...spec]}
   * @param sampling the conditions of the outputs asked for, {@code [n, ...spec]}: read by the
   *     generator that makes {@link GanModel#generated()}
   */
  public record Images(DataSpec spec, String kind, Operand<TFloat32> real, Placeholder<TFloat32> sampling) {
    /** An image of the target's size from another domain: a sketch, an edge map, a label map. */
    public static final String PAIRED = "paired";
    /** The target downsampled by an integer factor ({@link #factor}). */
    public static final String LOW_RESOLUTION = "low-resolution";
    /**
     * The target with pixels missing: its channels, the missing pixels 0, then one more channel
     * that is 1 where a pixel is known and 0 where it is missing.
     */
    public static final String MASKED = "masked";
    public static final List<String> KINDS = List.of(PAIRED, LOW_RESOLUTION, MASKED);

    public Images {
      if (!spec.isImage()) {
        throw new IllegalArgumentException("a condition image has a height, a width and channels, not " + spec);
      }
      if (!KINDS.contains(kind)) {
        throw new IllegalArgumentException("a condition image is one of " + KINDS + ", not " + kind);
      }
    }

    /**
     * How many times smaller than the target the condition is on each side: 1 unless
     * {@link #LOW_RESOLUTION}.
     *
     * @param target the shape of one target sample
     * @throws ParameterException when the condition's size does not divide the target's evenly
     */
    public int factor(DataSpec target) {
      int factor = target.height() / spec.height();
      if (factor * spec.height() != target.height() || factor * spec.width() != target.width()) {
        throw new ParameterException("condition images of " + spec + " do not scale evenly to targets of " + target);
      }
      return factor;
    }
  }
}
