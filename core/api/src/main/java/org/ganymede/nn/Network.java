package org.ganymede.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.ganymede.api.Critic;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * A feed-forward network: layers applied in order, and the variables they own. Build one with
 * {@link #builder}; apply it to as many inputs as needed, the variables are shared.
 */
public final class Network implements Critic {
  private final Ops tf;
  private final List<Layer> layers;
  private final List<Variable<TFloat32>> variables;
  private final List<List<Variable<TFloat32>>> weightedLayers;
  private final List<Op> updates;

  private Network(Ops tf, List<Layer> layers, List<Variable<TFloat32>> variables,
      List<List<Variable<TFloat32>>> weightedLayers, List<Op> updates) {
    this.tf = tf;
    this.layers = List.copyOf(layers);
    this.variables = List.copyOf(variables);
    this.weightedLayers = weightedLayers.stream().map(List::copyOf).toList();
    this.updates = List.copyOf(updates);
  }

  /**
   * @param tf the graph's ops; keep variables in the root scope: the optimizers name
   *     their slots after the variable and refuse a name with a scope's '/'
   * @param seed the seed weights are drawn from; each network of a model should get its own
   */
  public static Builder builder(Ops tf, long seed) {
    return new Builder(tf, seed);
  }

  @Override
  public Operand<TFloat32> apply(Operand<TFloat32> input) {
    Operand<TFloat32> x = input;
    for (Layer layer : layers) {
      x = layer.apply(tf, x);
    }
    return x;
  }

  public List<Variable<TFloat32>> variables() {
    return variables;
  }

  /**
   * The variables of each weighted layer, input first: a dense layer or a convolution with the
   * normalisation that follows it, for {@code GanModel.layers} (freezing the first layers).
   *
   * @since 1.4
   */
  public List<List<Variable<TFloat32>>> layers() {
    return weightedLayers;
  }

  /** Ops its layers run once per training step (spectral normalisation's power iteration), for {@code GanModel.afterStep}. */
  public List<Op> updates() {
    return updates;
  }

  /** Number of trainable scalars. */
  public long parameterCount() {
    long n = 0;
    for (Variable<TFloat32> v : variables) {
      n += v.shape().size();
    }
    return n;
  }

  /** Adds layers and creates their variables. */
  public static final class Builder {
    private final Ops tf;
    private final Weights weights;
    private final List<Layer> layers = new ArrayList<>();
    private final List<List<Variable<TFloat32>>> weightedLayers = new ArrayList<>();

    private Builder(Ops tf, long seed) {
      this.tf = tf;
      this.weights = new Weights(tf, seed);
    }

    /** Creates the layer's variables through {@link Weights} and appends it. */
    public Builder add(Function<Weights, Layer> layer) {
      return add(layer, false);
    }

    /** @param joinsPrevious whether its variables belong to the weighted layer before it (a normalisation's) */
    private Builder add(Function<Weights, Layer> layer, boolean joinsPrevious) {
      int before = weights.variables().size();
      layers.add(layer.apply(weights));
      List<Variable<TFloat32>> made = weights.variables().subList(before, weights.variables().size());
      if (!made.isEmpty()) {
        if (joinsPrevious && !weightedLayers.isEmpty()) {
          List<Variable<TFloat32>> joined = new ArrayList<>(weightedLayers.remove(weightedLayers.size() - 1));
          joined.addAll(made);
          weightedLayers.add(joined);
        } else {
          weightedLayers.add(List.copyOf(made));
        }
      }
      return this;
    }

    public Builder dense(int in, int out, float stddev) {
      return add(w -> Layers.dense(w, in, out, stddev));
    }

    public Builder conv(int in, int out, int kernel, int stride, float stddev) {
      return add(w -> Layers.conv2d(w, in, out, kernel, stride, stddev));
    }

    public Builder upconv(int in, int out, int kernel, int stride, int outputSize, float stddev) {
      return add(w -> Layers.conv2dTranspose(w, in, out, kernel, stride, outputSize, stddev));
    }

    public Builder batchNorm(int channels) {
      return add(w -> Layers.batchNorm(w, channels), true);
    }

    public Builder layerNorm(int features) {
      return add(w -> Layers.layerNorm(w, features), true);
    }

    public Builder leakyRelu(float alpha) {
      return add(w -> Layers.leakyRelu(alpha));
    }

    public Builder relu() {
      return add(w -> (t, x) -> t.nn.relu(x));
    }

    public Builder tanh() {
      return add(w -> (t, x) -> t.math.tanh(x));
    }

    /** Reshapes each sample; the batch dimension is kept. */
    public Builder reshape(long... sampleShape) {
      return add(w -> Layers.reshape(sampleShape));
    }

    /** A dense layer whose kernel is divided by its spectral norm ({@link SpectralNorm}). */
    public Builder spectralDense(int in, int out, float stddev) {
      return add(w -> SpectralNorm.dense(w, in, out, stddev));
    }

    /** A 'SAME'-padded convolution whose filter is divided by its spectral norm. */
    public Builder spectralConv(int in, int out, int kernel, int stride, float stddev) {
      return add(w -> SpectralNorm.conv2d(w, in, out, kernel, stride, stddev));
    }

    public Network build() {
      return new Network(tf, layers, weights.variables(), weightedLayers, weights.updates());
    }
  }

  /** Shape of a variable, for tests and summaries. */
  static Shape shapeOf(Variable<TFloat32> v) {
    return v.shape();
  }
}
