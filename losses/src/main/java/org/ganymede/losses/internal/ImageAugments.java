package org.ganymede.losses.internal;

import java.util.ArrayList;
import java.util.List;
import org.ganymede.api.ParameterException;
import org.ganymede.api.RandomSource;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Differentiable image transforms of a batch {@code [n, height, width, channels]} with one
 * parameter per sample, the pieces DiffAugment and ADA are made of. Each is exactly the identity at
 * its neutral parameter (shift 0, factor 1, size 0), and its gradient with respect to the images
 * is the transform's own (the parameters are constants to it).
 */
final class ImageAugments {
  private ImageAugments() {}

  /**
   * The shape of {@code x} as a constant, for drawing random numbers of it. It is read from the
   * graph's static shape: a draw whose shape came from {@code x} would lie on the gradient's path,
   * and random ops have none.
   */
  static Operand<TInt32> staticShape(Ops tf, Operand<TFloat32> x) {
    long[] shape = x.shape().asArray();
    if (shape == null || java.util.Arrays.stream(shape).anyMatch(d -> d < 0)) {
      throw new IllegalArgumentException("augmentations need batches of a shape known when the graph is built; got "
          + x.shape());
    }
    return tf.constant(java.util.Arrays.stream(shape).mapToInt(d -> (int) d).toArray());
  }

  /** The batch size of {@code x} as a {@code [1]} constant, for drawing one value per sample. */
  static Operand<TInt32> batchSize(Ops tf, Operand<TFloat32> x) {
    long n = x.shape().numDimensions() > 0 ? x.shape().get(0) : -1;
    if (n < 0) {
      throw new IllegalArgumentException("augmentations need batches of a size known when the graph is built; got "
          + x.shape());
    }
    return tf.constant(new int[] {(int) n});
  }

  /**
   * The comma-separated names of {@code text}, in its order; one not {@code allowed} is an error
   * that starts with {@code unknown} and lists the allowed.
   */
  static List<String> names(String text, List<String> allowed, String unknown) {
    List<String> names = new ArrayList<>();
    for (String part : text.split(",")) {
      String name = part.trim();
      if (name.isEmpty()) {
        continue;
      }
      if (!allowed.contains(name)) {
        throw new ParameterException(unknown + " '" + name + "' in '" + text + "'; known: "
            + String.join(", ", allowed));
      }
      names.add(name);
    }
    return names;
  }

  /** One uniform value in [0, 1) per sample, {@code [n]}. */
  static Operand<TFloat32> uniform(Ops tf, RandomSource random, Operand<TFloat32> x) {
    return random.uniform(batchSize(tf, x));
  }

  /** One standard normal value per sample, {@code [n]}. */
  static Operand<TFloat32> normal(Ops tf, RandomSource random, Operand<TFloat32> x) {
    return random.normal(batchSize(tf, x));
  }

  /** One integer per sample drawn uniformly from {@code from} to {@code to}, both included, {@code [n]}. */
  static Operand<TInt32> integers(Ops tf, RandomSource random, Operand<TFloat32> x, int from, int to) {
    Operand<TFloat32> u = uniform(tf, random, x);
    Operand<TFloat32> scaled = tf.math.floor(tf.math.mul(u, tf.constant((float) (to - from + 1))));
    // u < 1, but u * k may round up to k in float: keep the draw inside the range.
    Operand<TInt32> drawn = tf.math.minimum(tf.dtypes.cast(scaled, TInt32.class), tf.constant(to - from));
    return tf.math.add(drawn, tf.constant(from));
  }

  /** {@code value} where the sample's draw is below {@code p}, else {@code neutral}. */
  static Operand<TFloat32> withProbability(Ops tf, RandomSource random, Operand<TFloat32> x, Operand<TFloat32> p,
      Operand<TFloat32> value, float neutral) {
    Operand<TFloat32> chosen = tf.dtypes.cast(tf.math.less(uniform(tf, random, x), p), TFloat32.class);
    return tf.math.add(tf.math.mul(chosen, value),
        tf.math.mul(tf.math.sub(tf.constant(1f), chosen), tf.constant(neutral)));
  }

