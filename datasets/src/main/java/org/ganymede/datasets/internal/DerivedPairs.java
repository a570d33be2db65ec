package org.ganymede.datasets.internal;

import java.util.List;
import java.util.SplittableRandom;
import org.ganymede.api.DataSpec;
import org.ganymede.api.Dataset;

/**
 * Turns a dataset of image targets into pairs whose conditions are computed from the targets by a
 * {@link Pairing}. A condition is computed from its target as the same read returns it, with the
 * same index and draw, so whatever crop or flip the targets apply is the condition's by
 * construction. Where the pairing draws (the boxes that go missing), it draws from the seed and the
 * draw for training reads, and from the seed and the index for plain reads, so that evaluation
 * sees one fixed condition per sample and a resumed run the conditions an uninterrupted one would.
 */
final class DerivedPairs {
  /** Streams apart from those of {@link AugmentedImageDataset}'s domains 0 and 1, so masks and crops are unrelated. */
  private static final int DRAW_STREAM = 2;
  private static final int INDEX_STREAM = 3;

  private DerivedPairs() {}

  /**
   * {@code targets} paired with the conditions {@code pairing} computes from them. Closing the
   * pairs closes the targets.
   *
   * @param seed the run's seed
   */
  static PairedDataset of(Dataset targets, Pairing pairing, long seed) {
    return new PairedDataset(targets, new Conditions(targets, pairing, seed), pairing.kind());
  }

  /** The conditions: each read reads its target and computes from it. Holds nothing of its own. */
  private static final class Conditions implements Dataset {
    private final Dataset targets;
    private final Pairing pairing;
    private final DataSpec targetSpec;
    private final DataSpec spec;
    private final long drawStream;
    private final long indexStream;

    Conditions(Dataset targets, Pairing pairing, long seed) {
      this.targets = targets;
      this.pairing = pairing;
      this.targetSpec = targets.spec();
      if (!targetSpec.isImage()) {
        throw new IllegalArgumentException("conditions are computed from images, not from " + targetSpec);
      }
      this.spec = pairing.conditionSpec(targetSpec);
      this.drawStream = AugmentedImageDataset.mix(AugmentedImageDataset.mix(seed) + DRAW_STREAM);
      this.indexStream = AugmentedImageDataset.mix(AugmentedImageDataset.mix(seed) + INDEX_STREAM);
    }

    @Override
    public DataSpec spec() {
      return spec;
    }

    @Override
    public int size() {
      return targets.size();
    }

    @Override
    public void read(int index, float[] target, int offset) {
      float[] read = new float[targetSpec.sampleSize()];
      targets.read(index, read, 0);
      // SplittableRandom mixes its seed, so neighbouring indices get unrelated numbers.
      pairing.condition(read, targetSpec, new SplittableRandom(indexStream + index), target, offset);
    }

    @Override
    public void read(int index, long draw, float[] target, int offset) {
      float[] read = new float[targetSpec.sampleSize()];
      targets.read(index, draw, read, 0);
      pairing.condition(read, targetSpec, new SplittableRandom(drawStream + draw), target, offset);
    }

    @Override
    public int label(int index) {
      return targets.label(index);
    }

    @Override
    public List<String> classNames() {
      return targets.classNames();
    }

    @Override
    public String describe() {
      return pairing.describe() + " of each target, " + spec;
    }
  }
}
