package org.ganymede.datasets.internal;

import java.util.Objects;
import java.util.SplittableRandom;
import org.ganymede.api.DataSpec;
import org.ganymede.api.Dataset;

/**
 * Square images cut to {@code size} x {@code size} on read: training draws get a random window and,
 * if asked, a random horizontal flip (the CycleGAN reference's augmentation) and colour jitter; plain reads, for
 * evaluation and translation, get the centre window unflipped. The randomness of a draw follows
 * from the seed, the domain and the draw alone, so a resumed run sees what an uninterrupted one
 * would. Unlabelled. Immutable, so reads are thread-safe.
 */
final class AugmentedImageDataset implements Dataset {
  private final String origin;
  private final SquareImages images;
  private final int size;
  private final boolean flip;
  private final ColorJitter jitter;
  private final long stream;
  private final DataSpec spec;

  /**
   * @param origin what the images are, for {@link #describe()} (e.g. {@code image folder horses})
   * @param size the side of a sample, at most that of the images
   * @param seed the run's seed
   * @param domain 0 for domain A or data of one domain, 1 for domain B, so that the two differ
   */
  AugmentedImageDataset(String origin, SquareImages images, int size, boolean flip, ColorJitter jitter, long seed,
      int domain) {
    if (size > images.side()) {
      throw new IllegalArgumentException("size " + size + " is larger than the images, " + images.side());
    }
    this.origin = origin;
    this.images = images;
    this.size = size;
    this.flip = flip;
    this.jitter = jitter;
    this.stream = mix(mix(seed) + domain);
    this.spec = DataSpec.image(size, size, images.channels(), 0);
  }

  @Override
  public DataSpec spec() {
    return spec;
  }

  @Override
  public int size() {
    return images.count();
  }

  @Override
  public void read(int index, float[] target, int offset) {
    int centre = (images.side() - size) / 2;
    copy(index, centre, centre, false, target, offset);
  }

  @Override
  public void read(int index, long draw, float[] target, int offset) {
    // SplittableRandom mixes its seed, so consecutive draws get unrelated numbers.
    SplittableRandom random = new SplittableRandom(stream + draw);
    int top = random.nextInt(images.side() - size + 1);
    int left = random.nextInt(images.side() - size + 1);
    copy(index, top, left, flip && random.nextBoolean(), target, offset);
    if (!jitter.isNone()) {
      jitter.apply(target, offset, size * size, images.channels(), random);
    }
  }

  private void copy(int index, int top, int left, boolean mirrored, float[] target, int offset) {
    Objects.checkIndex(index, images.count());
    byte[] pixels = images.pixels();
    int channels = images.channels();
    int sourceRow = images.side() * channels;
    int rowLength = size * channels;
    for (int row = 0; row < size; row++) {
      int source = index * images.imageSize() + (top + row) * sourceRow + left * channels;
      int destination = offset + row * rowLength;
      for (int column = 0; column < size; column++) {
        int from = source + (mirrored ? size - 1 - column : column) * channels;
        for (int c = 0; c < channels; c++) {
          target[destination + column * channels + c] = PixelValues.of(pixels[from + c]);
        }
      }
    }
  }

  @Override
  public int label(int index) {
    Objects.checkIndex(index, images.count());
    return -1;
  }

  @Override
  public String describe() {
    return origin + ": " + size() + " images loaded at " + images.side() + "x" + images.side() + ", random "
        + size + "x" + size + " crops" + (flip ? " and horizontal flips" : "") + (jitter.isNone() ? "" : ", " + jitter)
        + ", " + spec;
  }

  /** SplittableRandom's finaliser (Stafford's mix 13): neighbouring inputs give unrelated outputs. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
