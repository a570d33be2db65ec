package org.ganymede.datasets.internal;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.ganymede.api.Condition;
import org.ganymede.api.DataSpec;
import org.ganymede.api.ParameterException;
import org.ganymede.api.Parameters;

/**
 * Targets downsampled by an integer factor, as super-resolution pairs them. {@code bicubic} is
 * MATLAB's imresize, with which the super-resolution benchmarks make their low-resolution inputs:
 * Keys' cubic with a = -0.5, widened by the factor so that it averages what it skips (antialiasing),
 * and the image mirrored beyond its border. {@code area} is the mean of each factor x factor block.
 */
final class LowResolution implements Pairing {
  static final List<Integer> FACTORS = List.of(2, 4);
  static final int DEFAULT_FACTOR = 4;
  static final String BICUBIC = "bicubic";
  static final String AREA = "area";
  static final List<String> DOWNSAMPLINGS = List.of(BICUBIC, AREA);
  /** Keys' cubic is zero from 2 on; widened by the factor, its support is 2 * factor either side. */
  private static final int CUBIC_RADIUS = 2;

  private final int factor;
  private final boolean bicubic;
  private final int height;
  private final int width;
  private final Taps rows;
  private final Taps columns;

  /**
   * @param height the height of the targets, a multiple of {@code factor}
   * @param width the width of the targets, a multiple of {@code factor}
   */
  LowResolution(int factor, String downsampling, int height, int width) {
    if (factor < 1 || height % factor != 0 || width % factor != 0) {
      throw new IllegalArgumentException("factor " + factor + " does not divide " + height + "x" + width);
    }
    if (!DOWNSAMPLINGS.contains(downsampling)) {
      throw new IllegalArgumentException("downsampling is one of " + DOWNSAMPLINGS + ", not " + downsampling);
    }
    this.factor = factor;
    this.bicubic = downsampling.equals(BICUBIC);
    this.height = height;
    this.width = width;
    this.rows = bicubic ? Taps.bicubic(height, factor) : null;
    this.columns = bicubic ? Taps.bicubic(width, factor) : null;
  }

  static LowResolution read(Parameters parameters, int height, int width) {
    int factor = parameters.intValue("factor", DEFAULT_FACTOR);
    if (!FACTORS.contains(factor)) {
      throw new ParameterException(parameters.owner() + ": 'factor' is " + factor + "; allowed: " + list(FACTORS));
    }
    String downsampling = parameters.choice("downsampling", BICUBIC, DOWNSAMPLINGS);
    if (height % factor != 0 || width % factor != 0) {
      List<Integer> dividing = FACTORS.stream().filter(f -> height % f == 0 && width % f == 0).toList();
      throw new ParameterException(parameters.owner() + ": 'factor' is " + factor + ", which does not divide the"
          + " targets' size " + height + "x" + width + "; allowed for " + height + "x" + width + ": "
          + (dividing.isEmpty() ? "none of " + list(FACTORS) + ", so choose a size that the factor divides"
              : list(dividing)));
    }
    return new LowResolution(factor, downsampling, height, width);
  }

  int factor() {
    return factor;
  }

  @Override
  public String kind() {
    return Condition.Images.LOW_RESOLUTION;
  }

  @Override
  public DataSpec conditionSpec(DataSpec target) {
    requireSize(target);
    return DataSpec.image(height / factor, width / factor, target.channels(), target.classes());
  }

  @Override
  public void condition(float[] target, DataSpec spec, SplittableRandom random, float[] condition, int offset) {
    requireSize(spec);
    if (bicubic) {
      bicubic(target, spec.channels(), condition, offset);
    } else {
      area(target, spec.channels(), condition, offset);
    }
  }

  @Override
  public String describe() {
    return "low-resolution x" + factor + " (" + (bicubic ? BICUBIC : AREA) + ")";
  }

  private void area(float[] target, int channels, float[] condition, int offset) {
    int smallHeight = height / factor;
    int smallWidth = width / factor;
    double[] sums = new double[channels];
    for (int y = 0; y < smallHeight; y++) {
      for (int x = 0; x < smallWidth; x++) {
        Arrays.fill(sums, 0);
        for (int dy = 0; dy < factor; dy++) {
          int source = ((y * factor + dy) * width + x * factor) * channels;
          for (int i = 0; i < factor * channels; i++) {
            sums[i % channels] += target[source + i];
          }
        }
        int destination = offset + (y * smallWidth + x) * channels;
        for (int c = 0; c < channels; c++) {
          condition[destination + c] = (float) (sums[c] / (factor * factor));
        }
      }
    }
  }

