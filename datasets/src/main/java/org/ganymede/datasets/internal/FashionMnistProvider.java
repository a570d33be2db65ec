package org.ganymede.datasets.internal;

import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.ganymede.api.Dataset;
import org.ganymede.api.DatasetProvider;
import org.ganymede.api.ParameterException;
import org.ganymede.api.Parameters;
import org.ganymede.api.Plugins;
import org.osgi.service.component.annotations.Component;

/**
 * Fashion-MNIST: 28x28 grayscale pictures of clothing in 10 classes. The 10,000-image test split
 * is embedded in the bundle; the 60,000-image train split comes from a folder.
 */
@Component(
    service = DatasetProvider.class,
    property = {
      Plugins.NAME + "=fashion-mnist",
      Plugins.CONDITIONS + "=class",
      Plugins.DESCRIPTION + "=Fashion-MNIST, 28x28 grayscale clothing in 10 classes (test split embedded)"
    })
public final class FashionMnistProvider implements DatasetProvider {

  @Override
  public Dataset open(Parameters parameters, long seed) throws IOException {
    int resolution = FashionMnistSplit.resolution(parameters);
    return selected(parameters).dataset(resolution);
  }

  /**
   * The samples this dataset holds: the split the parameters name ({@code split}, {@code path}),
   * cut to the {@code classes} and the {@code limit_per_class} they give. Shared with the datasets
   * that make more of Fashion-MNIST, so that they select as this one does.
   */
  static FashionMnistSplit selected(Parameters parameters) throws IOException {
    Set<Integer> classes = classes(parameters);
    int perClass = parameters.intInRange("limit_per_class", 0, 0, Integer.MAX_VALUE);
    FashionMnistSplit split = FashionMnistSplit.read(parameters);
    FashionMnistSplit selected = classes == null ? split : split.select(classes);
    return perClass == 0 ? selected : selected.firstOfEachClass(perClass);
  }

  /**
   * The class ids to keep, or null for all. Parameters has no getter for lists, so the raw value
   * is read after {@link Parameters#has}, which marks the key as known.
   */
  private static Set<Integer> classes(Parameters parameters) {
    if (!parameters.has("classes")) {
      return null;
    }
    Object value = parameters.asMap().get("classes");
    List<?> items = value instanceof List<?> list ? list : Collections.singletonList(value);
    String allowed = "; allowed: a list of class ids from 0 to " + (FashionMnistClasses.COUNT - 1)
        + " or their names (" + FashionMnistClasses.allowed() + ")";
    if (items.isEmpty()) {
      throw new ParameterException(parameters.owner() + ": 'classes' is empty" + allowed);
    }
    Set<Integer> ids = new TreeSet<>();
    for (Object item : items) {
      int id = item instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
          ? FashionMnistClasses.parse(Long.toString(n.longValue()))
          : item instanceof String s ? FashionMnistClasses.parse(s) : -1;
      if (id < 0) {
        throw new ParameterException(parameters.owner() + ": 'classes' contains '" + item + "'" + allowed);
      }
      ids.add(id);
    }
    return ids;
  }
}
