package org.ganymede.generator.internal;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.imageio.ImageIO;
import org.ganymede.api.Generator;
import org.ganymede.api.ParameterException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Gogo commands: {@code ganymede:generators} lists the configured generators (and the
 * configurations that failed, with why); {@code ganymede:generate NAME FILE.png [COUNT [SEED
 * [CLASS]]]} writes a grid of one generator's samples.
 */
@Component(service = GeneratorCommands.class, property = {
    "osgi.command.scope=ganymede",
    "osgi.command.function=generators",
    "osgi.command.function=generate"})
public final class GeneratorCommands {
  private final GeneratorFactory factory;

  @Activate
  public GeneratorCommands(@Reference GeneratorFactory factory) {
    this.factory = factory;
  }

  /** A line per generator: name, architecture, step, sample shape, classes, where it came from. */
  public String generators() {
    List<String> lines = new ArrayList<>();
    for (GeneratorFactory.Loaded l : factory.loaded().values()) {
      Generator.Model m = l.generator().model();
      lines.add(String.format("%-16s %-10s step %-8d %-12s %s%s", m.name(), m.architecture(), m.step(),
          m.sampleShape().toString(), l.model(), m.classes().isEmpty() ? "" : "  classes: " + String.join(", ",
              m.classes())));
    }
    factory.failures().forEach(f -> lines.add("failed: " + f));
    return lines.isEmpty() ? "no generators configured (a factory configuration org.ganymede.generator with 'name' and "
        + "'model')" : String.join("\n", lines);
  }

  public String generate(String name, String file) throws IOException {
    return generate(name, file, 16, 1, null);
  }

  public String generate(String name, String file, int count) throws IOException {
    return generate(name, file, count, 1, null);
  }

  public String generate(String name, String file, int count, long seed) throws IOException {
    return generate(name, file, count, seed, null);
  }

  /** Writes a grid of {@code count} samples (of one class, for a conditional generator). */
  public String generate(String name, String file, int count, long seed, String className) throws IOException {
    Generator generator = factory.loaded().values().stream().map(GeneratorFactory.Loaded::generator)
        .filter(g -> g.model().name().equals(name)).findFirst().orElseThrow(() -> new ParameterException(
            "no generator '" + name + "'; configured: " + String.join(", ", factory.loaded().values().stream()
                .map(l -> l.generator().model().name()).toList())));
    Generator.Model m = generator.model();
    if (m.sampleShape().size() != 3) {
      throw new ParameterException("generator '" + name + "' makes " + m.sampleShape() + " samples, not images");
    }
    List<String> classes = m.classes().isEmpty() ? null
        : Collections.nCopies(count, className == null ? m.classes().get(0) : className);
    float[][] samples = generator.generate(count, seed, classes);
    Path out = Path.of(file);
    if (out.getParent() != null) {
      Files.createDirectories(out.getParent());
    }
    ImageIO.write(grid(samples, m.sampleShape()), "png", out.toFile());
    return "wrote " + count + " samples of " + name + " to " + out.toAbsolutePath();
  }

  /** Samples in [-1, 1] as a square-ish grid, grey or RGB. */
  static BufferedImage grid(float[][] samples, List<Long> shape) {
    int h = shape.get(0).intValue();
    int w = shape.get(1).intValue();
    int c = shape.get(2).intValue();
    int columns = (int) Math.ceil(Math.sqrt(samples.length));
    int rows = (samples.length + columns - 1) / columns;
    BufferedImage image = new BufferedImage(columns * w, rows * h, c == 1 ? BufferedImage.TYPE_BYTE_GRAY
        : BufferedImage.TYPE_INT_RGB);
    for (int s = 0; s < samples.length; s++) {
      int x0 = (s % columns) * w;
      int y0 = (s / columns) * h;
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int base = (y * w + x) * c;
          if (c == 1) {
            int v = level(samples[s][base]);
            image.getRaster().setSample(x0 + x, y0 + y, 0, v);
          } else {
            image.setRGB(x0 + x, y0 + y, level(samples[s][base]) << 16 | level(samples[s][base + 1]) << 8
                | level(samples[s][base + 2]));
          }
        }
      }
    }
    return image;
  }

  private static int level(float v) {
    return Math.max(0, Math.min(255, Math.round((v + 1) * 127.5f)));
  }
}
