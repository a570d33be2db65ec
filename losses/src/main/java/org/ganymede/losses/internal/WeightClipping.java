package org.ganymede.losses.internal;

import java.util.ArrayList;
import java.util.List;
import org.ganymede.api.PenaltyContext;
import org.ganymede.api.Plugins;
import org.ganymede.api.Regularizer;
import org.osgi.service.component.annotations.Component;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * The original WGAN's constraint (Arjovsky et al. 2017): after every optimizer step of the critic,
 * each of its variables is clipped to [-clip, clip] (0.01), which keeps the critic K-Lipschitz for
 * some K. With the {@code wasserstein} loss, RMSProp at 5e-5 and 5 critic steps this is the paper's
 * algorithm (see experiments/wgan-clip-fashion-mnist.yaml). It adds nothing to the loss.
 *
 * <p>It may be selected together with a gradient penalty, and is not refused: the two act on
 * different things (the clip on the weights after a step, the penalty on the loss), nothing breaks
 * numerically, and a user comparing them may want both; but WGAN-GP was made to replace the clip,
 * which biases the critic towards simple functions, so together they are rarely what one wants.
 */
@Component(
    service = Regularizer.class,
    property = {
      Plugins.NAME + "=weight-clipping",
      Plugins.DESCRIPTION + "=The original WGAN's weight clipping: every critic variable clipped to [-clip, clip]"
          + " (0.01) after each of its steps"
    })
public final class WeightClipping implements Regularizer {
  @Override
  public Operand<TFloat32> penalty(PenaltyContext context) {
    return null;
  }

  @Override
  public List<Op> afterCriticStep(CriticStep step) {
    float clip = (float) step.parameters().positive("clip", 0.01);
    Ops tf = step.tf();
    List<Op> clips = new ArrayList<>();
    for (Variable<TFloat32> v : step.variables()) {
      clips.add(tf.assign(v, tf.clipByValue(v, tf.constant(-clip), tf.constant(clip))));
    }
    return clips;
  }
}
