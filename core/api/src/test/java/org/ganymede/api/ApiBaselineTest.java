package org.ganymede.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import aQute.bnd.differ.Baseline;
import aQute.bnd.differ.Baseline.Info;
import aQute.bnd.differ.DiffPluginImpl;
import aQute.bnd.osgi.Jar;
import aQute.bnd.osgi.Processor;
import aQute.bnd.version.Version;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The build's baseline check (bnd's baseline, run by bnd-baseline-maven-plugin against the last
 * release) seen at work on this API: an incompatible change to {@code org.ganymede.api} needs a
 * major version, a compatible one a minor version, and the check reports a package whose version
 * says less.
 */
class ApiBaselineTest {
  private static final Path CLASSES = Path.of("target/classes");
  private static final Path METRIC_SOURCE = Path.of("src/main/java/org/ganymede/api/Metric.java");

  @TempDir Path work;

  @Test
  void theApiAsBuiltMatchesItself() throws Exception {
    Info api = baseline(CLASSES, CLASSES, null);
    assertFalse(api.mismatch, api.reason);
    assertEquals(api.olderVersion, api.suggestedVersion);
  }

  /**
   * The API as built against the last released one, 2.4.0 (its jar kept as a test resource):
   * plug-ins built against 2.4 still resolve and link, and the version says a compatible minor step.
   */
  @Test
  void theApiIsACompatibleMinorStepFromTheLastRelease() throws Exception {
    Info api = baseline(Path.of("src/test/resources/baseline/ganymede-api-2.4.0.jar"), CLASSES, null);
    assertFalse(api.mismatch, api.reason);
    assertEquals(new Version(2, 4, 0), api.olderVersion);
    assertEquals(2, api.newerVersion.getMajor(), "no major bump: old plug-ins keep working");
    assertTrue(api.newerVersion.getMinor() > 4, "a compatible addition needs a minor bump: " + api.newerVersion);
  }

  @Test
  void removingAMethodWithoutAMajorBumpFails() throws Exception {
    Path changed = compileVariant(Files.readString(METRIC_SOURCE).replace("""
          default Input input() {
            return Input.SAMPLES;
          }
        """, ""));
    Version released = baseline(CLASSES, CLASSES, null).olderVersion;

    Info sameVersion = baseline(CLASSES, changed, null);
    assertTrue(sameVersion.mismatch, "an incompatible change kept version " + sameVersion.newerVersion);
    assertEquals(released.getMajor() + 1, sameVersion.suggestedVersion.getMajor());

    Info bumped = baseline(CLASSES, changed, new Version(released.getMajor() + 1, 0, 0).toString());
    assertFalse(bumped.mismatch, bumped.reason);
  }

  @Test
  void addingADefaultMethodNeedsAMinorBump() throws Exception {
    Path changed = compileVariant(Files.readString(METRIC_SOURCE).replace("""
          default Input input() {""", """
          default String unit() {
            return "";
          }

          default Input input() {"""));
    Version released = baseline(CLASSES, CLASSES, null).olderVersion;

    Info sameVersion = baseline(CLASSES, changed, null);
    assertTrue(sameVersion.mismatch, "an addition kept version " + sameVersion.newerVersion);
    assertEquals(new Version(released.getMajor(), released.getMinor() + 1, 0), sameVersion.suggestedVersion);
    assertFalse(baseline(CLASSES, changed, sameVersion.suggestedVersion.toString()).mismatch);
  }

  /** bnd's verdict on {@code org.ganymede.api} between two builds; newerVersion overrides the newer export's version. */
  private static Info baseline(Path older, Path newer, String newerVersion) throws Exception {
    try (Processor reporter = new Processor(); Jar olderJar = new Jar(older.toFile()); Jar newerJar = new Jar(newer.toFile())) {
      if (newerVersion != null) {
        Attributes main = newerJar.getManifest().getMainAttributes();
        main.putValue("Export-Package", main.getValue("Export-Package")
            .replaceFirst("org\\.ganymede\\.api;version=\"[^\"]+\"", "org.ganymede.api;version=\"" + newerVersion + "\""));
        newerJar.setManifest(newerJar.getManifest());
      }
      for (Info info : new Baseline(reporter, new DiffPluginImpl()).baseline(newerJar, olderJar, null)) {
        if (info.packageName.equals("org.ganymede.api")) {
          return info;
        }
      }
      throw new AssertionError("org.ganymede.api is not exported");
    }
  }

  /** The API's classes with {@code Metric} compiled from the given source instead. */
  private Path compileVariant(String metricSource) throws Exception {
    assertFalse(metricSource.equals(Files.readString(METRIC_SOURCE)), "the variant changes nothing");
    Path copy = work.resolve("classes");
    try (var files = Files.walk(CLASSES)) {
      for (Path from : files.toList()) {
        Path to = copy.resolve(CLASSES.relativize(from).toString());
        if (Files.isDirectory(from)) {
          Files.createDirectories(to);
        } else {
          Files.copy(from, to);
        }
      }
    }
    Path source = Files.createDirectories(work.resolve("src/org/ganymede/api")).resolve("Metric.java");
    Files.writeString(source, metricSource);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int status = javac.run(null, null, null, "-d", copy.toString(), "-cp",
        CLASSES + File.pathSeparator + System.getProperty("java.class.path"), source.toString());
    assertEquals(0, status, "the variant of Metric does not compile");
    return copy;
  }
}
