package ${package}.internal;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.ganymede.api.Architecture;
import org.ganymede.api.DataSpec;
import org.ganymede.api.GanModel;
import org.ganymede.api.ModelContext;
import org.ganymede.api.OptimizerSpec;
import org.ganymede.api.Parameters;
import org.ganymede.api.Plugins;
import org.ganymede.nn.Network;
import org.ganymede.nn.TwoPlayerGan;
import org.osgi.service.component.annotations.Component;

/**
 * A small GAN of two multilayer perceptrons, for vectors such as 2-D points and for small images,
 * which are flattened. Experiments select it with {@code architecture: {name: ${architectureName}}}.
 *
 * <p>Parameters (an experiment sets them beside the name):
 *
 * <ul>
 *   <li>{@code depth} (default 3): hidden layers in each network
 *   <li>{@code width} (default 64): units in each hidden layer
 * </ul>
 *
 * <p>The engine finds this class through the Declarative Services component below: bnd writes its
 * descriptor into the bundle, and the service's {@code name} property is what experiments use.
 */
@Component(
    service = Architecture.class,
    property = {
      Plugins.NAME + "=${architectureName}",
      Plugins.DESCRIPTION + "=A small MLP GAN for vectors and small images (depth, width)"
    })
public final class MlpArchitecture implements Architecture {
  // On the 8-Gaussian ring (batch 128) three hidden layers of 64 put 87 to 97% of the points on
  // the ring after 3000 steps, in 24 runs; two layers, even of 128, needed 4000 steps for 90%.
  static final int DEFAULT_DEPTH = 3;
  static final int DEFAULT_WIDTH = 64;
  /**
   * The latent is twice the data's size up to this: 4 for 2-D points, 100 for images. Much larger
   * latents made small MLPs drop modes of the ring.
   */
  static final int MAX_LATENT_SIZE = 100;
  private static final float LEAKY_SLOPE = 0.2f;
  /** Small MLPs learn faster with a larger step than DCGAN's 2e-4; beta1 0.5 keeps the game calm. */
  private static final OptimizerSpec ADAM = OptimizerSpec.adam(1e-3, 0.5, 0.999);

  @Override
  public GanModel build(ModelContext context) {
    // Read every parameter before building anything: the engine rejects the keys nobody read, and
    // a value out of range fails here with a message that says what is allowed.
    Parameters parameters = context.parameters();
    int depth = parameters.intInRange("depth", DEFAULT_DEPTH, 1, 16);
    int width = parameters.intInRange("width", DEFAULT_WIDTH, 1, 4096);

    DataSpec data = context.data();
    int latentSize = Math.min(2 * data.sampleSize(), MAX_LATENT_SIZE);
    // One seed per network, both drawn from the run's seed: repeatable, yet different weights.
    SplittableRandom seeds = new SplittableRandom(context.seed());

    // Variables stay in the root name scope: TensorFlow Java's optimizers name their slots after a
    // variable and reject the '/' of a sub-scope.
    Network.Builder generator = Network.builder(context.tf(), seeds.nextLong());
    int in = latentSize;
    for (int layer = 0; layer < depth; layer++) {
      generator.dense(in, width, rectifiedStddev(in)).relu();
      in = width;
    }
    generator.dense(in, data.sampleSize(), linearStddev(in));
    if (data.isImage()) {
      generator.tanh(); // images lie in [-1, 1]; vectors keep the data's own range
    }
    generator.reshape(Arrays.stream(data.shape()).asLongStream().toArray());

    Network.Builder discriminator = Network.builder(context.tf(), seeds.nextLong()).reshape(data.sampleSize());
    in = data.sampleSize();
    for (int layer = 0; layer < depth; layer++) {
      discriminator.dense(in, width, rectifiedStddev(in)).leakyRelu(LEAKY_SLOPE);
      in = width;
    }
    discriminator.dense(in, 1, linearStddev(in)); // one logit; the experiment's loss reads it

    // The usual game of one generator against one discriminator; the experiment's loss,
    // regularizers, critic steps and optimizer overrides all come in through the context.
    return TwoPlayerGan.build(context, generator.build(), discriminator.build(), latentSize, ADAM, ADAM);
  }

  /** He's N(0, 2 / fan_in): keeps the activations' scale through (leaky) ReLUs. */
  private static float rectifiedStddev(int fanIn) {
    return (float) Math.sqrt(2.0 / fanIn);
  }

  /** N(0, 1 / fan_in) for output layers, which have no rectifier after them. */
  private static float linearStddev(int fanIn) {
    return (float) Math.sqrt(1.0 / fanIn);
  }
}