  /** Integer {@code value} where the sample's draw is below {@code p}, else 0. */
  static Operand<TInt32> withProbability(Ops tf, RandomSource random, Operand<TFloat32> x, Operand<TFloat32> p,
      Operand<TInt32> value) {
    Operand<TInt32> chosen = tf.dtypes.cast(tf.math.less(uniform(tf, random, x), p), TInt32.class);
    return tf.math.mul(chosen, value);
  }

  /** A per-sample value {@code [n]} shaped to broadcast over images, {@code [n, 1, 1, 1]}. */
  static Operand<TFloat32> perImage(Ops tf, Operand<TFloat32> values) {
    return tf.reshape(values, tf.constant(new int[] {-1, 1, 1, 1}));
  }

  /** Adds {@code delta} to every pixel of each sample. */
  static Operand<TFloat32> brightness(Ops tf, Operand<TFloat32> x, Operand<TFloat32> delta) {
    return tf.math.add(x, perImage(tf, delta));
  }

  /** Scales each sample's distance from its channels' mean per pixel (colourfulness); the identity on one channel. */
  static Operand<TFloat32> saturation(Ops tf, Operand<TFloat32> x, Operand<TFloat32> factor) {
    Operand<TFloat32> mean = tf.math.mean(x, tf.constant(3), Mean.keepDims(true));
    return tf.math.add(tf.math.mul(tf.math.sub(x, mean), perImage(tf, factor)), mean);
  }

  /** Multiplies every pixel of each sample by {@code factor}: contrast about mid-grey, 0, as ADA's colour matrix has it. */
  static Operand<TFloat32> scale(Ops tf, Operand<TFloat32> x, Operand<TFloat32> factor) {
    return tf.math.mul(x, perImage(tf, factor));
  }

  /**
   * ADA's luma flip: each sample whose {@code flip} is 1 is reflected through the plane normal to
   * the grey axis (a Householder reflection), so each pixel's channel mean changes sign and its
   * colour relative to that mean stays; on one channel the image is negated.
   */
  static Operand<TFloat32> lumaFlip(Ops tf, Operand<TFloat32> x, Operand<TFloat32> flip) {
    Operand<TFloat32> grey = tf.math.mean(x, tf.constant(3), Mean.keepDims(true));
    return tf.math.sub(x, tf.math.mul(tf.math.mul(tf.constant(2f), perImage(tf, flip)), grey));
  }

  /**
   * ADA's hue rotation of RGB samples: each pixel's colour turned by {@code angle} radians about the
   * grey axis v = (1, 1, 1) / sqrt(3), by Rodrigues' formula x cos + (v x x) sin + v (v . x) (1 - cos);
   * a third of a turn sends red to green, green to blue and blue to red.
   */
  static Operand<TFloat32> hueRotation(Ops tf, Operand<TFloat32> x, Operand<TFloat32> angle) {
    if (x.shape().numDimensions() != 4 || x.shape().get(3) != 3) {
      throw new IllegalArgumentException("hue rotation needs RGB images [n, height, width, 3]; got " + x.shape());
    }
    float k = (float) (1 / Math.sqrt(3));
    // Row vectors (r, g, b) times this matrix are v x (r, g, b).
    Operand<TFloat32> cross = tf.reshape(tf.linalg.matMul(tf.reshape(x, tf.constant(new int[] {-1, 3})),
        tf.constant(new float[][] {{0, k, -k}, {-k, 0, k}, {k, -k, 0}})), staticShape(tf, x));
    Operand<TFloat32> cos = perImage(tf, tf.math.cos(angle));
    Operand<TFloat32> grey = tf.math.mean(x, tf.constant(3), Mean.keepDims(true));
    return tf.math.add(tf.math.add(tf.math.mul(x, cos), tf.math.mul(cross, perImage(tf, tf.math.sin(angle)))),
        tf.math.mul(grey, tf.math.sub(tf.constant(1f), cos)));
  }

  /** Scales each sample's distance from its mean over all pixels and channels. */
  static Operand<TFloat32> contrast(Ops tf, Operand<TFloat32> x, Operand<TFloat32> factor) {
    Operand<TFloat32> mean = tf.math.mean(x, tf.constant(new int[] {1, 2, 3}), Mean.keepDims(true));
    return tf.math.add(tf.math.mul(tf.math.sub(x, mean), perImage(tf, factor)), mean);
  }

