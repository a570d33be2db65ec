package org.ganymede.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.tools.ToolProvider;

/** Small plug-in bundles made on the spot, broken in the ways third-party bundles break. */
final class TestBundles {
  private TestBundles() {}

  /** A bundle with nothing in it but an import. */
  static Path importing(Path jar, String symbolicName, String importPackage) throws Exception {
    return write(jar, manifest(symbolicName, importPackage), null, null);
  }

  /**
   * An architecture plug-in named {@code name} whose component throws {@code message} when
   * Declarative Services activates it.
   */
  static Path failingArchitecture(Path work, String name, String message) throws Exception {
    Path sources = Files.createDirectories(work.resolve("failing-src/com/example/failing"));
    Path source = sources.resolve("FailingArchitecture.java");
    Files.writeString(source, """
        package com.example.failing;

        public final class FailingArchitecture implements org.ganymede.api.Architecture {
          public FailingArchitecture() {
            throw new IllegalStateException("%s");
          }

          @Override
          public org.ganymede.api.GanModel build(org.ganymede.api.ModelContext context) {
            throw new UnsupportedOperationException();
          }
        }
        """.formatted(message));
    Path classes = Files.createDirectories(work.resolve("failing-classes"));
    int status = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(), "-cp",
        System.getProperty("java.class.path"), source.toString());
    if (status != 0) {
      throw new IllegalStateException("the failing architecture does not compile");
    }
    String descriptor = """
        <?xml version="1.0" encoding="UTF-8"?>
        <scr:component xmlns:scr="http://www.osgi.org/xmlns/scr/v1.3.0" name="com.example.failing.FailingArchitecture">
          <property name="name" type="String" value="%s"/>
          <property name="description" type="String" value="throws when activated"/>
          <service><provide interface="org.ganymede.api.Architecture"/></service>
          <implementation class="com.example.failing.FailingArchitecture"/>
        </scr:component>
        """.formatted(name);
    Manifest manifest = manifest("com.example.failing", "org.ganymede.api;version=\"[2.0,3)\"");
    manifest.getMainAttributes().putValue("Service-Component", "OSGI-INF/failing.xml");
    return write(work.resolve("failing.jar"), manifest,
        classes.resolve("com/example/failing/FailingArchitecture.class"), descriptor);
  }

  private static Manifest manifest(String symbolicName, String importPackage) {
    Manifest manifest = new Manifest();
    Attributes main = manifest.getMainAttributes();
    main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
    main.putValue("Bundle-ManifestVersion", "2");
    main.putValue("Bundle-SymbolicName", symbolicName);
    main.putValue("Bundle-Version", "1.0.0");
    main.putValue("Import-Package", importPackage);
    return manifest;
  }

  private static Path write(Path jar, Manifest manifest, Path compiledClass, String descriptor) throws Exception {
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
      if (compiledClass != null) {
        out.putNextEntry(new JarEntry("com/example/failing/" + compiledClass.getFileName()));
        out.write(Files.readAllBytes(compiledClass));
        out.putNextEntry(new JarEntry("OSGI-INF/failing.xml"));
        out.write(descriptor.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
    }
    return jar;
  }
}
