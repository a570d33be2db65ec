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
 * architecture reads it. Today a condition is a class label ({@link #labels}); the same place
 * will carry an image (the low-resolution input, the sketch, the masked image) or a vector. An
 * unconditional architecture never asks and the run trains as it would on unlabelled data.
 *
 * <p>The engine feeds every input: the labels of each real batch, row by row with it; the classes
 * the generator is asked for during training, drawn from the run's stateless random numbers (so a
 * resumed run draws what an uninterrupted one would); and the classes sampling asks for. Asking
 * for the labels is what makes a run conditional: sample grids then show one row per class.
 */
public final class Condition {
  private final Labels labels;
  private final String missing;
  private final AtomicBoolean asked = new AtomicBoolean();

  private Condition(Labels labels, String missing) {
    this.labels = labels;
    this.missing = missing;
  }

  /**
   * Data without a condition.
   *
   * @param why what to tell an architecture that needs one: the dataset and the datasets that
   *     carry labels
   */
  public static Condition none(String why) {
    return new Condition(null, why);
  }

  /** Data labelled with classes. */
  public static Condition of(Labels labels) {
    return new Condition(labels, null);
  }

  /** Whether the data carry class labels. */
  public boolean hasLabels() {
    return labels != null;
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
      throw new ParameterException(owner + " is conditioned on class labels, and " + missing);
    }
    asked.set(true);
    return labels;
  }

  /** Whether the architecture asked for the labels: the run is then conditional. */
  public boolean used() {
    return asked.get();
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
}
