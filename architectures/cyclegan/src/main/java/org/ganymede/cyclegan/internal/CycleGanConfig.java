package org.ganymede.cyclegan.internal;

import java.util.List;
import org.ganymede.api.DataSpec;
import org.ganymede.api.ParameterException;
import org.ganymede.api.Parameters;
import org.ganymede.nn.ImageToImageLayout;
import org.ganymede.nn.Network;
import org.tensorflow.op.Ops;

/**
 * The parameters of one CycleGAN and the two domains it is built for (see
 * {@link CycleGanArchitecture} for what each means).
 *
 * @param size side of the square images of both domains
 * @param channelsA channels of domain A
 * @param channelsB channels of domain B
 * @param generator {@code resnet} or {@code unet}
 * @param blocks residual blocks of the ResNet generator
 * @param ngf channels of the generators' first layer
 * @param ndf channels of the discriminators' first layer
 * @param discriminatorLayers stride-2 layers of the PatchGAN discriminators
 * @param lambdaCycle weight of the cycle-consistency losses
 * @param lambdaIdentity weight of the identity losses as a fraction of {@code lambdaCycle}; 0 for none
 * @param poolSize past fakes each discriminator's image pool holds; 0 for none
 */
record CycleGanConfig(
    int size,
    int channelsA,
    int channelsB,
    String generator,
    int blocks,
    int ngf,
    int ndf,
    int discriminatorLayers,
    double lambdaCycle,
    double lambdaIdentity,
    int poolSize) {
  static final String RESNET = "resnet";
  static final String UNET = "unet";
  static final List<String> GENERATORS = List.of(RESNET, UNET);
  static final int MAX_POOL_SIZE = 1000;

  /**
   * @param a the sample shape of domain A
   * @param b the sample shape of domain B
   * @throws ParameterException when a parameter is out of range or the domains do not fit
   */
  static CycleGanConfig of(DataSpec a, DataSpec b, Parameters p) {
    if (!a.isImage() || !b.isImage()) {
      throw new ParameterException(p.owner() + " translates images; domain A is " + a + ", domain B is " + b);
    }
    if (a.height() != a.width() || b.height() != b.width()) {
      throw new ParameterException(p.owner() + " needs square images; domain A is " + a + ", domain B is " + b);
    }
    if (a.height() != b.height()) {
      throw new ParameterException(p.owner() + " needs domains A and B of the same size; A is " + a + ", B is " + b
          + " (the channels may differ)");
    }
    int size = a.height();
    String generator = p.choice("generator", RESNET, GENERATORS);
    int blocks = p.intInRange("blocks", CycleGanNetworks.defaultBlocks(size), 0, 64);
    if (generator.equals(UNET) && p.asMap().containsKey("blocks")) {
      throw new ParameterException(p.owner() + ": 'blocks' counts the residual blocks of the resnet generator; the"
          + " unet generator has none: remove it or choose generator: resnet");
    }
    requireGeneratorSize(generator, size, p.owner());
    int ngf = p.intInRange("ngf", 64, 1, 1024);
    int ndf = p.intInRange("ndf", 64, 1, 1024);
    int layers = p.intInRange("discriminator_layers", 3, 1, 16);
    int maxLayers = ImageToImageLayout.maxPatchLayers(size);
    if (maxLayers == 0) {
      throw new ParameterException(p.owner() + ": images of " + size + " px are too small for the PatchGAN"
          + " discriminator, which needs at least 6 px");
    }
    if (layers > maxLayers) {
      throw new ParameterException(p.owner() + ": 'discriminator_layers' is " + layers + ", which leaves no patch"
          + " to judge at " + size + " px; allowed: 1 to " + maxLayers);
    }
    double lambdaCycle = p.nonNegative("lambda_cycle", 10);
    double lambdaIdentity = p.nonNegative("lambda_identity", 0.5);
    if (lambdaIdentity > 0 && a.channels() != b.channels()) {
      throw new ParameterException(p.owner() + ": 'lambda_identity' is " + lambdaIdentity + ", but the identity loss"
          + " feeds images of each domain to the generator of the other, and A has " + a.channels()
          + " channel(s), B " + b.channels() + "; set lambda_identity: 0");
    }
    int poolSize = p.intInRange("pool_size", 50, 0, MAX_POOL_SIZE);
    return new CycleGanConfig(size, a.channels(), b.channels(), generator, blocks, ngf, ndf, layers, lambdaCycle,
        lambdaIdentity, poolSize);
  }

  /** Whether the generators are also trained to leave images of their target domain unchanged. */
  boolean identityLoss() {
    return lambdaIdentity > 0 && lambdaCycle > 0;
  }

  /** A generator from images of {@code in} channels to images of {@code out} channels. */
  Network generator(Ops tf, long seed, int in, int out) {
    return generator.equals(RESNET)
        ? CycleGanNetworks.resnetGenerator(tf, seed, size, in, out, ngf, blocks)
        : CycleGanNetworks.unetGenerator(tf, seed, size, in, out, ngf, ImageToImageLayout.unetDownsFor(size));
  }

  /** A PatchGAN discriminator of images of {@code channels} channels. */
  Network discriminator(Ops tf, long seed, int channels) {
    return CycleGanNetworks.patchDiscriminator(tf, seed, channels, ndf, discriminatorLayers);
  }

  private static void requireGeneratorSize(String generator, int size, String owner) {
    if (generator.equals(RESNET) && size % 4 != 0) {
      throw new ParameterException(owner + ": the resnet generator halves the side twice and needs a side divisible"
          + " by 4; the images are " + size + " px");
    }
    if (generator.equals(UNET) && (size < 1 << ImageToImageLayout.UNET_MIN_DOWNS || Integer.bitCount(size) != 1)) {
      throw new ParameterException(owner + ": the unet generator needs a power of two of at least "
          + (1 << ImageToImageLayout.UNET_MIN_DOWNS) + " px; the images are " + size + " px");
    }
  }
}
