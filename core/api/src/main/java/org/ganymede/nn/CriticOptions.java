package org.ganymede.nn;

import org.ganymede.api.ParameterException;
import org.ganymede.api.Parameters;

/**
 * Discriminator options any architecture built on {@link MlpLayout} or {@link DcganLayout} takes,
 * against mode collapse: the discriminator judges samples together instead of one by one.
 *
 * @param packing PacGAN's degree m (Lin et al. 2018): the discriminator judges m samples at once,
 *     concatenated along the features (channels for images); 1 for none
 * @param minibatchKernels minibatch discrimination's B (Salimans et al. 2016): features each
 *     sample gets from its closeness to the others of its batch, before the last layer; 0 for none
 * @param minibatchKernelSize the C of each of those B kernels
 * @param minibatchStddev StyleGAN's minibatch standard deviation as one more feature map before
 *     the last convolution stage's flattening (feature maps only)
 * @since 1.5
 */
public record CriticOptions(int packing, int minibatchKernels, int minibatchKernelSize, boolean minibatchStddev) {
  /** A discriminator that judges one sample at a time. */
  public static final CriticOptions NONE = new CriticOptions(1, 0, 5, false);

  public CriticOptions {
    if (packing < 1 || minibatchKernels < 0 || minibatchKernelSize < 1) {
      throw new IllegalArgumentException("packing " + packing + ", minibatch kernels " + minibatchKernels + " of size "
          + minibatchKernelSize);
    }
  }

  /**
   * Reads {@code packing} (1), {@code minibatch_kernels} (0), {@code minibatch_kernel_size} (5)
   * and {@code minibatch_stddev} (false).
   *
   * @param batchSize the training batch, which the packing degree must divide
   */
  public static CriticOptions read(Parameters parameters, int batchSize) {
    int packing = parameters.intInRange("packing", 1, 1, 64);
    if (batchSize % packing != 0) {
      throw new ParameterException(parameters.owner() + ": packing " + packing + " does not divide the batch of "
          + batchSize + "; the discriminator judges the batch in groups of " + packing + ", so choose a divisor of "
          + batchSize + " (such as 2 or 4) or another batch");
    }
    return new CriticOptions(packing,
        parameters.intInRange("minibatch_kernels", 0, 0, 4096),
        parameters.intInRange("minibatch_kernel_size", 5, 1, 1024),
        parameters.booleanValue("minibatch_stddev", false));
  }

  /** Whether the discriminator judges one sample at a time. */
  public boolean isNone() {
    return packing == 1 && minibatchKernels == 0 && !minibatchStddev;
  }
}
