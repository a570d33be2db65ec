package org.ganymede.losses.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ganymede.api.Augmentation;
import org.ganymede.api.AugmentationContext;
import org.ganymede.api.DataSpec;
import org.ganymede.api.ParameterException;
import org.ganymede.api.Parameters;
import org.ganymede.api.Plugins;
import org.ganymede.api.RandomSource;
import org.osgi.service.component.annotations.Component;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Adaptive discriminator augmentation (Karras et al. 2020): every transform of the pipeline is
 * applied to each image with probability p, and p follows the discriminator's overfitting. The
 * heuristic is r_t = E[sign(D(real))] over the real images the discriminator judged since the
 * last adjustment; every {@code interval} discriminator batches
 * {@code p <- clip(p + sign(r_t - target) * images / (kimg * 1000), 0, 1)}, so p can cross from 0
 * to 1 in {@code kimg} thousand images. p, r_t and the running sums are variables of the run, so
 * checkpoints keep them and a resumed run goes on with the same p.
 *
 * <p>The pipeline has ADA's pixel blitting (x-flip, quarter turns of square images, integer
 * translation by up to 1/8 of the size) and colour groups (brightness, contrast, luma flip, and on
 * RGB images hue rotation and saturation) and, if asked, its geometric group ({@code geom}:
 * scaling, rotation, anisotropy and fractional translation composed into one map, resampled
 * bilinearly in two passes where ADA uses a wavelet filter) and cutout (half the size). The
 * paper's recommended pipeline is {@code blit,geom,color}; the default stays {@code blit,color}.
 */
@Component(
    service = Augmentation.class,
    property = {
      Plugins.NAME + "=ada",
      Plugins.DESCRIPTION + "=ADA: x-flip, quarter turns, translation and colour, each with a probability p that rises"
          + " while the discriminator is sure of the real data (r_t above target 0.6) and falls below"
    })
public final class AdaptiveAugmentation implements Augmentation {
  static final List<String> GROUPS = List.of("blit", "geom", "color", "cutout");

  @Override
  public Stage build(AugmentationContext context) {
    Parameters p = context.parameters();
    List<String> groups = groups(p.stringValue("pipeline", "blit,color"));
    double initial = p.nonNegative("p", 0);
    if (initial > 1) {
      throw new ParameterException(p.owner() + ": p is a probability, in [0, 1]; got " + initial);
    }
    boolean adaptive = p.booleanValue("adaptive", true);
    double target = p.nonNegative("target", 0.6);
    if (target > 1) {
      throw new ParameterException(p.owner() + ": target is a value of E[sign(D(real))], in [0, 1]; got " + target);
    }
    int interval = p.intInRange("interval", 4, 1, 1_000_000);
    double kimg = p.positive("kimg", 500);
    DataSpec data = DiffAugment.requireImages(context, "ada");
    return new Adaptive(context, groups, (float) initial, adaptive, (float) target, interval, (float) kimg, data);
  }

  /** The pipeline's groups, in ADA's order whatever the order given. */
  static List<String> groups(String text) {
    List<String> named = ImageAugments.names(text, GROUPS, "augmentation 'ada': unknown pipeline group");
    return GROUPS.stream().filter(named::contains).toList();
  }

  private static final class Adaptive implements Stage {
    private final Ops tf;
    private final RandomSource random;
    private final List<String> groups;
    private final DataSpec data;
    private final boolean adaptive;
    private final float target;
    private final int interval;
    private final float kimg;
    private final int batch;
    private final Variable<TFloat32> p;
    private final Variable<TFloat32> signSum;
    private final Variable<TFloat32> seen;
    private final Variable<TFloat32> lastRt;

    Adaptive(AugmentationContext context, List<String> groups, float initial, boolean adaptive, float target,
        int interval, float kimg, DataSpec data) {
      this.tf = context.tf();
      this.random = context.random();
      this.groups = groups;
      this.data = data;
      this.adaptive = adaptive;
      this.target = target;
      this.interval = interval;
      this.kimg = kimg;
      this.batch = context.batchSize();
      this.p = scalarVariable("p", initial);
      this.signSum = scalarVariable("sign_sum", 0);
      this.seen = scalarVariable("seen", 0);
      this.lastRt = scalarVariable("r_t", 0);
    }

    private Variable<TFloat32> scalarVariable(String name, float initial) {
      return tf.withName(name).variable(tf.constant(initial));
    }