  /**
   * Shifts each sample by whole pixels, {@code dy} down and {@code dx} right, filling with zeros as
   * DiffAugment does: a product with shifted identity matrices, so the gradient is the shift back.
   */
  static Operand<TFloat32> translate(Ops tf, Operand<TFloat32> x, int height, int width, int channels,
      Operand<TInt32> dy, Operand<TInt32> dx) {
    Operand<TFloat32> rows = shiftRows(tf, x, height, width * channels, dy);
    Operand<TFloat32> columnsFirst = tf.linalg.transpose(rows, tf.constant(new int[] {0, 2, 1, 3}));
    Operand<TFloat32> shifted = shiftRows(tf, columnsFirst, width, height * channels, dx);
    return tf.linalg.transpose(shifted, tf.constant(new int[] {0, 2, 1, 3}));
  }

  /** Row i of each sample becomes row i - shift (zeros where that is outside), for {@code [n, rows, ...]}. */
  private static Operand<TFloat32> shiftRows(Ops tf, Operand<TFloat32> x, int rows, int rest, Operand<TInt32> shift) {
    Operand<TInt32> source = tf.math.sub(tf.reshape(tf.range(tf.constant(0), tf.constant(rows), tf.constant(1)),
        tf.constant(new int[] {1, rows})), tf.reshape(shift, tf.constant(new int[] {-1, 1})));
    // one_hot of an index outside [0, rows) is a row of zeros: the padding.
    Operand<TFloat32> matrices = tf.oneHot(source, tf.constant(rows), tf.constant(1f), tf.constant(0f));
    Operand<TFloat32> flat = tf.reshape(x, tf.constant(new int[] {-1, rows, rest}));
    Operand<TFloat32> moved = tf.train.batchMatMul(matrices, flat, TFloat32.class);
    return tf.reshape(moved, tf.shape(x));
  }

  /**
   * Zeroes a rectangle of each sample: rows {@code top} to {@code top + size - 1} and the same
   * columns from {@code left}, clipped to the image (a size of 0 changes nothing).
   */
  static Operand<TFloat32> cutout(Ops tf, Operand<TFloat32> x, int height, int width, Operand<TInt32> top,
      Operand<TInt32> left, Operand<TInt32> sizeY, Operand<TInt32> sizeX) {
    Operand<TFloat32> inRows = inside(tf, height, top, sizeY);
    Operand<TFloat32> inColumns = inside(tf, width, left, sizeX);
    Operand<TFloat32> hole = tf.math.mul(tf.reshape(inRows, tf.constant(new int[] {-1, height, 1, 1})),
        tf.reshape(inColumns, tf.constant(new int[] {-1, 1, width, 1})));
    return tf.math.mul(x, tf.math.sub(tf.constant(1f), hole));
  }

  /** 1 where index i of {@code [0, length)} lies in {@code [start, start + size)}, per sample: {@code [n, length]}. */
  private static Operand<TFloat32> inside(Ops tf, int length, Operand<TInt32> start, Operand<TInt32> size) {
    Operand<TInt32> index = tf.reshape(tf.range(tf.constant(0), tf.constant(length), tf.constant(1)),
        tf.constant(new int[] {1, length}));
    Operand<TInt32> from = tf.reshape(start, tf.constant(new int[] {-1, 1}));
    Operand<TInt32> to = tf.math.add(from, tf.reshape(size, tf.constant(new int[] {-1, 1})));
    return tf.dtypes.cast(tf.math.logicalAnd(tf.math.greaterEqual(index, from), tf.math.less(index, to)),
        TFloat32.class);
  }

  /** Mirrors the samples whose {@code flip} is 1 left to right (flip is 0 or 1 per sample). */
  static Operand<TFloat32> flipX(Ops tf, Operand<TFloat32> x, Operand<TFloat32> flip) {
    return blend(tf, List.of(x, tf.reverse(x, tf.constant(new int[] {2}))),
        List.of(tf.math.sub(tf.constant(1f), flip), flip));
  }

