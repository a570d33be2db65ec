package org.ganymede.datasets.internal;

import org.ganymede.api.Dataset;
import org.ganymede.api.DatasetProvider;
import org.ganymede.api.Parameters;
import org.ganymede.api.Plugins;
import org.osgi.service.component.annotations.Component;

/** 8 Gaussians on a circle, labelled with their mode. */
@Component(
    service = DatasetProvider.class,
    property = {
      Plugins.NAME + "=ring",
      Plugins.CONDITIONS + "=class",
      Plugins.DESCRIPTION + "=8 Gaussians evenly spaced on a circle, 2-D points labelled by mode"
    })
public final class RingProvider implements DatasetProvider {
  static final double DEFAULT_RADIUS = 2.0;
  static final double DEFAULT_STDDEV = 0.02;

  @Override
  public Dataset open(Parameters parameters, long seed) {
    double radius = parameters.positive("radius", DEFAULT_RADIUS);
    double stddev = parameters.positive("stddev", DEFAULT_STDDEV);
    int size = MixtureSize.read(parameters);
    return GaussianMixture.ring(radius, stddev).sample(size, seed);
  }
}