    @Override
    public Operand<TFloat32> apply(Operand<TFloat32> batch) {
      Operand<TFloat32> x = batch;
      int h = data.height();
      int w = data.width();
      for (String group : groups) {
        switch (group) {
          case "blit" -> {
            Operand<TFloat32> flip = tf.dtypes.cast(ImageAugments.integers(tf, random, x, 0, 1), TFloat32.class);
            x = ImageAugments.flipX(tf, x, ImageAugments.withProbability(tf, random, x, p, flip, 0f));
            if (h == w) {
              x = ImageAugments.rotate90(tf, x,
                  ImageAugments.withProbability(tf, random, x, p, ImageAugments.integers(tf, random, x, 0, 3)));
            }
            int maxY = (int) Math.round(h * 0.125);
            int maxX = (int) Math.round(w * 0.125);
            x = ImageAugments.translate(tf, x, h, w, data.channels(),
                ImageAugments.withProbability(tf, random, x, p, ImageAugments.integers(tf, random, x, -maxY, maxY)),
                ImageAugments.withProbability(tf, random, x, p, ImageAugments.integers(tf, random, x, -maxX, maxX)));
          }
          case "geom" -> x = geometric(x, h, w);
          case "color" -> x = colour(x);
          case "cutout" -> {
            int sizeY = h / 2;
            int sizeX = w / 2;
            Operand<TInt32> top = tf.math.sub(ImageAugments.integers(tf, random, x, 0, h - 1), tf.constant(sizeY / 2));
            Operand<TInt32> left = tf.math.sub(ImageAugments.integers(tf, random, x, 0, w - 1), tf.constant(sizeX / 2));
            Operand<TInt32> applied = ImageAugments.withProbability(tf, random, x, p, tf.fill(tf.shape(top),
                tf.constant(1)));
            x = ImageAugments.cutout(tf, x, h, w, top, left, tf.math.mul(applied, tf.constant(sizeY)),
                tf.math.mul(applied, tf.constant(sizeX)));
          }
          default -> throw new IllegalStateException(group);
        }
      }
      return x;
    }

    /**
     * ADA's colour group, in its order, each with probability p: brightness N(0, 0.2), contrast
     * about mid-grey log-normal with 0.5 octaves, luma flip (half the time when drawn), hue rotation
     * by up to a half turn (RGB images) and saturation log-normal with 1 octave (more than one
     * channel), as in ADA; on one channel the flip negates the image.
     */
    private Operand<TFloat32> colour(Operand<TFloat32> x) {
      Operand<TFloat32> brightness = tf.math.mul(ImageAugments.normal(tf, random, x), tf.constant(0.2f));
      x = ImageAugments.brightness(tf, x, ImageAugments.withProbability(tf, random, x, p, brightness, 0f));
      x = ImageAugments.scale(tf, x,
          ImageAugments.withProbability(tf, random, x, p, octaves(ImageAugments.normal(tf, random, x), 0.5f), 1f));
      Operand<TFloat32> flip = tf.dtypes.cast(ImageAugments.integers(tf, random, x, 0, 1), TFloat32.class);
      x = ImageAugments.lumaFlip(tf, x, ImageAugments.withProbability(tf, random, x, p, flip, 0f));
      if (data.channels() == 3) {
        Operand<TFloat32> angle = tf.math.mul(tf.math.sub(ImageAugments.uniform(tf, random, x), tf.constant(0.5f)),
            tf.constant((float) (2 * Math.PI)));
        x = ImageAugments.hueRotation(tf, x, ImageAugments.withProbability(tf, random, x, p, angle, 0f));
      }
      if (data.channels() > 1) {
        x = ImageAugments.saturation(tf, x,
            ImageAugments.withProbability(tf, random, x, p, octaves(ImageAugments.normal(tf, random, x), 1f), 1f));
      }
      return x;
    }

    /**
     * ADA's geometric group, in its order: isotropic scaling (0.2 octaves), a rotation by up to a
     * half turn, anisotropic scaling (0.2 octaves, x by a and y by 1/a), a second rotation, and a
     * translation by N(0, 0.125) of the size. Scalings and translation each with probability p,
     * the rotations each with 1 - sqrt(1 - p) so that some rotation happens with about p; the
     * rotations only on square images. The map is composed first and resampled once.
     */
    private Operand<TFloat32> geometric(Operand<TFloat32> x, int h, int w) {
      Operand<TFloat32> one = tf.fill(ImageAugments.batchSize(tf, x), tf.constant(1f));
      Operand<TFloat32> zero = tf.zerosLike(one);
      Operand<TFloat32> pRotation = tf.math.sub(tf.constant(1f),
          tf.math.sqrt(tf.math.maximum(tf.math.sub(tf.constant(1f), p), tf.constant(0f))));
      Operand<TFloat32> isotropic = ImageAugments.withProbability(tf, random, x, p,
          octaves(ImageAugments.normal(tf, random, x), 0.2f), 1f);
      List<Operand<TFloat32>> map = List.of(isotropic, zero, zero, isotropic);
      map = times(rotation(x, h == w ? pRotation : tf.constant(0f)), map);
      Operand<TFloat32> anisotropic = ImageAugments.withProbability(tf, random, x, p,
          octaves(ImageAugments.normal(tf, random, x), 0.2f), 1f);
      map = times(List.of(anisotropic, zero, zero, tf.math.div(one, anisotropic)), map);
      map = times(rotation(x, h == w ? pRotation : tf.constant(0f)), map);
      Operand<TFloat32> tx = ImageAugments.withProbability(tf, random, x, p,
          tf.math.mul(ImageAugments.normal(tf, random, x), tf.constant(0.125f * w)), 0f);
      Operand<TFloat32> ty = ImageAugments.withProbability(tf, random, x, p,
          tf.math.mul(ImageAugments.normal(tf, random, x), tf.constant(0.125f * h)), 0f);
      return ImageAugments.affine(tf, x, h, w, map, tx, ty);
    }

