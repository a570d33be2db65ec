package org.ganymede.cgan.internal;

import java.util.Map;
import org.ganymede.api.DataSpec;
import org.ganymede.api.ParameterException;

/**
 * The image sizes the conv form is built for, DCGAN's. Each stride-2 stage halves the side in the
 * discriminator and doubles it in the generator; the networks meet at {@code startSize x startSize}.
 *
 * @param size the side of the images in pixels
 * @param channels 1 (grey) or 3 (RGB)
 * @param stages the number of stride-2 (up)convolutions in each network
 */
record ImageGeometry(int size, int channels, int stages) {
  /** Side in pixels mapped to stages: 28 -> 14 -> 7, 32 -> ... -> 4, 64 -> ... -> 4. */
  private static final Map<Integer, Integer> STAGES_BY_SIZE = Map.of(28, 2, 32, 3, 64, 4);

  private static final String ALLOWED = "square images of 28, 32 or 64 px with 1 or 3 channels";

  /** Whether the conv form is built for the data. */
  static boolean fits(DataSpec data) {
    return data.isImage()
        && data.height() == data.width()
        && STAGES_BY_SIZE.containsKey(data.height())
        && (data.channels() == 1 || data.channels() == 3);
  }

  /**
   * @param owner names the architecture in the message
   * @throws ParameterException when the conv form is not built for the data
   */
  static ImageGeometry of(DataSpec data, String owner) {
    if (!fits(data)) {
      throw new ParameterException(owner + ": form 'conv' needs " + ALLOWED + " and the data are " + data
          + "; form 'mlp' takes vectors and images of any size");
    }
    return new ImageGeometry(data.height(), data.channels(), STAGES_BY_SIZE.get(data.height()));
  }

  /** The side of the smallest feature map, where the generator's dense layer ends. */
  int startSize() {
    return size >> stages;
  }
}
