package org.ganymede.nn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.WeakHashMap;
import org.tensorflow.ExecutionEnvironment;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.TBfloat16;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The number format a graph's convolutions and dense products compute in. In {@link #BF16} their
 * inputs and weights are rounded to bfloat16 for the product and the result comes back as
 * float32; variables, optimizer state, biases, normalisations, activations and losses stay
 * float32 (mixed precision with float32 master weights). The products are where a training step
 * spends its arithmetic, and bfloat16 has float32's range, so no loss scaling is needed.
 *
 * <p>Whoever builds a graph sets its precision once, before the networks are built (the engine,
 * from {@code training.precision}); the layers of this package read it through the helpers below.
 * A graph not set computes in float32, and a float32 graph is exactly what it was before this
 * class: no casts are added.
 */
public enum Precision {
  FP32,
  BF16;

  private static final Map<ExecutionEnvironment, Precision> GRAPHS = Collections.synchronizedMap(new WeakHashMap<>());

  /** The precision named as in an experiment, {@code fp32} or {@code bf16}. */
  public static Precision named(String name) {
    for (Precision p : values()) {
      if (p.label().equals(name)) {
        return p;
      }
    }
    throw new IllegalArgumentException("precision must be fp32 or bf16, was '" + name + "'");
  }

  /** The name an experiment gives it. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Whether this CPU computes in this precision natively: always for fp32; for bf16 when Linux's
   * CPU flags list AVX512_BF16 or AMX-BF16 (elsewhere, or unreadable, taken as no). Without them
   * TensorFlow still runs bf16 graphs, emulated.
   */
  public boolean nativeOnThisCpu() {
    if (this == FP32) {
      return true;
    }
    try {
      String info = Files.readString(Path.of("/proc/cpuinfo"));
      return info.contains(" avx512_bf16") || info.contains(" amx_bf16");
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** Sets the precision of the graph {@code tf} builds in. */
  public static void set(Ops tf, Precision precision) {
    GRAPHS.put(tf.scope().env(), precision);
  }

  /** The precision of the graph {@code tf} builds in, {@link #FP32} unless set. */
  public static Precision of(Ops tf) {
    return GRAPHS.getOrDefault(tf.scope().env(), FP32);
  }

  /** {@code a b}, in the graph's precision. */
  public static Operand<TFloat32> matMul(Ops tf, Operand<TFloat32> a, Operand<TFloat32> b, MatMul.Options... options) {
    if (of(tf) == FP32) {
      return tf.linalg.matMul(a, b, options);
    }
    return wide(tf, tf.linalg.matMul(narrow(tf, a), narrow(tf, b), options));
  }

  /** A 2-D convolution, NHWC, in the graph's precision. */
  public static Operand<TFloat32> conv2d(Ops tf, Operand<TFloat32> x, Operand<TFloat32> filter, List<Long> strides,
      String padding) {
    if (of(tf) == FP32) {
      return tf.nn.conv2d(x, filter, strides, padding);
    }
    return wide(tf, tf.nn.conv2d(narrow(tf, x), narrow(tf, filter), strides, padding));
  }

  /** A transposed convolution (the input gradient of {@link #conv2d}), NHWC, in the graph's precision. */
  public static Operand<TFloat32> conv2dTranspose(Ops tf, Operand<TInt32> outputShape, Operand<TFloat32> filter,
      Operand<TFloat32> x, List<Long> strides, String padding) {
    if (of(tf) == FP32) {
      return tf.nn.conv2dBackpropInput(outputShape, filter, x, strides, padding);
    }
    return wide(tf, tf.nn.conv2dBackpropInput(outputShape, narrow(tf, filter), narrow(tf, x), strides, padding));
  }

  private static Operand<TBfloat16> narrow(Ops tf, Operand<TFloat32> x) {
    return tf.dtypes.cast(x, TBfloat16.class);
  }

  private static Operand<TFloat32> wide(Ops tf, Operand<TBfloat16> x) {
    return tf.dtypes.cast(x, TFloat32.class);
  }
}
