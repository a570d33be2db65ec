package org.ganymede.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat32;

class PrecisionTest {
  private static final List<Long> UNIT = List.of(1L, 1L, 1L, 1L);

  @Test
  void aGraphComputesInFloat32UnlessSetAndEachGraphKeepsItsOwn() {
    try (Graph a = new Graph(); Graph b = new Graph()) {
      Ops fa = Ops.create(a);
      Ops fb = Ops.create(b);
      assertEquals(Precision.FP32, Precision.of(fa));
      Precision.set(fb, Precision.BF16);
      assertEquals(Precision.FP32, Precision.of(fa));
      assertEquals(Precision.BF16, Precision.of(fb));
      assertEquals(Precision.BF16, Precision.of(fb.withSubScope("inner")));
    }
  }

  @Test
  void bf16ProductsRoundTheirInputsAndReturnFloat32WithinBfloat16sPrecision() {
    float[] x = values(2 * 6 * 6 * 8, 1);
    float[] filter = values(3 * 3 * 8 * 4, 2);
    float[] exact = convolve(Precision.FP32, x, filter);
    float[] rounded = convolve(Precision.BF16, x, filter);
    double worst = 0;
    double scale = 0;
    for (int i = 0; i < exact.length; i++) {
      worst = Math.max(worst, Math.abs(exact[i] - rounded[i]));
      scale = Math.max(scale, Math.abs(exact[i]));
    }
    // bfloat16 keeps 8 significant bits: each of the 72 rounded products is off by at most 2^-8
    // relatively, so the sums differ, but by far less than their size.
    assertNotEquals(0, worst, "bf16 computed exactly what fp32 did: nothing was rounded");
    assertTrue(worst < 0.02 * scale, "bf16 off by " + worst + " on values up to " + scale);
  }

  @Test
  void namesAreTheExperimentsAndOthersAreRefusedWithTheAllowed() {
    assertEquals(Precision.BF16, Precision.named("bf16"));
    assertEquals("fp32", Precision.FP32.label());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Precision.named("fp16"));
    assertTrue(e.getMessage().contains("fp32 or bf16") && e.getMessage().contains("fp16"), e.getMessage());
    assertTrue(Precision.FP32.nativeOnThisCpu());
  }

  private static float[] convolve(Precision precision, float[] x, float[] filter) {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Precision.set(tf, precision);
      Operand<TFloat32> y = Precision.conv2d(tf, tf.constant(Shape.of(2, 6, 6, 8), DataBuffers.of(x)),
          tf.constant(Shape.of(3, 3, 8, 4), DataBuffers.of(filter)), UNIT, "SAME");
      assertEquals(DataType.DT_FLOAT, y.asOutput().dataType());
      try (Result r = s.runner().fetch(y).run()) {
        TFloat32 t = (TFloat32) r.get(0);
        float[] out = new float[(int) t.size()];
        t.copyTo(DataBuffers.of(out, false, false));
        return out;
      }
    }
  }

  private static float[] values(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (random.nextDouble() * 2 - 1);
    }
    return v;
  }
}
