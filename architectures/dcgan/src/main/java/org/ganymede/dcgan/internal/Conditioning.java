package org.ganymede.dcgan.internal;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** How DCGAN sees the class of a labelled dataset, if at all. */
enum Conditioning {
  /** Unconditional: the labels are not read. */
  NONE,
  /** The classic conditional GAN: one-hot classes joined to the latent and as feature maps to the image. */
  CONCAT,
  /** Conditional batch norm in the generator, the projection discriminator (Miyato and Koyama 2018). */
  PROJECTION,
  /** The latent joined to the one-hot class; an auxiliary classifier head on the discriminator (Odena et al. 2017). */
  ACGAN;

  static final List<String> NAMES = Arrays.stream(values()).map(Conditioning::parameterValue).toList();

  static Conditioning of(String parameterValue) {
    return valueOf(parameterValue.toUpperCase(Locale.ROOT));
  }

  String parameterValue() {
    return name().toLowerCase(Locale.ROOT);
  }
}
