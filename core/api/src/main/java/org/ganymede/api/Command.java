package org.ganymede.api;

import java.io.PrintStream;
import java.util.List;

/**
 * A command a bundle adds to the command line ({@code ganymede NAME ARGUMENTS...}). A service with
 * a {@code name} and a {@code description}; the launcher lists it and passes it the arguments that
 * follow its name.
 */
public interface Command {
  /**
   * @param arguments what followed the command's name
   * @param out where results go
   * @param err where problems and usage go
   * @return the exit status: 0 for success, 2 for bad arguments
   */
  int run(List<String> arguments, PrintStream out, PrintStream err) throws Exception;
}
