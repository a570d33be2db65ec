package org.ganymede.metrics.internal.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The classifier's network for other sides, channels and classes; the shipped one stays as it was. */
class ClassifierLayoutTest {
  @Test
  void theShippedLayoutKeepsItsWeights() {
    ClassifierNetwork.Layout shipped = ClassifierNetwork.Layout.FASHION_MNIST;
    assertEquals(new ClassifierNetwork.Layout(28, 1, 10), shipped);
    assertEquals(784, shipped.sampleSize());
    assertArrayEquals(new long[] {7 * 7 * 64, 128}, ClassifierNetwork.WEIGHTS.get(4).shape());
    assertArrayEquals(new long[] {3, 3, 1, 32}, ClassifierNetwork.WEIGHTS.get(0).shape());
  }

  @Test
  void otherLayoutsScaleTheFirstFilterTheDenseLayerAndTheLogits() {
    List<ClassifierNetwork.Weight> weights = new ClassifierNetwork.Layout(32, 3, 5).weights();
    assertArrayEquals(new long[] {3, 3, 3, 32}, weights.get(0).shape());
    assertEquals(27, weights.get(0).fanIn());
    assertArrayEquals(new long[] {8 * 8 * 64, 128}, weights.get(4).shape());
    assertArrayEquals(new long[] {128, 5}, weights.get(6).shape());
    assertArrayEquals(new long[] {5}, weights.get(7).shape());
  }

  @Test
  void aSideNoMultipleOfFourIsRefused() {
    for (int side : new int[] {0, 2, 30}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> new ClassifierNetwork.Layout(side, 1, 10));
      assertTrue(e.getMessage().contains("multiple of 4"), e.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> new ClassifierNetwork.Layout(28, 0, 10));
    assertThrows(IllegalArgumentException.class, () -> new ClassifierNetwork.Layout(28, 1, 1));
  }

  @Test
  void onlyTheShippedLayoutIsFrozen() {
    try (ClassifierTraining training = new ClassifierTraining(new ClassifierNetwork.Layout(8, 2, 3), 1, 1e-3f)) {
      float loss = training.step(new float[2 * 8 * 8 * 2], new int[] {0, 2});
      assertEquals(Math.log(3), loss, 1e-5, "zero images give zero logits");
      assertThrows(IllegalStateException.class, training::freeze);
    }
  }
}
