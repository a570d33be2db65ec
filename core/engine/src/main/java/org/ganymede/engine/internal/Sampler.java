package org.ganymede.engine.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ganymede.api.ExperimentRunner.SampleOptions;
import org.ganymede.api.ParameterException;
import org.ganymede.api.SamplingControls;
import org.tensorflow.Operand;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Draws what {@code sample} asks of a trained model: a grid of the latents of one seed; a style
 * mixing strip, from the first seed's image to the second's, the second seed's styles reaching one
 * style input further in each frame; or a strip along the spherical path between two seeds'
 * latents. Truncation applies to all three. A seed's latent is {@link Latents#ofSeed}, the first
 * sample of that seed's grid.
 */
final class Sampler {
  private final TrainingGraph graph;
  private final String architecture;

  /**
   * @param architecture the run's architecture's name, for messages
   * @throws ParameterException when the model has no latent to sample from
   */
  Sampler(TrainingGraph graph, String architecture) {
    if (!graph.model.samples()) {
      throw new ParameterException("architecture '" + architecture + "' translates between two domains and has no"
          + " latent to sample from");
    }
    this.graph = graph;
    this.architecture = architecture;
  }

  /** Checks the options on their own, before a model is built. */
  static void check(SampleOptions options) {
    if (!Double.isFinite(options.truncation())) {
      throw new ParameterException("--truncation must be a finite number (1 for none, 0 for the average image), was "
          + options.truncation());
    }
    boolean mix = !options.mix().isEmpty();
    boolean interpolate = !options.interpolate().isEmpty();
    if (mix && interpolate) {
      throw new ParameterException("--mix and --interpolate draw different strips; give one of them");
    }
    if (mix) {
      requireTwoSeeds("--mix", options.mix());
    } else if (interpolate) {
      requireTwoSeeds("--interpolate", options.interpolate());
      if (options.frames() < 2) {
        throw new ParameterException(
            "--frames must be at least 2 (the two seeds' own images), was " + options.frames());
      }
    } else if (options.count() < 1) {
      throw new ParameterException("--count must be at least 1, was " + options.count());
    }
  }

  /** Checks that a model with these controls offers what the options ask for. */
  static void checkControls(SampleOptions options, SamplingControls controls, String architecture) {
    if (options.truncation() != 1 && !controls.truncates()) {
      throw new ParameterException("architecture '" + architecture + "' has no average style to truncate towards;"
          + " --truncation works with architectures that offer it, such as stylegan");
    }
    if (!options.mix().isEmpty() && !controls.mixes()) {
      throw new ParameterException("architecture '" + architecture + "' has no style inputs to mix; --mix works with"
          + " style-based architectures, such as stylegan");
    }
  }

  /** Whether the options ask for a strip (mixing or interpolation) rather than a grid. */
  static boolean drawsStrip(SampleOptions options) {
    return !options.mix().isEmpty() || !options.interpolate().isEmpty();
  }

  /**
   * The samples, one flattened sample a row: a grid's in order, a strip's from left to right.
   *
   * @throws ParameterException when the model lacks a control the options ask for
   */
  float[][] draw(SampleOptions options) {
    SamplingControls controls = graph.model.sampling();
    checkControls(options, controls, architecture);
    int size = graph.model.latentSize();
    Map<Operand<?>, Tensor> feeds = new LinkedHashMap<>();
    try {
      if (options.truncation() != 1) {
        feeds.put(controls.truncation(), TFloat32.scalarOf((float) options.truncation()));
      }
      if (!options.mix().isEmpty()) {
        return mixingStrip(controls, Latents.ofSeed(size, options.mix().get(0)),
            Latents.ofSeed(size, options.mix().get(1)), feeds);
      }
      if (!options.interpolate().isEmpty()) {
        return graph.generate(Latents.sphericalPath(Latents.ofSeed(size, options.interpolate().get(0)),
            Latents.ofSeed(size, options.interpolate().get(1)), options.frames()), feeds);
      }
      return graph.generate(Latents.normal(options.count(), size, options.seed()), feeds);
    } finally {
      feeds.values().forEach(Tensor::close);
    }
  }

  /** One frame per crossover, from every style input reading {@code a} to every one reading {@code b}. */
  private float[][] mixingStrip(SamplingControls controls, float[] a, float[] b, Map<Operand<?>, Tensor> feeds) {
    int inputs = controls.styleInputs();
    float[][] frames = new float[inputs + 1][];
    try (TFloat32 second = TFloat32.tensorOf(Shape.of(1, b.length), DataBuffers.of(b, true, false))) {
      for (int from = inputs; from >= 0; from--) {
        Map<Operand<?>, Tensor> mixed = new LinkedHashMap<>(feeds);
        mixed.put(controls.mixLatent(), second);
        try (TInt32 crossover = TInt32.scalarOf(from)) {
          mixed.put(controls.mixFrom(), crossover);
          frames[inputs - from] = graph.generate(new float[][] {a}, mixed)[0];
        }
      }
    }
    return frames;
  }

  private static void requireTwoSeeds(String option, List<Long> seeds) {
    if (seeds.size() != 2) {
      throw new ParameterException(option + " takes exactly two seeds, SEED_A SEED_B; got " + seeds.size());
    }
  }
}
