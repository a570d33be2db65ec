package org.ganymede.api;

import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Inputs that steer sampling besides the latent, for style-based and pyramid generators. Each is a
 * placeholder with a default (TensorFlow's {@code PlaceholderWithDefault}), so that a sampler
 * that feeds none of them samples plainly.
 *
 * @param truncation scalar psi, default 1: each style is pulled towards the average style,
 *     {@code w_avg + psi (w - w_avg)}, so that 0 gives the average image for every latent; null
 *     when the architecture keeps no average style
 * @param mixLatent a second latent, {@code [n, latentSize]}, defaulting to the latent itself:
 *     style inputs from {@link #mixFrom} on read its styles; null when the architecture cannot mix
 * @param mixFrom scalar, default {@link #styleInputs}: the first style input that reads
 *     {@link #mixLatent}, from 0 (all of them) to {@link #styleInputs} (none)
 * @param styleInputs how many style inputs the generator has, 0 when it cannot mix
 * @param levels scalar, default {@link #pyramidLevels}: how many of a pyramid's finer levels the
 *     sample adds to its coarsest image (0: the coarsest image alone, enlarged to the sample's
 *     size), so that sampling can show every level; null when the generator has no pyramid
 * @param pyramidLevels the finer levels of the generator's pyramid, 0 when it has none
 */
public record SamplingControls(
    Operand<TFloat32> truncation, Operand<TFloat32> mixLatent, Operand<TInt32> mixFrom, int styleInputs,
    Operand<TInt32> levels, int pyramidLevels) {
  /** No controls: the latent alone decides the sample. */
  public static final SamplingControls NONE = new SamplingControls(null, null, null, 0);

  /** Controls of a style-based generator, without a pyramid (API 2.2). */
  public SamplingControls(
      Operand<TFloat32> truncation, Operand<TFloat32> mixLatent, Operand<TInt32> mixFrom, int styleInputs) {
    this(truncation, mixLatent, mixFrom, styleInputs, null, 0);
  }

  /** The control of a pyramid generator with {@code pyramidLevels} finer levels. */
  public static SamplingControls pyramid(Operand<TInt32> levels, int pyramidLevels) {
    return new SamplingControls(null, null, null, 0, levels, pyramidLevels);
  }

  public SamplingControls {
    if ((levels == null) != (pyramidLevels == 0) || pyramidLevels < 0) {
      throw new IllegalArgumentException("a pyramid's level control needs its number of finer levels, or neither");
    }
    if ((mixLatent == null) != (mixFrom == null) || (mixLatent == null) != (styleInputs == 0)) {
      throw new IllegalArgumentException("style mixing needs a second latent, the crossover input and the number"
          + " of style inputs, or none of them");
    }
    if (styleInputs < 0) {
      throw new IllegalArgumentException("style inputs cannot be negative: " + styleInputs);
    }
  }

  public boolean truncates() {
    return truncation != null;
  }

  public boolean mixes() {
    return mixLatent != null;
  }

  /** Whether sampling can stop at any level of a pyramid. */
  public boolean hasLevels() {
    return levels != null;
  }
}
