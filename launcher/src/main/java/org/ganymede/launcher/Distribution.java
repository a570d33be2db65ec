package org.ganymede.launcher;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The folders of an installed Ganymede: {@code bundles/} (the runtime every run needs),
 * {@code plugins/} (architectures, losses, datasets, metrics; drop third-party bundles here),
 * {@code shell/} (the Gogo shell and FileInstall) and {@code lib/} (the host's class path).
 */
record Distribution(Path home) {
  static final String HOME_PROPERTY = "ganymede.home";

  /** The distribution this launcher runs from: {@code -Dganymede.home}, else the folder above its jar's {@code lib/}. */
  static Distribution current() {
    String configured = System.getProperty(HOME_PROPERTY);
    if (configured != null) {
      return new Distribution(Path.of(configured).toAbsolutePath());
    }
    try {
      Path jar = Path.of(Distribution.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return new Distribution(jar.getParent().getParent());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot tell where Ganymede is installed; set -D" + HOME_PROPERTY, e);
    }
  }

  Path bundles() {
    return home.resolve("bundles");
  }

  Path plugins() {
    return home.resolve("plugins");
  }

  /** The Gogo shell and FileInstall, for {@code ganymede shell} only. */
  List<Path> shellBundles() throws IOException {
    return jars(home.resolve("shell"));
  }

  /** Apache Felix HTTP and what it needs, and the dashboard, for {@code ganymede dashboard} only. */
  List<Path> dashboardBundles() throws IOException {
    return jars(home.resolve("dashboard"));
  }

  /** The host's class path jars: TensorFlow Java, its natives, ndarray, JavaCPP, protobuf and Ganymede's API. */
  List<Path> hostJars() throws IOException {
    return jars(home.resolve("lib/host"));
  }

  /** The Karaf features repository of these bundles. */
  Path karafFeatures() {
    return home.resolve("karaf/features.xml");
  }

  List<Path> runtimeBundles() throws IOException {
    return jars(bundles());
  }

  List<Path> pluginBundles() throws IOException {
    return jars(plugins());
  }

  private static List<Path> jars(Path folder) throws IOException {
    if (!Files.isDirectory(folder)) {
      throw new IOException(folder + " does not exist: the distribution is incomplete (run ./ganymede from a built checkout)");
    }
    List<Path> result = new ArrayList<>();
    try (Stream<Path> s = Files.list(folder)) {
      s.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(result::add);
    }
    return result;
  }
}
