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

  /** Samples in the order a picture shows them, rows of {@code columns}. */
  record Drawing(float[][] samples, int columns) {}

  /** Checks the options on their own, before a model is built. */
  static void check(SampleOptions options) {
    if (options.classes().size() > 2) {
      throw new ParameterException("--class is given " + options.classes().size() + " times; give one class, or two"
          + " with --interpolate to go from the first to the second");
    }
    if (options.classes().size() == 2 && options.interpolate().isEmpty()) {
      throw new ParameterException("two classes are for --interpolate (from the first class to the second); for a"
          + " grid give one --class, or none for a row per class");
    }
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
  /**
   * An image-conditioned run samples a picture of {@code count} pairs (condition, output, target),
   * and takes none of the controls of sampling from a latent.
   */
  static void checkConditionPicture(SampleOptions options, String architecture) {
    if (options.truncation() != 1 || !options.mix().isEmpty() || !options.interpolate().isEmpty()
        || !options.classes().isEmpty() || options.levels()) {
      throw new ParameterException("architecture '" + architecture + "' makes its outputs from condition images: its"
          + " samples are pairs of the run's data beside the outputs for them (--count, --seed); --truncation, --mix,"
          + " --interpolate and --class are for sampling from a latent");
    }
  }

  static void checkControls(SampleOptions options, SamplingControls controls, String architecture) {
    if (options.truncation() != 1 && !controls.truncates()) {
      throw new ParameterException("architecture '" + architecture + "' has no average style to truncate towards;"
          + " --truncation works with architectures that offer it, such as stylegan");
    }
    if (options.levels() && !controls.hasLevels()) {
      throw new ParameterException("architecture '" + architecture + "' has no pyramid of levels; --levels works with"
          + " pyramid generators, such as lapgan");
    }
    if (!options.mix().isEmpty() && !controls.mixes()) {
      throw new ParameterException("architecture '" + architecture + "' has no style inputs to mix; --mix works with"
          + " style-based architectures, such as stylegan");
    }
  }

  /**
   * The samples: a grid's in order, a strip's from left to right. A conditional model draws a row
   * per class the data hold unless the options name classes: one class for a grid or strip of it,
   * two for an interpolation from the first class to the second.
   *
   * @throws ParameterException when the model lacks a control the options ask for, or a class is
   *     unknown or given to a model that makes no classes
   */
  Drawing draw(SampleOptions options) {
    SamplingControls controls = graph.model.sampling();
    checkControls(options, controls, architecture);
    int[] classes = classIds(options.classes());
    int size = graph.model.latentSize();
    Map<Operand<?>, Tensor> feeds = new LinkedHashMap<>();
    try {
      if (options.truncation() != 1) {
        feeds.put(controls.truncation(), TFloat32.scalarOf((float) options.truncation()));
      }
      if (!options.mix().isEmpty()) {
        float[][] strip = mixingStrip(controls, Latents.ofSeed(size, options.mix().get(0)),
            Latents.ofSeed(size, options.mix().get(1)), classRow(classes), feeds);
        return new Drawing(strip, strip.length);
      }
      if (options.levels()) {
        return everyLevel(controls, Latents.normal(options.count(), size, options.seed()), feeds);
      }
      if (!options.interpolate().isEmpty()) {
        float[][] path = Latents.sphericalPath(Latents.ofSeed(size, options.interpolate().get(0)),
            Latents.ofSeed(size, options.interpolate().get(1)), options.frames());
        if (graph.conditional && classes.length == 0) {
          Grid rows = Grid.rowsOf(graph, graph.presentClasses, path);
          return new Drawing(graph.generate(rows.latents(), rows.classes(), feeds), path.length);
        }
        return new Drawing(graph.generate(path, classPath(classes, path.length), feeds), path.length);
      }
      if (graph.conditional && classes.length == 0) {
        Grid grid = Grid.of(graph, options.count(), options.seed());
        return new Drawing(graph.generate(grid.latents(), grid.classes(), feeds), grid.columns());
      }
      float[][] latents = Latents.normal(options.count(), size, options.seed());
      return new Drawing(graph.generate(latents, classPath(classes, latents.length), feeds),
          (int) Math.ceil(Math.sqrt(options.count())));
    } finally {
      feeds.values().forEach(Tensor::close);
    }
  }

  /** A row per latent: its coarsest image, then the image after each finer level of the pyramid. */
  private Drawing everyLevel(SamplingControls controls, float[][] latents, Map<Operand<?>, Tensor> feeds) {
    int columns = controls.pyramidLevels() + 1;
    float[][] cells = new float[latents.length * columns][];
    for (int level = 0; level < columns; level++) {
      Map<Operand<?>, Tensor> stopped = new LinkedHashMap<>(feeds);
      try (TInt32 levels = TInt32.scalarOf(level)) {
        stopped.put(controls.levels(), levels);
        float[][] images = graph.generate(latents, classPath(new int[0], latents.length), stopped);
        for (int i = 0; i < latents.length; i++) {
          cells[i * columns + level] = images[i];
        }
      }
    }
    return new Drawing(cells, columns);
  }

  /** Class ids for names or ids, checked against the run's classes. */
  int[] classIds(List<String> names) {
    if (names.isEmpty()) {
      return new int[0];
    }
    if (!graph.conditional) {
      throw new ParameterException("--class is for conditional runs; architecture '" + architecture + "' does not read"
          + " the labels" + (graph.classNames.isEmpty() ? " (and the data carry none)" : ""));
    }
    int[] ids = new int[names.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = classId(names.get(i));
    }
    return ids;
  }

  private int classId(String name) {
    int byName = graph.classNames.indexOf(name);
    if (byName >= 0) {
      return byName;
    }
    if (name.matches("[0-9]+") && Integer.parseInt(name) < graph.classNames.size()) {
      return Integer.parseInt(name);
    }
    StringBuilder allowed = new StringBuilder();
    for (int c = 0; c < graph.classNames.size(); c++) {
      allowed.append(c == 0 ? "" : ", ").append(c).append(' ').append(graph.classNames.get(c));
    }
    throw new ParameterException("class '" + name + "' is not one of this run's classes: " + allowed);
  }

  /** One class row for every sample: the one class, or evenly spaced blends from the first to the second; null for an unconditional model. */
  private float[][] classPath(int[] ids, int count) {
    if (!graph.conditional) {
      return null;
    }
    int from = ids.length == 0 ? graph.presentClasses[0] : ids[0];
    int to = ids.length == 2 ? ids[1] : from;
    float[][] rows = new float[count][graph.classNames.size()];
    for (int i = 0; i < count; i++) {
      float t = count == 1 ? 0 : (float) i / (count - 1);
      rows[i][from] += 1 - t;
      rows[i][to] += t;
    }
    return rows;
  }

  private float[][] classRow(int[] ids) {
    return classPath(ids, 1);
  }

  /** One frame per crossover, from every style input reading {@code a} to every one reading {@code b}. */
  private float[][] mixingStrip(SamplingControls controls, float[] a, float[] b, float[][] classRow,
      Map<Operand<?>, Tensor> feeds) {
    int inputs = controls.styleInputs();
    float[][] frames = new float[inputs + 1][];
    try (TFloat32 second = TFloat32.tensorOf(Shape.of(1, b.length), DataBuffers.of(b, true, false))) {
      for (int from = inputs; from >= 0; from--) {
        Map<Operand<?>, Tensor> mixed = new LinkedHashMap<>(feeds);
        mixed.put(controls.mixLatent(), second);
        try (TInt32 crossover = TInt32.scalarOf(from)) {
          mixed.put(controls.mixFrom(), crossover);
          frames[inputs - from] = graph.generate(new float[][] {a}, classRow, mixed)[0];
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
