package org.ganymede.api;

/**
 * A GAN family. Builds its networks and objectives into the context's graph. A service with a
 * {@code name}.
 */
public interface Architecture {
  /**
   * @throws ParameterException when a parameter is wrong or the data do not fit the architecture
   */
  GanModel build(ModelContext context);
}
