package org.ganymede.launcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.ImageIO;
import org.ganymede.api.ExperimentRunner;
import org.ganymede.api.ExperimentRunner.RunOptions;
import org.ganymede.api.Generator;
import org.ganymede.api.ParameterException;
import org.ganymede.api.RunOutcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * Trained generators as services through Configuration Admin, in a real Felix: a SavedModel
 * folder and a run folder each become a Generator that makes exactly the run's own samples, serves
 * concurrent callers the same as one, names its classes when asked for another, is swapped by
 * updating its configuration, and a configuration of a missing folder is reported while the others
 * keep working.
 */
class GeneratorServiceTest {
  private static final String EXPERIMENT = """
      architecture: {name: dcgan, base_width: 4, latent_size: 8, conditioning: projection}
      dataset: {name: fashion-mnist, resolution: 28}
      training: {steps: 4, batch: 4, seed: 3}
      output: {log_every: 2, sample_every: 1000, checkpoint_every: 1000}
      """;
  @TempDir Path work;

  @Test
  void configuredModelsBecomeGeneratorServices() throws Exception {
    try (GanymedeHost host = GanymedeHost.start(Distribution.current(), List.of())) {
      ExperimentRunner runner = host.runner();
      Path run = work.resolve("run");
      Path experiment = Experiments.write(work, "cdcgan.yaml", EXPERIMENT);
      assertEquals(RunOutcome.Status.COMPLETED, runner.train(experiment, new RunOptions(List.of(), () -> false, run, 0))
          .status());
      Path saved = work.resolve("saved");
      runner.exportModel(run, saved);

      BundleContext context = host.framework().getBundleContext();
      configure(context, "shoes", saved.toString(), null);
      configure(context, "broken", work.resolve("missing").toString(), null);
      Object live = configure(context, "live", run.toString(), "latest");
      Generator shoes = await(context, "shoes");
      Generator fromRun = await(context, "live");

      Generator.Model model = shoes.model();
      assertEquals(new Generator.Model("shoes", "dcgan", 4, List.of(28L, 28L, 1L), 8, model.classes(), List.of()), model);
      assertEquals(10, model.classes().size());

      // Exactly what the run's own graph makes for the same latents and classes.
      List<String> classes = List.of("0", "3", "bag", model.classes().get(9), "1", "2");
      float[][] z = gaussian(6, 8, 11);
      float[][] expected;
      try (ExportedModel own = new ExportedModel(run, ExportedModel.latestCheckpoint(run));
          TFloat32 zt = TFloat32.tensorOf(Shape.of(6, 8), d -> {
            for (int i = 0; i < 6; i++) {
              for (int j = 0; j < 8; j++) {
                d.setFloat(z[i][j], i, j);
              }
            }
          });
          TFloat32 ct = TFloat32.tensorOf(Shape.of(6, 10), d -> {
            d.scalars().forEach(v -> v.setFloat(0)); // a new tensor's memory is not cleared
            for (int i = 0; i < 6; i++) {
              d.setFloat(1, i, List.of(0, 3, model.classes().indexOf("bag"), 9, 1, 2).get(i));
            }
          })) {
        expected = own.generate(zt, ct);
      }
      float[][] served = shoes.generate(z, classes);
      float[][] servedFromRun = fromRun.generate(z, classes);
      for (int i = 0; i < 6; i++) {
        assertArrayEquals(expected[i], served[i], "sample " + i + " of the SavedModel");
        assertArrayEquals(expected[i], servedFromRun[i], "sample " + i + " of the run folder");
      }

      // Eight callers at once get what one caller gets.
      List<float[][]> alone = new ArrayList<>();
      for (int seed = 0; seed < 8; seed++) {
        alone.add(shoes.generate(16, seed, Collections.nCopies(16, model.classes().get(seed))));
      }
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<float[][]>> together = new ArrayList<>();
        for (int seed = 0; seed < 8; seed++) {
          long s = seed;
          together.add(pool.submit(() -> shoes.generate(16, s, Collections.nCopies(16, model.classes().get((int) s)))));
        }
        for (int seed = 0; seed < 8; seed++) {
          float[][] got = together.get(seed).get();
          for (int i = 0; i < 16; i++) {
            assertArrayEquals(alone.get(seed)[i], got[i], "seed " + seed + " sample " + i);
          }
        }
      } finally {
        pool.shutdown();
      }

      String unknown = assertThrows(ParameterException.class, () -> shoes.generate(1, 1, List.of("hat"))).getMessage();
      assertTrue(unknown.contains("has no class 'hat'; its classes: " + String.join(", ", model.classes())), unknown);
      String translate = assertThrows(ParameterException.class, () -> shoes.translate("a2b", z)).getMessage();
      assertTrue(translate.contains("does not translate"), translate);

      // The missing folder is reported by name; the gogo commands list it and draw from the others.
      Object commands = context.getService(context.getServiceReferences(
          "org.ganymede.generator.internal.GeneratorCommands", null)[0]);
      String listed = (String) commands.getClass().getMethod("generators").invoke(commands);
      assertTrue(listed.contains("failed: generator 'broken' could not load " + work.resolve("missing") + ": folder "
          + work.resolve("missing") + " does not exist"), listed);
      assertTrue(listed.contains("shoes") && listed.contains("live"), listed);
      Path grid = work.resolve("grid.png");
      commands.getClass().getMethod("generate", String.class, String.class, int.class, long.class, String.class)
          .invoke(commands, "shoes", grid.toString(), 9, 2L, "bag");
      BufferedImage picture = ImageIO.read(grid.toFile());
      assertEquals(3 * 28, picture.getWidth());
      assertEquals(3 * 28, picture.getHeight());

      // Trained further, the run folder's generator is swapped by updating its configuration.
      assertEquals(RunOutcome.Status.COMPLETED, runner.resume(run, new RunOptions(List.of(), () -> false, null, 6))
          .status());
      Dictionary<String, Object> again = new Hashtable<>();
      again.put("name", "live");
      again.put("model", run.toString());
      again.put("checkpoint", "latest");
      update(live, again);
      Generator swapped = awaitStep(context, "live", 6);
      assertEquals(6, swapped.model().step());
      assertFalse(java.util.Arrays.equals(servedFromRun[0], swapped.generate(z, classes)[0]), "new weights, new samples");
      assertEquals(4, shoes.model().step(), "the other generator is untouched");
    }
  }

  /** A CycleGAN's SavedModel as a generator translates both ways, as the run's own translate does. */
  @Test
  void aTranslationModelTranslatesBothWays() throws Exception {
    try (GanymedeHost host = GanymedeHost.start(Distribution.current(), List.of())) {
      ExperimentRunner runner = host.runner();
      Path run = work.resolve("cycle");
      Path experiment = Experiments.write(work, "cycle.yaml", """
          architecture: {name: cyclegan, ngf: 4, ndf: 4, blocks: 1, pool_size: 3}
          dataset: {name: unpaired-fashion-mnist}
          training: {steps: 2, batch: 2, seed: 5}
          output: {log_every: 1, sample_every: 1000, checkpoint_every: 1000}
          """);
      assertEquals(RunOutcome.Status.COMPLETED, runner.train(experiment, new RunOptions(List.of(), () -> false, run, 0))
          .status());
      Path saved = work.resolve("cycle-saved");
      runner.exportModel(run, saved);
      BundleContext context = host.framework().getBundleContext();
      configure(context, "cycle", saved.toString(), null);
      Generator cycle = await(context, "cycle");
      assertEquals(List.of("a2b", "b2a"), cycle.model().translations());
      assertEquals(0, cycle.model().latentSize());

      // Four images in, translated by the service and by the run's own translate, agree to the PNG's rounding.
      Path inputs = Files.createDirectories(work.resolve("inputs"));
      float[][] images = new float[4][32 * 32];
      java.util.SplittableRandom random = new java.util.SplittableRandom(8);
      for (int i = 0; i < 4; i++) {
        BufferedImage image = new BufferedImage(32, 32, BufferedImage.TYPE_BYTE_GRAY);
        for (int p = 0; p < 32 * 32; p++) {
          int level = random.nextInt(256);
          image.getRaster().setSample(p % 32, p / 32, 0, level);
          images[i][p] = level / 127.5f - 1;
        }
        ImageIO.write(image, "png", inputs.resolve(i + ".png").toFile());
      }
      for (String direction : List.of("a2b", "b2a")) {
        float[][] served = cycle.translate(direction, images);
        List<Path> written = runner.translate(run, direction, inputs, work.resolve("out-" + direction));
        for (int i = 0; i < 4; i++) {
          BufferedImage own = ImageIO.read(written.get(i).toFile());
          for (int p = 0; p < 32 * 32; p++) {
            float expected = own.getRaster().getSample(p % 32, p / 32, 0) / 127.5f - 1;
            assertEquals(expected, served[i][p], 1.01 / 127.5, direction + " image " + i + " pixel " + p);
          }
        }
      }
      String sampling = assertThrows(ParameterException.class, () -> cycle.generate(1, 1, null)).getMessage();
      assertTrue(sampling.contains("does not sample from a latent; it translates: a2b, b2a"), sampling);
    }
  }

  private static float[][] gaussian(int rows, int columns, long seed) {
    java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
    float[][] z = new float[rows][columns];
    for (float[] row : z) {
      for (int j = 0; j < columns; j++) {
        row[j] = (float) random.nextGaussian();
      }
    }
    return z;
  }

  /** A factory configuration of org.ganymede.generator, through Configuration Admin's interface. */
  static Object configure(BundleContext context, String name, String model, String checkpoint)
      throws Exception {
    ServiceReference<?> reference = context.getServiceReference("org.osgi.service.cm.ConfigurationAdmin");
    Object admin = context.getService(reference);
    Class<?> adminType = admin.getClass().getClassLoader().loadClass("org.osgi.service.cm.ConfigurationAdmin");
    Object configuration = adminType.getMethod("createFactoryConfiguration", String.class, String.class)
        .invoke(admin, "org.ganymede.generator", "?");
    Dictionary<String, Object> properties = new Hashtable<>();
    properties.put("name", name);
    properties.put("model", model);
    if (checkpoint != null) {
      properties.put("checkpoint", checkpoint);
    }
    update(configuration, properties);
    return configuration;
  }

  private static void update(Object configuration, Dictionary<String, Object> properties) throws Exception {
    Class<?> type = configuration.getClass().getClassLoader().loadClass("org.osgi.service.cm.Configuration");
    type.getMethod("update", Dictionary.class).invoke(configuration, properties);
  }

  private static Generator await(BundleContext context, String name) throws Exception {
    return awaitStep(context, name, -1);
  }

  private static Generator awaitStep(BundleContext context, String name, long step) throws Exception {
    String filter = "(&(objectClass=" + Generator.class.getName() + ")(name=" + name + ")"
        + (step < 0 ? "" : "(step=" + step + ")") + ")";
    ServiceTracker<Generator, Generator> tracker = new ServiceTracker<>(context, context.createFilter(filter), null);
    tracker.open();
    Generator generator = tracker.waitForService(120_000);
    assertNotNull(generator, "no generator " + filter + " registered");
    return generator;
  }
}
