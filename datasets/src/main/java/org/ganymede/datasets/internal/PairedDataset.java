package org.ganymede.datasets.internal;

import java.util.List;
import java.util.Optional;
import org.ganymede.api.DataSpec;
import org.ganymede.api.Dataset;

/**
 * Paired data: reads as its targets and offers the conditions, sample for sample, as its
 * condition images. The two read alike for the same index and draw, which is what keeps a crop or
 * flip the same on both sides of a pair. Closing it closes both.
 */
final class PairedDataset implements Dataset {
  private final Dataset targets;
  private final Dataset conditions;
  private final ConditionImages conditionImages;

  /**
   * @param conditions as many as the targets, labelled as they are
   * @param kind what the conditions are, one of {@link org.ganymede.api.Condition.Images#KINDS}
   */
  PairedDataset(Dataset targets, Dataset conditions, String kind) {
    if (targets.size() != conditions.size()) {
      throw new IllegalArgumentException(targets.size() + " targets but " + conditions.size() + " conditions");
    }
    this.targets = targets;
    this.conditions = conditions;
    this.conditionImages = new ConditionImages(conditions, kind);
  }

  @Override
  public DataSpec spec() {
    return targets.spec();
  }

  @Override
  public int size() {
    return targets.size();
  }

  @Override
  public void read(int index, float[] target, int offset) {
    targets.read(index, target, offset);
  }

  @Override
  public void read(int index, long draw, float[] target, int offset) {
    targets.read(index, draw, target, offset);
  }

  @Override
  public Optional<ConditionImages> conditionImages() {
    return Optional.of(conditionImages);
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
    return targets.describe() + "; conditions: " + conditions.describe();
  }

  @Override
  public void close() {
    try {
      targets.close();
    } finally {
      conditions.close();
    }
  }
}