    /** A rotation by an angle uniform in [-pi, pi) with probability {@code probability}, else none, per sample. */
    private List<Operand<TFloat32>> rotation(Operand<TFloat32> x, Operand<TFloat32> probability) {
      Operand<TFloat32> angle = ImageAugments.withProbability(tf, random, x, probability, tf.math.mul(
          tf.math.sub(ImageAugments.uniform(tf, random, x), tf.constant(0.5f)), tf.constant((float) (2 * Math.PI))), 0f);
      Operand<TFloat32> c = tf.math.cos(angle);
      Operand<TFloat32> s = tf.math.sin(angle);
      return List.of(c, tf.math.neg(s), s, c);
    }

    /** The product {@code a b} of two 2x2 maps given per sample, row-major. */
    private List<Operand<TFloat32>> times(List<Operand<TFloat32>> a, List<Operand<TFloat32>> b) {
      return List.of(
          tf.math.add(tf.math.mul(a.get(0), b.get(0)), tf.math.mul(a.get(1), b.get(2))),
          tf.math.add(tf.math.mul(a.get(0), b.get(1)), tf.math.mul(a.get(1), b.get(3))),
          tf.math.add(tf.math.mul(a.get(2), b.get(0)), tf.math.mul(a.get(3), b.get(2))),
          tf.math.add(tf.math.mul(a.get(2), b.get(1)), tf.math.mul(a.get(3), b.get(3))));
    }

    /** 2 to the power {@code normal * std}: a log-normal factor with {@code std} octaves. */
    private Operand<TFloat32> octaves(Operand<TFloat32> normal, float std) {
      return tf.math.exp(tf.math.mul(normal, tf.constant((float) (std * Math.log(2)))));
    }

    @Override
    public List<Op> observeReal(Operand<TFloat32> realLogits) {
      if (!adaptive) {
        return List.of();
      }
      Operand<TFloat32> signs = tf.reduceSum(tf.math.sign(realLogits), tf.constant(new int[] {0, 1}));
      Operand<TFloat32> count = tf.dtypes.cast(tf.size(realLogits), TFloat32.class);
      return List.of(tf.assignAdd(signSum, signs), tf.assignAdd(seen, count));
    }

    /**
     * Three ops, run in order: the adjustment of p (and r_t) once {@code interval} batches of real
     * images were judged, then the reset of each running sum, each in its own run so that no op
     * reads a variable another writes.
     */
    @Override
    public List<Op> afterStep() {
      if (!adaptive) {
        return List.of();
      }
      Operand<TFloat32> threshold = tf.constant((float) interval * batch);
      Operand<TFloat32> rt = tf.math.divNoNan(signSum, seen);
      Operand<TFloat32> step = tf.math.div(tf.math.mul(tf.math.sign(tf.math.sub(rt, tf.constant(target))), seen),
          tf.constant(kimg * 1000));
      Operand<TFloat32> adjusted = tf.clipByValue(tf.math.add(p, step), tf.constant(0f), tf.constant(1f));
      Op adjust = tf.withName("adjust_p").withControlDependencies(List.of(
          tf.assign(p, tf.select(tf.math.greaterEqual(seen, threshold), adjusted, p)),
          tf.assign(lastRt, tf.select(tf.math.greaterEqual(seen, threshold), rt, lastRt)))).noOp();
      Op resetSigns = tf.withName("reset_sign_sum").assign(signSum,
          tf.select(tf.math.greaterEqual(seen, threshold), tf.zerosLike(signSum), signSum));
      Op resetSeen = tf.withName("reset_seen").assign(seen,
          tf.select(tf.math.greaterEqual(seen, threshold), tf.zerosLike(seen), seen));
      return List.of(adjust, resetSigns, resetSeen);
    }

    @Override
    public Map<String, Operand<TFloat32>> scalars() {
      Map<String, Operand<TFloat32>> values = new LinkedHashMap<>();
      values.put("ada/p", tf.identity(p));
      if (adaptive) {
        values.put("ada/r_t", tf.identity(lastRt));
      }
      return values;
    }
  }
}
