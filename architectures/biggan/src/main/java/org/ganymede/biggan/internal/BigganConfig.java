package org.ganymede.biggan.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.ganymede.api.DataSpec;
import org.ganymede.api.ParameterException;
import org.ganymede.api.Parameters;

/**
 * The parameters of one BigGAN model and the image geometry it is built for. The widths are
 * StudioGAN's {@code big_resnet} tables, in multiples of {@code channels}.
 *
 * @param size side of the square images, 32 or 64
 * @param imageChannels 1 (grey) or 3 (RGB)
 * @param channels the width multiplier of both networks (StudioGAN's g_conv_dim and d_conv_dim)
 * @param latentSize size of z, split into {@link #chunks()} equal chunks
 * @param embeddingSize size of the generator's shared class embedding
 * @param attentionResolution side of the feature maps both networks attend over, 0 for none
 * @param orthogonal weight of the generator's orthogonal regularisation, 0 for none
 * @param emaBeta share of itself the moving average of the generator keeps each step
 */
record BigganConfig(
    int size,
    int imageChannels,
    int channels,
    int latentSize,
    int embeddingSize,
    int attentionResolution,
    double orthogonal,
    double emaBeta) {
  /** The generator's first feature maps, 4x4, as in the reference at every size. */
  static final int BOTTOM = 4;
  private static final String ALLOWED = "square images of 32 or 64 px with 1 or 3 channels";

  /**
   * @throws ParameterException when a parameter is out of range or the data are not images this
   *     architecture is built for
   */
  static BigganConfig of(DataSpec data, Parameters p) {
    if (!data.isImage() || data.height() != data.width() || (data.height() != 32 && data.height() != 64)
        || (data.channels() != 1 && data.channels() != 3)) {
      throw new ParameterException(p.owner() + " needs " + ALLOWED + "; the data are " + data);
    }
    int size = data.height();
    int channels = p.intInRange("channels", 32, 1, 1024);
    int latent = p.intInRange("latent_size", 80, 1, 4096);
    int chunks = generatorBlocks(size) + 1;
    if (latent % chunks != 0) {
      int lower = latent / chunks * chunks;
      throw new ParameterException(p.owner() + ": 'latent_size' is " + latent + "; at " + size + " px it must be"
          + " divisible by " + chunks + ", the number of latent chunks (one for the first layer, one per residual"
          + " block): " + (lower == 0 ? "" : lower + " or ") + (lower + chunks) + ", say");
    }
    int embedding = p.intInRange("embedding_size", 128, 1, 4096);
    Set<Integer> allowed = attentionResolutions(size);
    int attention = p.intValue("attention_resolution", size / 2);
    if (attention != 0 && !allowed.contains(attention)) {
      throw new ParameterException(p.owner() + ": 'attention_resolution' is " + attention + "; allowed at " + size
          + " px: 0 (none), " + allowed.stream().map(String::valueOf).collect(Collectors.joining(", "))
          + " (the sides both networks have feature maps of)");
    }
    double orthogonal = p.nonNegative("orthogonal", 0);
    double beta = p.nonNegative("ema_beta", 0.999);
    if (beta >= 1) {
      throw new ParameterException(p.owner() + ": 'ema_beta' is " + beta + "; allowed: 0 to less than 1");
    }
    return new BigganConfig(size, data.channels(), channels, latent, embedding, attention, orthogonal, beta);
  }

  /** Residual up-blocks from 4x4 to the image size. */
  int generatorBlocks() {
    return generatorBlocks(size);
  }

  /** One chunk of z for the first layer and one per residual block. */
  int chunks() {
    return generatorBlocks() + 1;
  }

  int chunkSize() {
    return latentSize / chunks();
  }

  /** What each conditional batch norm reads: the shared class embedding and its block's chunk of z. */
  int conditionSize() {
    return embeddingSize + chunkSize();
  }

  /** Input channels of each generator block. */
  List<Integer> generatorIn() {
    return size == 32 ? times(4, 4, 4) : times(16, 8, 4, 2);
  }

  /** Output channels of each generator block. */
  List<Integer> generatorOut() {
    return size == 32 ? times(4, 4, 4) : times(8, 4, 2, 1);
  }

  /** Input channels of each discriminator block: the image's, then the previous block's. */
  List<Integer> discriminatorIn() {
    List<Integer> in = new ArrayList<>(List.of(imageChannels));
    in.addAll(size == 32 ? times(2, 2, 2) : times(1, 2, 4, 8));
    return in;
  }

  /** Output channels of each discriminator block. */
  List<Integer> discriminatorOut() {
    return size == 32 ? times(2, 2, 2, 2) : times(1, 2, 4, 8, 16);
  }

  /** Whether each discriminator block halves the side: all but the last two at 32 px, the last at 64. */
  List<Boolean> discriminatorDownsamples() {
    return size == 32 ? List.of(true, true, false, false) : List.of(true, true, true, true, false);
  }

  private List<Integer> times(int... multiples) {
    List<Integer> widths = new ArrayList<>();
    for (int m : multiples) {
      widths.add(m * channels);
    }
    return widths;
  }

  private static int generatorBlocks(int size) {
    return Integer.numberOfTrailingZeros(size / BOTTOM);
  }

  /**
   * The sides at which both networks have a block's output, the places attention may follow:
   * the generator's blocks put out 8 to the image side, the discriminator's half the side down to 8
   * (32 px) or 4 (64 px).
   */
  static Set<Integer> attentionResolutions(int size) {
    Set<Integer> sides = new LinkedHashSet<>();
    for (int side = 8; side < size; side *= 2) {
      sides.add(side);
    }
    return sides;
  }
}
