package org.ganymede.metrics.internal;

import java.util.SplittableRandom;

/** Sample sets for the metrics' tests, drawn here with plain Java so the metrics' own code is not the oracle. */
final class Gaussians {
  private Gaussians() {}

  /** {@code n} draws of N(0, I) in {@code width} dimensions. */
  static float[][] standard(int n, int width, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[][] rows = new float[n][width];
    for (float[] row : rows) {
      for (int j = 0; j < width; j++) {
        row[j] = (float) random.nextGaussian();
      }
    }
    return rows;
  }

  /** {@code rows} with {@code shift} added to every value. */
  static float[][] shifted(float[][] rows, double shift) {
    float[][] moved = new float[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      moved[i] = new float[rows[i].length];
      for (int j = 0; j < rows[i].length; j++) {
        moved[i][j] = (float) (rows[i][j] + shift);
      }
    }
    return moved;
  }

  /**
   * {@code n} rows whose sample mean is {@code mean} and whose sample covariance (N - 1) is
   * {@code covariance} up to float rounding: Gaussian draws are centred and whitened against their
   * own sample covariance, then coloured with the Cholesky factor of the target.
   */
  static float[][] withMoments(double[] mean, double[][] covariance, int n, long seed) {
    int d = mean.length;
    SplittableRandom random = new SplittableRandom(seed);
    double[][] z = new double[n][d];
    for (double[] row : z) {
      for (int j = 0; j < d; j++) {
        row[j] = random.nextGaussian();
      }
    }
    double[] zMean = new double[d];
    for (double[] row : z) {
      for (int j = 0; j < d; j++) {
        zMean[j] += row[j] / n;
      }
    }
    double[][] zCovariance = new double[d][d];
    for (double[] row : z) {
      for (int j = 0; j < d; j++) {
        row[j] -= zMean[j];
      }
      for (int a = 0; a < d; a++) {
        for (int b = 0; b < d; b++) {
          zCovariance[a][b] += row[a] * row[b] / (n - 1);
        }
      }
    }
    double[][] whitener = cholesky(zCovariance);
    double[][] colour = cholesky(covariance);
    float[][] rows = new float[n][d];
    for (int i = 0; i < n; i++) {
      double[] white = solveLower(whitener, z[i]);
      for (int a = 0; a < d; a++) {
        double v = mean[a];
        for (int b = 0; b <= a; b++) {
          v += colour[a][b] * white[b];
        }
        rows[i][a] = (float) v;
      }
    }
    return rows;
  }

  /** L with L L^T = m, for m symmetric positive definite. */
  static double[][] cholesky(double[][] m) {
    int d = m.length;
    double[][] l = new double[d][d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j <= i; j++) {
        double s = m[i][j];
        for (int k = 0; k < j; k++) {
          s -= l[i][k] * l[j][k];
        }
        l[i][j] = i == j ? Math.sqrt(s) : s / l[j][j];
      }
    }
    return l;
  }

  /** x with L x = b, for L lower triangular. */
  private static double[] solveLower(double[][] l, double[] b) {
    double[] x = new double[b.length];
    for (int i = 0; i < b.length; i++) {
      double s = b[i];
      for (int k = 0; k < i; k++) {
        s -= l[i][k] * x[k];
      }
      x[i] = s / l[i][i];
    }
    return x;
  }

  /** Each row followed by {@code zeros} values that are exactly 0. */
  static float[][] padded(float[][] rows, int zeros) {
    float[][] wider = new float[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      wider[i] = java.util.Arrays.copyOf(rows[i], rows[i].length + zeros);
    }
    return wider;
  }
}
