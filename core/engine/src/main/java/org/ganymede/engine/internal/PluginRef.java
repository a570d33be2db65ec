package org.ganymede.engine.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import org.ganymede.api.Parameters;

/**
 * A plug-in chosen in an experiment file: {@code loss: hinge} or
 * {@code architecture: {name: dcgan, base_width: 32}}. Keys besides {@code name} are the plug-in's parameters.
 */
record PluginRef(String kind, String name, Map<String, Object> parameters) {
  PluginRef {
    parameters = Map.copyOf(parameters);
  }

  /** Fresh parameters for one build: they remember which keys the plug-in read. */
  Parameters newParameters() {
    return new Parameters(kind + " '" + name + "'", new LinkedHashMap<>(parameters));
  }
}
