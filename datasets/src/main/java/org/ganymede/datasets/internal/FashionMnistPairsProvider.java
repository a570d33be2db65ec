package org.ganymede.datasets.internal;

import java.io.IOException;
import java.util.List;
import org.ganymede.api.Dataset;
import org.ganymede.api.DatasetProvider;
import org.ganymede.api.ParameterException;
import org.ganymede.api.Parameters;
import org.ganymede.api.Plugins;
import org.osgi.service.component.annotations.Component;

/**
 * Fashion-MNIST, selected as the {@code fashion-mnist} dataset selects it, as pairs of a condition
 * computed from each picture (its edge map, a low-resolution or a masked version) and the picture,
 * labelled with its class. {@code part} keeps the last {@code held_out} samples apart, so that the
 * embedded test split alone can train on some pairs and measure on others: {@code train} is all but
 * those, {@code held-out} those alone. The order is the split's order in its file, in which the
 * classes are mixed, so both parts hold every class.
 */
@Component(
    service = DatasetProvider.class,
    property = {
      Plugins.NAME + "=fashion-mnist-pairs",
      Plugins.CONDITIONS + "=class",
      Plugins.CONDITIONS + "=image",
      Plugins.DESCRIPTION + "=Fashion-MNIST as pairs: edge maps, low-resolution or masked pictures and the pictures,"
          + " labelled (test split embedded)"
    })
public final class FashionMnistPairsProvider implements DatasetProvider {
  static final String ALL = "all";
  static final String TRAIN = "train";
  static final String HELD_OUT = "held-out";
  static final List<String> PARTS = List.of(ALL, TRAIN, HELD_OUT);
  /** A tenth of the embedded split: enough pairs to measure on, nine tenths left to train on. */
  static final int DEFAULT_HELD_OUT = 1000;

  @Override
  public Dataset open(Parameters parameters, long seed) throws IOException {
    int resolution = FashionMnistSplit.resolution(parameters);
    Pairing pairing = Pairing.read(parameters, resolution, resolution);
    String part = parameters.choice("part", ALL, PARTS);
    int heldOut = part.equals(ALL) ? 0 : parameters.intInRange("held_out", DEFAULT_HELD_OUT, 1, Integer.MAX_VALUE);
    FashionMnistSplit selected = FashionMnistProvider.selected(parameters);
    return DerivedPairs.of(part(parameters, selected, part, heldOut).dataset(resolution), pairing, seed);
  }

  private static FashionMnistSplit part(Parameters parameters, FashionMnistSplit selected, String part, int heldOut) {
    if (part.equals(ALL)) {
      return selected;
    }
    int count = selected.count();
    if (heldOut >= count) {
      throw new ParameterException(parameters.owner() + ": 'held_out' is " + heldOut + " but the data hold " + count
          + (count == 1 ? " sample, too few to hold any out; allowed: part all" : " samples; allowed: 1 to "
              + (count - 1) + ", so that both parts keep samples"));
    }
    int training = count - heldOut;
    return part.equals(TRAIN)
        ? selected.range(0, training, "training part: the first " + training + " in file order, the last " + heldOut
            + " held out")
        : selected.range(training, count, "held-out part: the last " + heldOut + " in file order");
  }
}
