package org.ganymede.api;

import java.io.IOException;

/** Opens a dataset from the parameters an experiment gives it. A service with a {@code name}. */
public interface DatasetProvider {
  /**
   * @param parameters the experiment's parameters for this dataset; read them with the typed getters
   * @param seed the run's seed, for datasets that are generated
   * @throws IOException when the data cannot be read; the message names the file and what is wrong
   */
  Dataset open(Parameters parameters, long seed) throws IOException;
}
