package org.ganymede.srgan.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.ganymede.nn.Gradients;
import org.ganymede.nn.Network;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

class SrganNetworksTest {
  /**
   * Depth-to-space by 2 of one 1x1 pixel with channels (a, b, c, d): the 2x2 block a b / c d; of a
   * 1x2 image the blocks side by side.
   */
  @Test
  void depthToSpaceTurnsEachGroupOfChannelsIntoABlockOfPixels() {
    try (Graph graph = new Graph(); Session session = new Session(graph)) {
      Ops tf = Ops.create(graph);
      Operand<TFloat32> x = tf.constant(new float[][][][] {{{{1, 2, 3, 4}, {5, 6, 7, 8}}}}); // [1, 1, 2, 4]
      Operand<TFloat32> y = SrganNetworks.depthToSpace(2).apply(tf, x);
      try (Result r = session.runner().fetch(y).run()) {
        assertArrayEquals(new long[] {1, 2, 4, 1}, r.get(0).shape().asArray());
        float[] values = new float[8];
        ((TFloat32) r.get(0)).copyTo(DataBuffers.of(values, false, false));
        assertArrayEquals(new float[] {1, 2, 5, 6, 3, 4, 7, 8}, values);
      }
    }
  }

  @Test
  void theGeneratorRaisesTheSideByItsFactorAndEveryWeightGetsAGradient() {
    Gradients.registerMissing();
    for (int factor : new int[] {2, 4}) {
      try (Graph graph = new Graph(); Session session = new Session(graph)) {
        Ops tf = Ops.create(graph);
        Network g = SrganNetworks.generator(tf, 1, 1, 8, 2, factor);
        Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 8, 8, 1)));
        Operand<TFloat32> y = g.apply(x);
        Output<?>[] outputs = g.variables().stream().map(v -> v.asOutput()).toArray(Output<?>[]::new);
        Output<?>[] gradients = graph.addGradients(tf.sum(y, tf.constant(new int[] {0, 1, 2, 3})).asOutput(), outputs);
        session.initialize();
        try (TFloat32 input = TFloat32.tensorOf(Shape.of(3, 8, 8, 1)); Result r = session.runner().feed(x, input)
            .fetch(y).run()) {
          assertArrayEquals(new long[] {3, 8 * factor, 8 * factor, 1}, r.get(0).shape().asArray());
        }
        for (int i = 0; i < gradients.length; i++) {
          assertEquals(true, gradients[i] != null, "gradient of " + g.variables().get(i).op().name());
        }
      }
    }
  }

  @Test
  void theDiscriminatorGivesOneLogitAnImageAndTheGeneratorOnlyPowersOfTwo() {
    try (Graph graph = new Graph(); Session session = new Session(graph)) {
      Ops tf = Ops.create(graph);
      Network d = SrganNetworks.discriminator(tf, 2, 32, 1, 4);
      Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 32, 32, 1)));
      Operand<TFloat32> logits = d.apply(x);
      session.initialize();
      try (TFloat32 input = TFloat32.tensorOf(Shape.of(5, 32, 32, 1));
          Result r = session.runner().feed(x, input).fetch(logits).run()) {
        assertArrayEquals(new long[] {5, 1}, r.get(0).shape().asArray());
      }
      assertThrows(IllegalArgumentException.class, () -> SrganNetworks.generator(tf, 1, 1, 8, 1, 3));
    }
  }
}
