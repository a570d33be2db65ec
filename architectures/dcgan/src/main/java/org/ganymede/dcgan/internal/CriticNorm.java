package org.ganymede.dcgan.internal;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.ganymede.nn.Network;

/**
 * The normalisation between the discriminator's convolutions. Batch norm mixes the samples of a
 * batch, which breaks per-sample gradient penalties (WGAN-GP): those want layer norm or none.
 */
enum CriticNorm {
  BATCH,
  LAYER,
  NONE;

  static final List<String> NAMES =
      Arrays.stream(values()).map(CriticNorm::parameterValue).toList();

  static CriticNorm of(String parameterValue) {
    return valueOf(parameterValue.toUpperCase(Locale.ROOT));
  }

  String parameterValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Appends this normalisation of a feature map with {@code channels} channels. */
  Network.Builder appendTo(Network.Builder network, int channels) {
    return switch (this) {
      case BATCH -> network.batchNorm(channels);
      case LAYER -> network.layerNorm(channels);
      case NONE -> network;
    };
  }
}
