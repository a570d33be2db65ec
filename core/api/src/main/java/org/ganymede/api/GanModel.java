package org.ganymede.api;

import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * What an architecture built in the graph: the objectives the trainer runs in order, extra
 * scalars to log, and how to sample or translate. A model samples from a latent ({@link #latent}
 * and {@link #generated}), or translates between two domains ({@link #translations}), or both;
 * an image-conditioned model makes {@link #generated} from the conditions fed to
 * {@link Condition.Images#sampling()}, with a latent or without one.
 *
 * @param objectives run in this order every training step
 * @param scalars values to log besides the objectives' losses (penalties, critic outputs)
 * @param latent the generator's input for sampling, shape {@code [n, latentSize]}; null for a
 *     model that only translates, or that makes its output from a condition image alone
 * @param generated the generator's output for {@link #latent} (and the conditions sampling
 *     feeds), shape {@code [n, ...sample]}: sampling and metrics read it (from a moving average of
 *     the generator's weights, say); null for a model that only translates
 * @param afterStep ops the trainer runs after each training step's objectives, in order (the
 *     update of such a moving average, say)
 * @param sampling the controls sampling may feed besides the latent; {@link SamplingControls#NONE}
 *     for none
 * @param translations the directions a model of unpaired two-domain data translates, {@code a2b}
 *     and {@code b2a} say; empty for a model that only samples
 * @param layers the weighted layers of each network that names them ({@code generator},
 *     {@code discriminator}), input first, each layer's variables: what {@code training.freeze}
 *     counts; empty when the architecture names none (since 2.4)
 */
public record GanModel(
    List<Objective> objectives,
    Map<String, Operand<TFloat32>> scalars,
    Placeholder<TFloat32> latent,
    Operand<TFloat32> generated,
    List<Op> afterStep,
    SamplingControls sampling,
    List<Translation> translations,
    Map<String, List<List<Variable<TFloat32>>>> layers) {
  public GanModel {
    objectives = List.copyOf(objectives);
    layers = layers.entrySet().stream().collect(java.util.stream.Collectors.toUnmodifiableMap(Map.Entry::getKey,
        e -> e.getValue().stream().map(List::copyOf).toList()));
    scalars = Map.copyOf(scalars);
    afterStep = List.copyOf(afterStep);
    translations = List.copyOf(translations);
    if (objectives.isEmpty()) {
      throw new IllegalArgumentException("a model needs at least one objective");
    }
    if (latent != null && generated == null) {
      throw new IllegalArgumentException("a model with a latent needs what it generates from it");
    }
    if (generated == null && translations.isEmpty()) {
      throw new IllegalArgumentException("a model needs something to generate (from a latent or a condition image)"
          + " or a translation");
    }
    if (translations.stream().map(Translation::name).distinct().count() < translations.size()) {
      throw new IllegalArgumentException("two translations in the same direction");
    }
    if (sampling == null) {
      throw new IllegalArgumentException("sampling controls are SamplingControls.NONE when there are none, not null");
    }
  }

  /** A model whose architecture names no layers (API 2.3). */
  public GanModel(
      List<Objective> objectives,
      Map<String, Operand<TFloat32>> scalars,
      Placeholder<TFloat32> latent,
      Operand<TFloat32> generated,
      List<Op> afterStep,
      SamplingControls sampling,
      List<Translation> translations) {
    this(objectives, scalars, latent, generated, afterStep, sampling, translations, Map.of());
  }

  /**
   * This model with the weighted layers of one more network named, for freezing.
   *
   * @param network {@code generator} or {@code discriminator}, as {@code training.freeze} names it
   * @param networkLayers input first, each layer's variables ({@code Network.layers()})
   * @since 2.4
   */
  public GanModel withLayers(String network, List<List<Variable<TFloat32>>> networkLayers) {
    Map<String, List<List<Variable<TFloat32>>>> all = new java.util.LinkedHashMap<>(layers);
    all.put(network, networkLayers);
    return new GanModel(objectives, scalars, latent, generated, afterStep, sampling, translations, all);
  }

  /** A model that samples from a latent, with nothing to run after a step. */
  public GanModel(
      List<Objective> objectives,
      Map<String, Operand<TFloat32>> scalars,
      Placeholder<TFloat32> latent,
      Operand<TFloat32> generated,
      List<Op> afterStep) {
    this(objectives, scalars, latent, generated, afterStep, SamplingControls.NONE, List.of());
  }

  /** A model that samples from a latent, with nothing to run after a step. */
  public GanModel(
      List<Objective> objectives,
      Map<String, Operand<TFloat32>> scalars,
      Placeholder<TFloat32> latent,
      Operand<TFloat32> generated) {
    this(objectives, scalars, latent, generated, List.of());
  }

  /** Whether the model samples from a latent (an image-conditioned model may make its output without one). */
  public boolean samples() {
    return latent != null;
  }

  /** Size of one latent vector. */
  public int latentSize() {
    if (latent == null) {
      throw new IllegalStateException("the model has no latent: it translates, or makes its output from a condition"
          + " image alone");
    }
    return (int) latent.shape().get(1);
  }

  /**
   * One direction of an image-to-image translation between the two domains of unpaired data.
   *
   * @param name {@link #A_TO_B} (reads domain A, writes B) or {@link #B_TO_A}, as the command line
   *     names directions
   * @param input the source images, shape {@code [n, ...source sample]}
   * @param output their translations, shape {@code [n, ...target sample]}
   * @param reconstruction the translations translated back, shape {@code [n, ...source sample]}
   */
  public record Translation(
      String name, Placeholder<TFloat32> input, Operand<TFloat32> output, Operand<TFloat32> reconstruction) {
    public static final String A_TO_B = "a2b";
    public static final String B_TO_A = "b2a";

    public Translation {
      if (!name.equals(A_TO_B) && !name.equals(B_TO_A)) {
        throw new IllegalArgumentException("a translation is " + A_TO_B + " or " + B_TO_A + ", not " + name);
      }
    }
  }
}
