package org.ganymede.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.ganymede.api.ParameterException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * Prepares an Apache Karaf for Ganymede's features repository. What the host must provide goes
 * where Karaf wants it: the host jars (TensorFlow Java, Ganymede's API) in {@code lib/boot}, on
 * Karaf's class path; their packages appended to Karaf's own {@code
 * org.osgi.framework.system.packages.extra} in {@code etc/custom.properties} (that file may not
 * refer to the property's earlier value, so Karaf's list is copied); the features' bundles and the
 * repository itself in Karaf's {@code system/} repository, so installing needs neither Maven nor the
 * network for Ganymede's parts. Running it again replaces what it wrote before.
 */
final class KarafSetup {
  static final String PACKAGES = "org.osgi.framework.system.packages.extra";
  static final String BEGIN = "# ganymede: begin (written by 'ganymede karaf'; run it again after updating Ganymede)";
  static final String END = "# ganymede: end";
  private static final String CLASS_PATH_NOTE = "# ganymede class path: ";

  /** What was written: the repository's URL for {@code feature:repo-add}, and how many jars went where. */
  record Result(String repository, int classPathJars, int bundles) {}

  private KarafSetup() {}

  static Result prepare(Distribution distribution, Path karaf) throws IOException {
    Path config = karaf.resolve("etc/config.properties");
    if (!Files.isRegularFile(config) || !Files.isDirectory(karaf.resolve("lib/boot"))) {
      throw new ParameterException(karaf.toAbsolutePath() + " is not an Apache Karaf folder (it has no etc/config.properties "
          + "and lib/boot/): give the folder Karaf was unpacked to, the one that holds bin/karaf");
    }
    Path custom = karaf.resolve("etc/custom.properties");
    String written = Files.exists(custom) ? Files.readString(custom) : "";
    String own = withoutOurBlock(written);

    List<String> classPath = new ArrayList<>();
    removeJarsWeCopied(karaf, written);
    for (Path jar : distribution.hostJars()) {
      Files.copy(jar, karaf.resolve("lib/boot").resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      classPath.add(jar.getFileName().toString());
    }

    String karafPackages = load(own).getProperty(PACKAGES, load(Files.readString(config)).getProperty(PACKAGES, ""));
    List<String> packages = new ArrayList<>(HostPackages.splitClauses(karafPackages));
    packages.removeIf(String::isEmpty);
    packages.addAll(HostPackages.splitClauses(HostPackages.systemPackagesExtra()));
    StringBuilder block = new StringBuilder(own.isEmpty() || own.endsWith("\n") ? "" : "\n")
        .append(BEGIN).append('\n')
        .append(CLASS_PATH_NOTE).append(String.join(" ", classPath)).append('\n')
        .append(PACKAGES).append(" = \\\n");
    for (int i = 0; i < packages.size(); i++) {
      block.append("    ").append(packages.get(i).replace("\"", "\\\"")).append(i + 1 < packages.size() ? ", \\\n" : "\n");
    }
    block.append(END).append('\n');
    writeAtomically(custom, own + block);

    Document features = parse(distribution.karafFeatures());
    int bundles = 0;
    NodeList entries = features.getElementsByTagNameNS("*", "bundle");
    for (int i = 0; i < entries.getLength(); i++) {
      MavenCoordinates bundle = MavenCoordinates.parse(entries.item(i).getTextContent().trim());
      Path target = karaf.resolve("system").resolve(bundle.repositoryPath());
      Files.createDirectories(target.getParent());
      Files.copy(jarInDistribution(distribution, bundle.fileName()), target, StandardCopyOption.REPLACE_EXISTING);
      bundles++;
    }
    String version = features.getDocumentElement().getAttribute("name").substring("ganymede-".length());
    MavenCoordinates repository = new MavenCoordinates("org.ganymede", "ganymede-launcher", version, "xml", "features");
    Path target = karaf.resolve("system").resolve(repository.repositoryPath());
    Files.createDirectories(target.getParent());
    Files.copy(distribution.karafFeatures(), target, StandardCopyOption.REPLACE_EXISTING);
    return new Result(repository.url(), classPath.size(), bundles);
  }

  /** The file's text without the block an earlier run wrote. */
  static String withoutOurBlock(String text) {
    int begin = text.indexOf(BEGIN);
    if (begin < 0) {
      return text;
    }
    int end = text.indexOf(END, begin);
    if (end < 0) {
      throw new ParameterException("etc/custom.properties has the line '" + BEGIN + "' without its '" + END
          + "': restore the file or remove the part from that line on, then run again");
    }
    return text.substring(0, begin) + text.substring(Math.min(text.length(), end + END.length() + 1));
  }

  /** An update renames the host jars (a new version in the name): the old ones must not stay on the class path. */
  private static void removeJarsWeCopied(Path karaf, String custom) throws IOException {
    for (String line : custom.split("\n")) {
      if (line.startsWith(CLASS_PATH_NOTE)) {
        for (String name : line.substring(CLASS_PATH_NOTE.length()).trim().split(" ")) {
          if (!name.isEmpty() && !name.contains("/")) {
            Files.deleteIfExists(karaf.resolve("lib/boot").resolve(name));
          }
        }
      }
    }
  }

  private static Path jarInDistribution(Distribution distribution, String fileName) throws IOException {
    for (String folder : List.of("bundles", "plugins", "dashboard")) {
      Path jar = distribution.home().resolve(folder).resolve(fileName);
      if (Files.exists(jar)) {
        return jar;
      }
    }
    throw new IOException("the features repository names " + fileName + ", which the distribution at "
        + distribution.home() + " does not have: rebuild it (mvn -B install)");
  }

  private static Properties load(String text) throws IOException {
    Properties properties = new Properties();
    properties.load(new StringReader(text));
    return properties;
  }

  private static Document parse(Path xml) throws IOException {
    try (InputStream in = Files.newInputStream(xml)) {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setNamespaceAware(true);
      return factory.newDocumentBuilder().parse(in);
    } catch (ParserConfigurationException | SAXException e) {
      throw new IOException(xml + " is not a readable features repository: " + e.getMessage(), e);
    }
  }

  private static void writeAtomically(Path file, String text) throws IOException {
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
    Files.writeString(tmp, text, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** A Maven artifact as Karaf's {@code mvn:} URLs name it: group/artifact/version[/type[/classifier]]. */
  record MavenCoordinates(String group, String artifact, String version, String type, String classifier) {
    static MavenCoordinates parse(String url) {
      String[] parts = url.startsWith("mvn:") ? url.substring(4).split("/") : new String[0];
      if (parts.length < 3 || parts.length > 5) {
        throw new ParameterException("'" + url + "' is not a mvn:GROUP/ARTIFACT/VERSION[/TYPE[/CLASSIFIER]] URL");
      }
      return new MavenCoordinates(parts[0], parts[1], parts[2], parts.length > 3 ? parts[3] : "jar",
          parts.length > 4 ? parts[4] : "");
    }

    String fileName() {
      return artifact + "-" + version + (classifier.isEmpty() ? "" : "-" + classifier) + "." + type;
    }

    /** Where a Maven repository keeps it. */
    String repositoryPath() {
      return group.replace('.', '/') + "/" + artifact + "/" + version + "/" + fileName();
    }

    String url() {
      return "mvn:" + group + "/" + artifact + "/" + version + "/" + type + (classifier.isEmpty() ? "" : "/" + classifier);
    }
  }
}
