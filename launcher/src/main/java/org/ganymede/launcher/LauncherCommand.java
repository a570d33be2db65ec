package org.ganymede.launcher;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/** The command line that runs this launcher again in a new process: the same Java, JVM options, class path and home. */
final class LauncherCommand {
  private LauncherCommand() {}

  static List<String> of(List<String> arguments) {
    List<String> line = new ArrayList<>();
    line.add(ProcessHandle.current().info().command().orElse("java"));
    line.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    String home = System.getProperty(Distribution.HOME_PROPERTY);
    if (home != null) {
      line.add("-D" + Distribution.HOME_PROPERTY + "=" + home);
    }
    line.add("-cp");
    line.add(System.getProperty("java.class.path"));
    line.add(Main.class.getName());
    line.addAll(arguments);
    return line;
  }
}
