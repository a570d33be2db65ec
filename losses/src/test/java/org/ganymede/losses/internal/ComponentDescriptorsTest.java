package org.ganymede.losses.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.ganymede.api.AdversarialLoss;
import org.ganymede.api.Augmentation;
import org.ganymede.api.Plugins;
import org.ganymede.api.Regularizer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** bnd writes one Declarative Services descriptor per service, before the tests run. */
class ComponentDescriptorsTest {
  @ParameterizedTest
  @CsvSource({
    "NonSaturatingLoss, non-saturating, AdversarialLoss",
    "MinimaxLoss, minimax, AdversarialLoss",
    "WassersteinLoss, wasserstein, AdversarialLoss",
    "LeastSquaresLoss, least-squares, AdversarialLoss",
    "HingeLoss, hinge, AdversarialLoss",
    "WganGradientPenalty, wgan-gp, Regularizer",
    "R1Penalty, r1, Regularizer",
    "WeightClipping, weight-clipping, Regularizer",
    "DiffAugment, diffaugment, Augmentation",
    "AdaptiveAugmentation, ada, Augmentation",
    "InstanceNoise, instance-noise, Augmentation"
  })
  void serviceIsDeclaredWithItsNameAndADescription(String implementation, String name, String service)
      throws Exception {
    String className = ComponentDescriptorsTest.class.getPackageName() + "." + implementation;
    Element component = descriptor(className).getDocumentElement();
    assertEquals(className, ((Element) component.getElementsByTagName("implementation").item(0)).getAttribute("class"));
    String serviceInterface = switch (service) {
      case "Regularizer" -> Regularizer.class.getName();
      case "Augmentation" -> Augmentation.class.getName();
      default -> AdversarialLoss.class.getName();
    };
    assertEquals(serviceInterface, ((Element) component.getElementsByTagName("provide").item(0)).getAttribute("interface"));
    Map<String, String> properties = properties(component);
    assertEquals(name, properties.get(Plugins.NAME));
    assertNotNull(properties.get(Plugins.DESCRIPTION), "description");
  }

  private static Document descriptor(String className) throws Exception {
    try (InputStream in = ComponentDescriptorsTest.class.getClassLoader()
        .getResourceAsStream("OSGI-INF/" + className + ".xml")) {
      assertNotNull(in, "no descriptor for " + className);
      return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in);
    }
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
