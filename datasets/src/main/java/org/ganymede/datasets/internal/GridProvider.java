package org.ganymede.datasets.internal;

import org.ganymede.api.Dataset;
import org.ganymede.api.DatasetProvider;
import org.ganymede.api.Parameters;
import org.ganymede.api.Plugins;
import org.osgi.service.component.annotations.Component;

/** 25 Gaussians on a 5x5 grid, labelled with their mode. */
@Component(
    service = DatasetProvider.class,
    property = {
      Plugins.NAME + "=grid",
      Plugins.CONDITIONS + "=class",
      Plugins.DESCRIPTION + "=25 Gaussians on a 5x5 grid at {-4,-2,0,2,4}^2, 2-D points labelled by mode"
    })
public final class GridProvider implements DatasetProvider {
  static final double DEFAULT_STDDEV = 0.05;

  @Override
  public Dataset open(Parameters parameters, long seed) {
    double stddev = parameters.positive("stddev", DEFAULT_STDDEV);
    int size = MixtureSize.read(parameters);
    return GaussianMixture.grid(stddev).sample(size, seed);
  }
}