  /** Rows first, then columns, as imresize does when both shrink alike; clipped to [-1, 1] as it clips bytes. */
  private void bicubic(float[] target, int channels, float[] condition, int offset) {
    int smallHeight = height / factor;
    int smallWidth = width / factor;
    double[] shortened = new double[smallHeight * width * channels];
    for (int y = 0; y < smallHeight; y++) {
      for (int t = 0; t < rows.count(); t++) {
        double weight = rows.weight(y, t);
        int source = rows.index(y, t) * width * channels;
        int destination = y * width * channels;
        for (int i = 0; i < width * channels; i++) {
          shortened[destination + i] += weight * target[source + i];
        }
      }
    }
    double[] sums = new double[channels];
    for (int y = 0; y < smallHeight; y++) {
      for (int x = 0; x < smallWidth; x++) {
        Arrays.fill(sums, 0);
        for (int t = 0; t < columns.count(); t++) {
          double weight = columns.weight(x, t);
          int source = (y * width + columns.index(x, t)) * channels;
          for (int c = 0; c < channels; c++) {
            sums[c] += weight * shortened[source + c];
          }
        }
        int destination = offset + (y * smallWidth + x) * channels;
        for (int c = 0; c < channels; c++) {
          condition[destination + c] = (float) Math.max(-1, Math.min(1, sums[c]));
        }
      }
    }
  }

  private void requireSize(DataSpec target) {
    if (target.height() != height || target.width() != width) {
      throw new IllegalArgumentException("made for targets of " + height + "x" + width + ", not " + target);
    }
  }

  private static String list(List<Integer> factors) {
    return factors.stream().map(String::valueOf).collect(Collectors.joining(", "));
  }

  /**
   * The source pixels and weights of each output pixel along one side, {@code count} per output.
   *
   * @param indices the source pixel of tap t of output i at {@code i * count + t}
   * @param weights its weight, those of an output summing to 1
   */
  private record Taps(int count, int[] indices, double[] weights) {

    /**
     * imresize's contributions for shrinking {@code length} pixels by {@code factor}: output i is
     * centred on source coordinate (i + 0.5) * factor - 0.5 and weighs the source pixel at distance d
     * by cubic(d / factor), normalised; taps beyond the border read the pixels mirrored at it.
     */
    static Taps bicubic(int length, int factor) {
      int outputs = length / factor;
      int count = 2 * CUBIC_RADIUS * factor;
      int[] indices = new int[outputs * count];
      double[] weights = new double[outputs * count];
      for (int i = 0; i < outputs; i++) {
        double centre = (i + 0.5) * factor - 0.5;
        // The taps within the widened support, |centre - j| < 2 * factor: centre is a half-integer
        // for even factors, so exactly count of them.
        int first = (int) Math.floor(centre - CUBIC_RADIUS * factor) + 1;
        double sum = 0;
        for (int t = 0; t < count; t++) {
          int j = first + t;
          double weight = cubic((centre - j) / factor);
          indices[i * count + t] = mirrored(j, length);
          weights[i * count + t] = weight;
          sum += weight;
        }
        for (int t = 0; t < count; t++) {
          weights[i * count + t] /= sum;
        }
      }
      return new Taps(count, indices, weights);
    }

    int index(int output, int tap) {
      return indices[output * count + tap];
    }

    double weight(int output, int tap) {
      return weights[output * count + tap];
    }

    /** Keys' cubic convolution kernel with a = -0.5, which reproduces quadratics. */
    private static double cubic(double x) {
      double d = Math.abs(x);
      if (d <= 1) {
        return (1.5 * d - 2.5) * d * d + 1;
      }
      if (d < 2) {
        return ((-0.5 * d + 2.5) * d - 4) * d + 2;
      }
      return 0;
    }

    /** Index {@code j} reflected into [0, length) about the border, the edge pixel repeated (-1 reads 0). */
    private static int mirrored(int j, int length) {
      int period = 2 * length;
      int k = Math.floorMod(j, period);
      return k < length ? k : period - 1 - k;
    }
  }
}
