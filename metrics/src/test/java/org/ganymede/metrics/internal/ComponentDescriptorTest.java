package org.ganymede.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.ganymede.api.Metric;
import org.ganymede.api.Plugins;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** bnd writes the Declarative Services descriptor before the tests run. */
class ComponentDescriptorTest {
  @ParameterizedTest
  @CsvSource({
    "ModeCoverage, mode-coverage",
    "FrechetDistance, fid",
    "KernelDistance, kid",
    "InceptionScore, inception-score",
    "PrecisionRecall, precision-recall",
    "DensityCoverage, density-coverage",
    "ClassificationAccuracyScore, classification-accuracy-score",
    "PeakSignalToNoiseRatio, psnr",
    "StructuralSimilarity, ssim",
    "MeanAbsoluteError, l1"
  })
  void eachMetricIsAServiceWithItsNameAndADescription(String simpleName, String name) throws Exception {
    String className = ComponentDescriptorTest.class.getPackageName() + "." + simpleName;
    Element component;
    try (InputStream in = getClass().getClassLoader().getResourceAsStream("OSGI-INF/" + className + ".xml")) {
      assertNotNull(in, "no descriptor for " + className);
      component = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in).getDocumentElement();
    }
    assertEquals(className, ((Element) component.getElementsByTagName("implementation").item(0)).getAttribute("class"));
    assertEquals(Metric.class.getName(), ((Element) component.getElementsByTagName("provide").item(0)).getAttribute("interface"));
    Map<String, String> properties = new HashMap<>();
    NodeList nodes = component.getElementsByTagName("property");
    for (int i = 0; i < nodes.getLength(); i++) {
      Element property = (Element) nodes.item(i);
      properties.put(property.getAttribute("name"), property.getAttribute("value"));
    }
    assertEquals(name, properties.get(Plugins.NAME));
    assertNotNull(properties.get(Plugins.DESCRIPTION), "description");
    assertFalse(properties.get(Plugins.DESCRIPTION).isBlank(), "description");
  }
}
