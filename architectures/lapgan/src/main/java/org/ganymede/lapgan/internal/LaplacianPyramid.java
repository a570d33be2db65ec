package org.ganymede.lapgan.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.UnaryOperator;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.image.ResizeBilinear;
import org.tensorflow.types.TFloat32;

/**
 * The Laplacian pyramid of square NHWC images (Burt and Adelson 1983) as LAPGAN uses it: an image
 * I_k is its coarser image I_{k+1} = down(I_k) and the band-pass residual h_k = I_k - up(I_{k+1}),
 * so that up(I_{k+1}) + h_k gives I_k back exactly (up to float rounding). {@code down} averages
 * 2x2 blocks; {@code up} doubles the side bilinearly with half-pixel centres, so that a pixel's
 * four children are centred on it. Both are linear and have first-order gradients in
 * TensorFlow's registry (the bilinear one has no second-order gradient, which a gradient penalty
 * through it would need); LAPGAN needs neither, since every level trains on the pyramid of real
 * images and no gradient passes through a resampling.
 */
final class LaplacianPyramid {
  private static final List<Long> BLOCK = List.of(1L, 2L, 2L, 1L);

  private LaplacianPyramid() {}

  /**
   * One level of the pyramid.
   *
   * @param side the level's height and width
   * @param coarse the coarser image up-sampled to this level, l_k = up(I_{k+1})
   * @param residual the band-pass residual, h_k = I_k - l_k
   */
  record Band(int side, Operand<TFloat32> coarse, Operand<TFloat32> residual) {}

  /**
   * An image as its coarsest level and the residuals that refine it.
   *
   * @param coarsest the image down-sampled by 2 as often as there are bands
   * @param bands coarse to fine: the first refines {@code coarsest}, the last gives the image
   */
  record Decomposition(Operand<TFloat32> coarsest, List<Band> bands) {
    Decomposition {
      bands = List.copyOf(bands);
    }
  }

  /** Halves the side: the mean of each 2x2 block. */
  static Operand<TFloat32> down(Ops tf, Operand<TFloat32> images) {
    return tf.nn.avgPool(images, BLOCK, BLOCK, "VALID");
  }

  /** Doubles the side, bilinearly with half-pixel centres. */
  static Operand<TFloat32> up(Ops tf, Operand<TFloat32> images) {
    int side = (int) images.shape().get(1);
    return tf.image.resizeBilinear(images, tf.constant(new int[] {2 * side, 2 * side}),
        ResizeBilinear.halfPixelCenters(true));
  }

  /** Up-samples until the side is {@code side}: a coarse level shown at the size of the finest. */
  static Operand<TFloat32> enlarge(Ops tf, Operand<TFloat32> images, int side) {
    Operand<TFloat32> x = images;
    while (x.shape().get(1) < side) {
      x = up(tf, x);
    }
    return x;
  }

  /** The pyramid of {@code images} with {@code levels} band-pass levels above the coarsest image. */
  static Decomposition decompose(Ops tf, Operand<TFloat32> images, int levels) {
    List<Band> fineToCoarse = new ArrayList<>();
    Operand<TFloat32> image = images;
    for (int level = 0; level < levels; level++) {
      Operand<TFloat32> coarser = down(tf, image);
      Operand<TFloat32> coarse = up(tf, coarser);
      fineToCoarse.add(new Band((int) image.shape().get(1), coarse, tf.math.sub(image, coarse)));
      image = coarser;
    }
    Collections.reverse(fineToCoarse);
    return new Decomposition(image, fineToCoarse);
  }

  /**
   * The images of every level, coarsest first, rebuilt from the coarsest: I_k = l_k + h_k with
   * l_k = up(I_{k+1}).
   *
   * @param residuals for each band, coarse to fine, its residual h_k given l_k: a decomposition's
   *     own residuals ignore l_k, LAPGAN's generators make h_k from it
   */
  static List<Operand<TFloat32>> reconstruct(
      Ops tf, Operand<TFloat32> coarsest, List<UnaryOperator<Operand<TFloat32>>> residuals) {
    List<Operand<TFloat32>> images = new ArrayList<>(List.of(coarsest));
    for (UnaryOperator<Operand<TFloat32>> residual : residuals) {
      Operand<TFloat32> coarse = up(tf, images.get(images.size() - 1));
      images.add(tf.math.add(coarse, residual.apply(coarse)));
    }
    return images;
  }
}
