package org.ganymede.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * The packages the host's class path exports into the framework: TensorFlow Java, its natives'
 * Java side, JavaCPP, protobuf, ndarray, TensorFlow's optimizers and Ganymede's API. TensorFlow's
 * JNI library binds to one class loader per JVM, so these live on the class path and bundles
 * import them. The list is read from the jars themselves, each package with its real version.
 */
final class HostPackages {
  /** One class from each jar the host provides: where it was loaded from is the jar. */
  static final List<String> MARKERS = List.of(
      "org.tensorflow.Graph",
      "org.tensorflow.internal.c_api.global.tensorflow",
      "org.tensorflow.ndarray.NdArray",
      "org.bytedeco.javacpp.Loader",
      "com.google.protobuf.Message",
      "org.ganymede.api.Architecture");

  private HostPackages() {}

  /** The value of {@code org.osgi.framework.system.packages.extra} for the jars the markers come from. */
  static String systemPackagesExtra() throws IOException {
    Set<String> exports = new TreeSet<>();
    for (Path location : locations()) {
      exports.addAll(exports(location));
    }
    return String.join(",", exports);
  }

  /** Where each marker class was loaded from: a jar, or a classes folder when run from a build. */
  static List<Path> locations() {
    Set<Path> result = new LinkedHashSet<>();
    for (String marker : MARKERS) {
      try {
        Class<?> type = Class.forName(marker, false, HostPackages.class.getClassLoader());
        result.add(Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()));
      } catch (ClassNotFoundException | URISyntaxException e) {
        throw new IllegalStateException("the class path lacks " + marker + ": the distribution is incomplete", e);
      }
    }
    return new ArrayList<>(result);
  }

  /** A bundle's own Export-Package, or every package of a plain jar at the jar's Maven version. */
  static List<String> exports(Path location) throws IOException {
    Manifest manifest = manifest(location);
    String declared = manifest == null ? null : manifest.getMainAttributes().getValue("Export-Package");
    if (declared != null) {
      return splitClauses(declared);
    }
    String version = osgiVersion(mavenVersion(location));
    List<String> result = new ArrayList<>();
    for (String pkg : packages(location)) {
      result.add(version == null ? pkg : pkg + ";version=\"" + version + "\"");
    }
    return result;
  }

  private static Set<String> packages(Path location) throws IOException {
    Set<String> packages = new TreeSet<>();
    if (Files.isDirectory(location)) {
      try (Stream<Path> files = Files.walk(location)) {
        files.filter(f -> f.toString().endsWith(".class")).forEach(f -> {
          Path parent = location.relativize(f).getParent();
          if (parent != null) {
            packages.add(parent.toString().replace('/', '.'));
          }
        });
      }
    } else {
      try (JarFile jar = new JarFile(location.toFile())) {
        for (JarEntry e : java.util.Collections.list(jar.entries())) {
          String name = e.getName();
          int slash = name.lastIndexOf('/');
          if (name.endsWith(".class") && slash > 0 && !name.startsWith("META-INF/")) {
            packages.add(name.substring(0, slash).replace('/', '.'));
          }
        }
      }
    }
    return packages;
  }

  private static Manifest manifest(Path location) throws IOException {
    if (Files.isDirectory(location)) {
      Path mf = location.resolve("META-INF/MANIFEST.MF");
      if (!Files.exists(mf)) {
        return null;
      }
      try (InputStream in = Files.newInputStream(mf)) {
        return new Manifest(in);
      }
    }
    try (JarFile jar = new JarFile(location.toFile())) {
      Manifest m = jar.getManifest();
      return m != null && m.getMainAttributes().containsKey(new Attributes.Name("Bundle-SymbolicName")) ? m : null;
    }
  }

  private static String mavenVersion(Path location) throws IOException {
    if (Files.isDirectory(location)) {
      return null;
    }
    try (JarFile jar = new JarFile(location.toFile())) {
      for (JarEntry e : java.util.Collections.list(jar.entries())) {
        if (e.getName().startsWith("META-INF/maven/") && e.getName().endsWith("/pom.properties")) {
          Properties p = new Properties();
          try (InputStream in = jar.getInputStream(e)) {
            p.load(in);
          }
          return p.getProperty("version");
        }
      }
    }
    return null;
  }

  /** 1.1.0 stays; 3.21.9 stays; 1.0.0-SNAPSHOT becomes 1.0.0.SNAPSHOT. */
  static String osgiVersion(String maven) {
    if (maven == null) {
      return null;
    }
    String[] parts = maven.split("[.-]", 4);
    StringBuilder v = new StringBuilder();
    for (int i = 0; i < 3; i++) {
      String p = i < parts.length && parts[i].matches("\\d+") ? parts[i] : "0";
      v.append(i == 0 ? "" : ".").append(Integer.parseInt(p));
    }
    int numeric = 0;
    while (numeric < parts.length && numeric < 3 && parts[numeric].matches("\\d+")) {
      numeric++;
    }
    String rest = maven.substring(Math.min(maven.length(), String.join(".", java.util.Arrays.copyOf(parts, numeric)).length()));
    rest = rest.replaceFirst("^[.-]", "").replaceAll("[^A-Za-z0-9_-]", "_");
    return rest.isEmpty() ? v.toString() : v + "." + rest;
  }

  /** Splits a manifest header at the commas that are not inside quotes. */
  static List<String> splitClauses(String header) {
    List<String> clauses = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean quoted = false;
    for (char c : header.toCharArray()) {
      if (c == '"') {
        quoted = !quoted;
      }
      if (c == ',' && !quoted) {
        clauses.add(current.toString().trim());
        current.setLength(0);
      } else {
        current.append(c);
      }
    }
    if (current.length() > 0) {
      clauses.add(current.toString().trim());
    }
    return clauses;
  }
}
