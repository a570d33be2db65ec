package org.ganymede.metrics.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.IntStream;
import org.ganymede.api.Metric;
import org.ganymede.api.Parameters;
import org.ganymede.api.Plugins;
import org.osgi.service.component.annotations.Component;

/**
 * The structural similarity (SSIM, Wang et al. 2004) of each output of an image-conditioned run
 * against its target, as the authors' MATLAB {@code ssim_index} computes it (not their later
 * {@code ssim}, which first downsamples images whose shorter side is 384 pixels or more): local means,
 * variances and the covariance weighted by an 11x11 Gaussian window of sigma 1.5 (population
 * statistics, not sample ones), K1 = 0.01, K2 = 0.03 and a data range of 2 on the [-1, 1] scale, so
 * C1 = (0.02)^2 and C2 = (0.06)^2.
 *
 * <p>The SSIM map covers only the positions where the whole window lies inside the image (no
 * padding), so an H x W image gives an (H - 10) x (W - 10) map and its mean is the channel's SSIM.
 * This is also scikit-image's {@code structural_similarity} with {@code gaussian_weights=True,
 * sigma=1.5, use_sample_covariance=False, data_range=2}: it filters with reflected borders, then
 * crops the window's radius of 5 from every side of the map, which leaves exactly those positions.
 * The channels' SSIM are averaged, then the pairs': {@code ssim}.
 *
 * <p>Parameter {@code border} (0) crops that many pixels from each side of both images first, as
 * super-resolution papers do. Images, once cropped, must be at least as large as the window.
 */
@Component(
    service = Metric.class,
    property = {
      Plugins.NAME + "=ssim",
      Plugins.DESCRIPTION + "=Structural similarity (SSIM) of each output against its target: 11x11 Gaussian"
          + " window, sigma 1.5, as Wang et al. 2004 and scikit-image, averaged over the pairs of an"
          + " image-conditioned run"
    })
public final class StructuralSimilarity implements Metric {
  private static final String METRIC = "SSIM";
  static final int RADIUS = 5;
  static final int WINDOW = 2 * RADIUS + 1;
  static final double SIGMA = 1.5;
  static final double K1 = 0.01;
  static final double K2 = 0.03;
  /** The peak-to-peak range of images on the [-1, 1] scale. */
  static final double DATA_RANGE = 2;
  private static final double C1 = (K1 * DATA_RANGE) * (K1 * DATA_RANGE);
  private static final double C2 = (K2 * DATA_RANGE) * (K2 * DATA_RANGE);
  /**
   * The window's 1-D weights, normalised to sum to 1. The 2-D window is their outer product, so the
   * images are filtered along rows, then along columns.
   */
  private static final double[] WEIGHTS = gaussianWeights();

  @Override
  public Input input() {
    return Input.PAIRED_SAMPLES;
  }

  @Override
  public Map<String, Double> compute(MetricSamples samples, Parameters parameters) {
    PairedRows.Region region = PairedRows.region(METRIC, samples, parameters);
    if (region.croppedHeight() < WINDOW || region.croppedWidth() < WINDOW) {
      throw new IllegalArgumentException(METRIC + " with its " + WINDOW + "x" + WINDOW + " Gaussian window needs"
          + " images of at least " + WINDOW + "x" + WINDOW + " pixels; got " + region.describe());
    }
    float[][] outputs = samples.generated();
    float[][] targets = samples.real();
    // Pairs are independent; each keeps its place, so the sum below is the same however they are run.
    double[] pairs = new double[outputs.length];
    IntStream.range(0, outputs.length).parallel().forEach(i -> pairs[i] = ssim(outputs[i], targets[i], region));
    double sum = 0;
    for (double pair : pairs) {
      sum += pair;
    }
    Map<String, Double> values = new LinkedHashMap<>();
    values.put("ssim", sum / pairs.length);
    return values;
  }

  /** The mean over the channels of their mean SSIM over the valid positions. */
  static double ssim(float[] output, float[] target, PairedRows.Region region) {
    int height = region.croppedHeight();
    int width = region.croppedWidth();
    double[] x = new double[height * width];
    double[] y = new double[height * width];
    double sum = 0;
    for (int c = 0; c < region.channels(); c++) {
      for (int row = 0; row < height; row++) {
        for (int column = 0; column < width; column++) {
          int i = region.index(row, column, c);
          x[row * width + column] = output[i];
          y[row * width + column] = target[i];
        }
      }
      sum += channelSsim(x, y, height, width);
    }
    return sum / region.channels();
  }

  private static double channelSsim(double[] x, double[] y, int height, int width) {
    int mapHeight = height - WINDOW + 1;
    int mapWidth = width - WINDOW + 1;
    // Window sums of x, y, x^2, y^2 and xy along each row, then down each column of those.
    double[][] rows = new double[5][height * mapWidth];
    for (int row = 0; row < height; row++) {
      for (int column = 0; column < mapWidth; column++) {
        double mx = 0;
        double my = 0;
        double mxx = 0;
        double myy = 0;
        double mxy = 0;
        for (int k = 0; k < WINDOW; k++) {
          double w = WEIGHTS[k];
          double a = x[row * width + column + k];
          double b = y[row * width + column + k];
          mx += w * a;
          my += w * b;
          mxx += w * (a * a);
          myy += w * (b * b);
          mxy += w * (a * b);
        }
        int at = row * mapWidth + column;
        rows[0][at] = mx;
        rows[1][at] = my;
        rows[2][at] = mxx;
        rows[3][at] = myy;
        rows[4][at] = mxy;
      }
    }
    double sum = 0;
    for (int row = 0; row < mapHeight; row++) {
      for (int column = 0; column < mapWidth; column++) {
        double ux = 0;
        double uy = 0;
        double uxx = 0;
        double uyy = 0;
        double uxy = 0;
        for (int k = 0; k < WINDOW; k++) {
          double w = WEIGHTS[k];
          int at = (row + k) * mapWidth + column;
          ux += w * rows[0][at];
          uy += w * rows[1][at];
          uxx += w * rows[2][at];
          uyy += w * rows[3][at];
          uxy += w * rows[4][at];
        }
        double vx = uxx - ux * ux;
        double vy = uyy - uy * uy;
        double vxy = uxy - ux * uy;
        // Written as scikit-image writes it, so that identical images give exactly 1.
        double a1 = 2 * ux * uy + C1;
        double a2 = 2 * vxy + C2;
        double b1 = ux * ux + uy * uy + C1;
        double b2 = vx + vy + C2;
        sum += (a1 * a2) / (b1 * b2);
      }
    }
    return sum / ((long) mapHeight * mapWidth);
  }

  /** exp(-k^2 / (2 sigma^2)) for k from -5 to 5, divided by their sum. */
  private static double[] gaussianWeights() {
    double[] weights = new double[WINDOW];
    double sum = 0;
    for (int k = -RADIUS; k <= RADIUS; k++) {
      weights[k + RADIUS] = Math.exp(-0.5 * k * k / (SIGMA * SIGMA));
      sum += weights[k + RADIUS];
    }
    for (int k = 0; k < WINDOW; k++) {
      weights[k] /= sum;
    }
    return weights;
  }
}