  /** Rotates each (square) sample by {@code quarters} times 90 degrees, 0 to 3. */
  static Operand<TFloat32> rotate90(Ops tf, Operand<TFloat32> x, Operand<TInt32> quarters) {
    Operand<TFloat32> once = quarterTurn(tf, x);
    Operand<TFloat32> twice = quarterTurn(tf, once);
    Operand<TFloat32> thrice = quarterTurn(tf, twice);
    Operand<TFloat32> weights = tf.oneHot(quarters, tf.constant(4), tf.constant(1f), tf.constant(0f));
    List<Operand<TFloat32>> columns = new ArrayList<>();
    for (int k = 0; k < 4; k++) {
      columns.add(tf.reshape(tf.slice(weights, tf.constant(new int[] {0, k}), tf.constant(new int[] {-1, 1})),
          tf.constant(new int[] {-1})));
    }
    return blend(tf, List.of(x, once, twice, thrice), columns);
  }

  /** A quarter turn counter-clockwise: transpose, then mirror top to bottom. */
  private static Operand<TFloat32> quarterTurn(Ops tf, Operand<TFloat32> x) {
    return tf.reverse(tf.linalg.transpose(x, tf.constant(new int[] {0, 2, 1, 3})), tf.constant(new int[] {1}));
  }

  /**
   * Each sample moved by an affine map: {@code linear} is its 2x2 part per sample ({@code [n]}
   * each of a00, a01, a10, a11, acting on pixel coordinates about the image's centre, x to the
   * right and y down), then a translation by {@code (tx, ty)} pixels. The quarter turn nearest to
   * the map's rotation is made exactly ({@link #rotate90}, square images only); what remains, a
   * rotation within 45 degrees with the scaling and translation, is resampled bilinearly in two
   * one-dimensional passes (Catmull and Smith 1980), columns then rows, the edges reflected as ADA
   * pads them. Each pass is a product with per-line interpolation matrices, so the gradient to the
   * images is exact; the matrices take {@code n * side^3} floats.
   */
  static Operand<TFloat32> affine(Ops tf, Operand<TFloat32> x, int height, int width, List<Operand<TFloat32>> linear,
      Operand<TFloat32> tx, Operand<TFloat32> ty) {
    Operand<TFloat32> a00 = linear.get(0);
    Operand<TFloat32> a01 = linear.get(1);
    Operand<TFloat32> a10 = linear.get(2);
    Operand<TFloat32> a11 = linear.get(3);
    if (height == width) {
      // rotate90(q) is the rotation by -q quarter turns; take the q nearest to the map's own angle.
      Operand<TFloat32> angle = tf.math.atan2(tf.math.sub(a10, a01), tf.math.add(a00, a11));
      Operand<TFloat32> turns = tf.math.round(tf.math.div(angle, tf.constant((float) (Math.PI / 2))));
      Operand<TInt32> q = tf.math.floorMod(tf.math.neg(tf.dtypes.cast(turns, TInt32.class)), tf.constant(4));
      x = rotate90(tf, x, q);
      // What is left: linear * R(q quarter turns), R(t) = [[cos t, -sin t], [sin t, cos t]].
      Operand<TFloat32> t = tf.math.mul(tf.dtypes.cast(q, TFloat32.class), tf.constant((float) (Math.PI / 2)));
      Operand<TFloat32> c = tf.math.cos(t);
      Operand<TFloat32> s = tf.math.sin(t);
      Operand<TFloat32> r00 = tf.math.add(tf.math.mul(a00, c), tf.math.mul(a01, s));
      Operand<TFloat32> r01 = tf.math.sub(tf.math.mul(a01, c), tf.math.mul(a00, s));
      Operand<TFloat32> r10 = tf.math.add(tf.math.mul(a10, c), tf.math.mul(a11, s));
      Operand<TFloat32> r11 = tf.math.sub(tf.math.mul(a11, c), tf.math.mul(a10, s));
      a00 = r00;
      a01 = r01;
      a10 = r10;
      a11 = r11;
    }
    // The inverse map, from an output pixel to where it samples the input: p = M (p' - t).
    Operand<TFloat32> det = tf.math.sub(tf.math.mul(a00, a11), tf.math.mul(a01, a10));
    Operand<TFloat32> m00 = tf.math.div(a11, det);
    Operand<TFloat32> m01 = tf.math.neg(tf.math.div(a01, det));
    Operand<TFloat32> m10 = tf.math.neg(tf.math.div(a10, det));
    Operand<TFloat32> m11 = tf.math.div(a00, det);
    Operand<TFloat32> t0 = tf.math.neg(tf.math.add(tf.math.mul(m00, tx), tf.math.mul(m01, ty)));
    Operand<TFloat32> t1 = tf.math.neg(tf.math.add(tf.math.mul(m10, tx), tf.math.mul(m11, ty)));
    // Columns first: T(x, y') = in(x, v(x, y')) with v chosen so that the rows' pass lands on
    // in(u, v) where u = m00 x' + m01 y' + t0 (m00 is far from 0 once the rotation is within 45 degrees).
    Operand<TFloat32> slope = tf.math.div(m10, m00);
    Operand<TFloat32> columnSources = line(tf, slope, tf.math.sub(m11, tf.math.mul(slope, m01)),
        tf.math.sub(t1, tf.math.mul(slope, t0)), width, height);
    Operand<TInt32> swap = tf.constant(new int[] {0, 2, 1, 3});
    Operand<TFloat32> columns = tf.linalg.transpose(resample(tf, tf.linalg.transpose(x, swap), columnSources, height),
        swap);
    Operand<TFloat32> rowSources = line(tf, m01, m00, t0, height, width);
    return resample(tf, columns, rowSources, width);
  }

