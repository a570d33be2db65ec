package org.ganymede.datasets.internal;

import java.io.IOException;
import java.util.Set;
import org.ganymede.api.Dataset;
import org.ganymede.api.DatasetProvider;
import org.ganymede.api.ParameterException;
import org.ganymede.api.Parameters;
import org.ganymede.api.Plugins;
import org.osgi.service.component.annotations.Component;

/**
 * Two Fashion-MNIST classes as the unpaired domains of image translation (CycleGAN): by default
 * sneakers as domain A and ankle boots as domain B. Samples keep their class id as label.
 */
@Component(
    service = DatasetProvider.class,
    property = {
      Plugins.NAME + "=unpaired-fashion-mnist",
      Plugins.DESCRIPTION + "=Two Fashion-MNIST classes as unpaired domains A and B (default sneaker <-> ankle-boot)"
    })
public final class UnpairedFashionMnistProvider implements DatasetProvider {

  @Override
  public Dataset open(Parameters parameters, long seed) throws IOException {
    int a = domainClass(parameters, "a", FashionMnistClasses.SNEAKER);
    int b = domainClass(parameters, "b", FashionMnistClasses.ANKLE_BOOT);
    int resolution = FashionMnistSplit.resolution(parameters);
    if (a == b) {
      throw new ParameterException(parameters.owner() + ": 'a' and 'b' are both class "
          + FashionMnistClasses.describe(a) + ", which would put every image in both domains; allowed: two"
          + " different classes (" + FashionMnistClasses.allowed() + ")");
    }
    FashionMnistSplit split = FashionMnistSplit.read(parameters);
    return new UnpairedDataset(split.select(Set.of(a)).dataset(resolution),
        split.select(Set.of(b)).dataset(resolution));
  }

  private static int domainClass(Parameters parameters, String key, int fallback) {
    String value = parameters.stringValue(key, Integer.toString(fallback));
    int id = FashionMnistClasses.parse(value);
    if (id < 0) {
      throw new ParameterException(parameters.owner() + ": '" + key + "' is '" + value
          + "'; allowed: a class id or name (" + FashionMnistClasses.allowed() + ")");
    }
    return id;
  }
}
