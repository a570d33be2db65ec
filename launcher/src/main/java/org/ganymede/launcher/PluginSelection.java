package org.ganymede.launcher;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ganymede.api.ParameterException;

/**
 * Which plug-in bundles an experiment selects. A bundle is named by its symbolic name or, for
 * Ganymede's own, by the part after {@code org.ganymede.} ({@code dcgan}, {@code losses}).
 */
final class PluginSelection {
  private PluginSelection() {}

  static List<Path> choose(List<Path> available, List<String> selection) throws IOException {
    if (selection.isEmpty()) {
      return available;
    }
    Map<String, Path> byName = new LinkedHashMap<>();
    for (Path jar : available) {
      String bsn = GanymedeHost.symbolicName(jar);
      if (bsn != null) {
        byName.put(bsn, jar);
      }
    }
    List<Path> chosen = new ArrayList<>();
    for (String wanted : selection) {
      Path jar = byName.getOrDefault(wanted, byName.get("org.ganymede." + wanted));
      if (jar == null) {
        List<String> names = new ArrayList<>();
        for (String bsn : byName.keySet()) {
          names.add(bsn.startsWith("org.ganymede.") ? bsn.substring("org.ganymede.".length()) : bsn);
        }
        throw new ParameterException("the experiment selects bundle '" + wanted + "', which is not in the plugins folder; "
            + "available: " + String.join(", ", names));
      }
      chosen.add(jar);
    }
    return chosen;
  }
}
