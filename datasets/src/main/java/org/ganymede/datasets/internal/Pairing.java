package org.ganymede.datasets.internal;

import java.util.List;
import java.util.SplittableRandom;
import org.ganymede.api.DataSpec;
import org.ganymede.api.ParameterException;
import org.ganymede.api.Parameters;

/**
 * How the condition image of a target is computed from the target itself: an edge map as the
 * sketch, a low-resolution version or a masked one. What {@link DerivedPairs} applies to every
 * target as it is read. Immutable, so conditions are computed from many threads at once.
 */
sealed interface Pairing permits EdgeMaps, LowResolution, Masks {
  String EDGES = "edges";
  String LOW_RESOLUTION = "low-resolution";
  String MASKED = "masked";
  List<String> NAMES = List.of(EDGES, LOW_RESOLUTION, MASKED);

  /**
   * The pairing the parameter {@code pairing} names, with its own parameters; only those of the
   * chosen pairing are read, so that the others are rejected as unknown.
   *
   * @param height the height of the targets, which a downsampling factor must divide
   * @param width the width of the targets
   */
  static Pairing read(Parameters parameters, int height, int width) {
    if (parameters.stringValue("pairing", null) == null) {
      throw new ParameterException(parameters.owner() + ": 'pairing' is missing; allowed: " + EDGES
          + " (an edge map of each image as its sketch), " + LOW_RESOLUTION + " (each image downsampled), " + MASKED
          + " (each image with pixels missing)");
    }
    return switch (parameters.choice("pairing", null, NAMES)) {
      case EDGES -> EdgeMaps.read(parameters);
      case LOW_RESOLUTION -> LowResolution.read(parameters, height, width);
      default -> Masks.read(parameters);
    };
  }

  /** What the conditions are, one of {@link org.ganymede.api.Condition.Images#KINDS}. */
  String kind();

  /** The shape of the condition of a target of shape {@code target}; its classes are the target's. */
  DataSpec conditionSpec(DataSpec target);

  /**
   * Computes the condition of one target.
   *
   * @param target the target, {@code spec.sampleSize()} values from index 0
   * @param spec the shape of the target
   * @param random the randomness of this read, for pairings that draw (where pixels go missing)
   * @param condition receives {@code conditionSpec(spec).sampleSize()} values from {@code offset}
   */
  void condition(float[] target, DataSpec spec, SplittableRandom random, float[] condition, int offset);

  /** The pairing and its parameters, for descriptions (e.g. {@code low-resolution x4 (bicubic)}). */
  String describe();
}