  /**
   * Source coordinates {@code [n, lines, length]} in pixels from the first: for line i and
   * position j (both about the centre) {@code perLine * i + along * j + offset}, per sample.
   */
  private static Operand<TFloat32> line(Ops tf, Operand<TFloat32> perLine, Operand<TFloat32> along,
      Operand<TFloat32> offset, int lines, int length) {
    Operand<TFloat32> i = centred(tf, lines, new int[] {1, lines, 1});
    Operand<TFloat32> j = centred(tf, length, new int[] {1, 1, length});
    int[] perSample = {-1, 1, 1};
    Operand<TFloat32> centredSource = tf.math.add(tf.math.add(
        tf.math.mul(tf.reshape(perLine, tf.constant(perSample)), i),
        tf.math.mul(tf.reshape(along, tf.constant(perSample)), j)), tf.reshape(offset, tf.constant(perSample)));
    return tf.math.add(centredSource, tf.constant((length - 1) / 2f));
  }

  /** 0 to size - 1 about their middle, shaped as asked. */
  private static Operand<TFloat32> centred(Ops tf, int size, int[] shape) {
    float[] values = new float[size];
    for (int k = 0; k < size; k++) {
      values[k] = k - (size - 1) / 2f;
    }
    return tf.reshape(tf.constant(values), tf.constant(shape));
  }

  /**
   * Bilinear resampling along the third axis of {@code x} ({@code [n, lines, length, channels]}):
   * output position j of line i reads the input at {@code sources[n, i, j]}, reflected into the
   * line at its ends.
   */
  private static Operand<TFloat32> resample(Ops tf, Operand<TFloat32> x, Operand<TFloat32> sources, int length) {
    Operand<TFloat32> last = tf.constant((float) (length - 1));
    Operand<TFloat32> folded = tf.math.floorMod(sources, tf.constant(2f * (length - 1)));
    Operand<TFloat32> reflected = tf.math.sub(last, tf.math.abs(tf.math.sub(folded, last)));
    float[] indices = new float[length];
    for (int k = 0; k < length; k++) {
      indices[k] = k;
    }
    Operand<TFloat32> positions = tf.reshape(tf.constant(indices), tf.constant(new int[] {1, 1, 1, length}));
    Operand<TFloat32> weights = tf.nn.relu(tf.math.sub(tf.constant(1f),
        tf.math.abs(tf.math.sub(tf.expandDims(reflected, tf.constant(3)), positions))));
    return tf.train.batchMatMul(weights, x, TFloat32.class);
  }

  /** The sum of {@code images[k]} weighted per sample by {@code weights[k]} ({@code [n]} each). */
  private static Operand<TFloat32> blend(Ops tf, List<Operand<TFloat32>> images, List<Operand<TFloat32>> weights) {
    Operand<TFloat32> sum = null;
    for (int k = 0; k < images.size(); k++) {
      Operand<TFloat32> term = tf.math.mul(images.get(k), perImage(tf, weights.get(k)));
      sum = sum == null ? term : tf.math.add(sum, term);
    }
    return sum;
  }
}
