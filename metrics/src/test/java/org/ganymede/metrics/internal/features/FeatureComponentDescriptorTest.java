package org.ganymede.metrics.internal.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URL;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;
import java.util.jar.Manifest;
import javax.xml.parsers.DocumentBuilderFactory;
import org.ganymede.api.Command;
import org.ganymede.api.DatasetProvider;
import org.ganymede.api.FeatureExtractor;
import org.ganymede.api.Plugins;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** bnd writes the Declarative Services descriptors and the manifest before the tests run. */
class FeatureComponentDescriptorTest {
  @Test
  void theClassifierIsAFeatureExtractor() throws Exception {
    Element component = descriptor(FashionMnistClassifier.class);
    assertEquals(FeatureExtractor.class.getName(), provided(component));
    assertEquals("fashion-mnist-classifier", properties(component).get(Plugins.NAME));
    assertNotNull(properties(component).get(Plugins.DESCRIPTION));
  }

  @Test
  void theSavedModelExtractorIsAFeatureExtractor() throws Exception {
    Element component = descriptor(SavedModelExtractor.class);
    assertEquals(FeatureExtractor.class.getName(), provided(component));
    assertEquals("saved-model", properties(component).get(Plugins.NAME));
    assertNotNull(properties(component).get(Plugins.DESCRIPTION));
  }

  @Test
  void theTrainingCommandNeedsTheFashionMnistDataset() throws Exception {
    Element component = descriptor(TrainClassifierCommand.class);
    assertEquals(Command.class.getName(), provided(component));
    assertEquals("train-classifier", properties(component).get(Plugins.NAME));
    assertNotNull(properties(component).get(Plugins.DESCRIPTION));
    NodeList references = component.getElementsByTagName("reference");
    assertEquals(1, references.getLength());
    Element reference = (Element) references.item(0);
    assertEquals(DatasetProvider.class.getName(), reference.getAttribute("interface"));
    assertEquals("(name=fashion-mnist)", reference.getAttribute("target"));
    // Static and mandatory: the defaults, which DS writes out as absent attributes.
    assertTrue(reference.getAttribute("policy").isEmpty() || reference.getAttribute("policy").equals("static"));
    assertTrue(reference.getAttribute("cardinality").isEmpty() || reference.getAttribute("cardinality").equals("1..1"));
  }

  @Test
  void theBundleImportsPicocliAndKeepsThisPackagePrivate() throws Exception {
    Manifest manifest = bundleManifest();
    String imports = manifest.getMainAttributes().getValue("Import-Package");
    assertTrue(imports.contains("picocli;version="), imports);
    String exports = manifest.getMainAttributes().getValue("Export-Package");
    assertFalse(exports != null && exports.contains(FashionMnistClassifier.class.getPackageName()), exports);
  }

  private static Manifest bundleManifest() throws Exception {
    Enumeration<URL> manifests = FeatureComponentDescriptorTest.class.getClassLoader().getResources("META-INF/MANIFEST.MF");
    while (manifests.hasMoreElements()) {
      try (InputStream in = manifests.nextElement().openStream()) {
        Manifest manifest = new Manifest(in);
        if ("org.ganymede.metrics".equals(manifest.getMainAttributes().getValue("Bundle-SymbolicName"))) {
          return manifest;
        }
      }
    }
    throw new AssertionError("no manifest of org.ganymede.metrics on the class path");
  }

  private static Element descriptor(Class<?> type) throws Exception {
    String name = type.getName();
    try (InputStream in = FeatureComponentDescriptorTest.class.getClassLoader().getResourceAsStream("OSGI-INF/" + name + ".xml")) {
      assertNotNull(in, "no descriptor for " + name);
      Element component = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in).getDocumentElement();
      assertEquals(name, ((Element) component.getElementsByTagName("implementation").item(0)).getAttribute("class"));
      return component;
    }
  }

  private static String provided(Element component) {
    return ((Element) component.getElementsByTagName("provide").item(0)).getAttribute("interface");
  }

  private static Map<String, String> properties(Element component) {
    Map<String, String> properties = new HashMap<>();
    NodeList nodes = component.getElementsByTagName("property");
    for (int i = 0; i < nodes.getLength(); i++) {
      Element property = (Element) nodes.item(i);
      properties.put(property.getAttribute("name"), property.getAttribute("value"));
    }
    return properties;
  }
}
