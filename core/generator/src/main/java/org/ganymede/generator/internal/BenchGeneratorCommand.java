package org.ganymede.generator.internal;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.ganymede.api.Command;
import org.ganymede.api.ExperimentRunner;
import org.ganymede.api.Generator;
import org.ganymede.api.Plugins;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.tensorflow.Result;
import org.tensorflow.SessionFunction;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ganymede bench-generator MODEL}: images per second from the Generator service (rows in,
 * rows out, checked) against the same SavedModel signature called directly with tensors made
 * once, at each batch size asked for. Both run in this one process, one after the other.
 */
@Component(service = Command.class, property = {
    Plugins.NAME + "=bench-generator",
    Plugins.DESCRIPTION + "=Images per second from the Generator service against its graph called directly"})
public final class BenchGeneratorCommand implements Command {
  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
  private volatile ExperimentRunner runner;

  @CommandLine.Command(name = "bench-generator", description = "Images per second from the Generator service for a "
      + "model (a folder export-model wrote, or a run folder) against the same signature called directly.")
  static final class Arguments {
    @Parameters(paramLabel = "MODEL", description = "a folder export-model wrote, or a run folder")
    Path model;

    @Option(names = "--batch", split = ",", defaultValue = "1,64", description = "batch sizes (default ${DEFAULT-VALUE})")
    List<Integer> batches;

    @Option(names = "--seconds", defaultValue = "5", description = "timed seconds per measurement (default ${DEFAULT-VALUE})")
    double seconds;
  }

  @Override
  public int run(List<String> arguments, PrintStream out, PrintStream err) throws Exception {
    Arguments a = new Arguments();
    CommandLine cli = new CommandLine(a);
    try {
      cli.parseArgs(arguments.toArray(new String[0]));
    } catch (CommandLine.ParameterException e) {
      err.println("error: " + e.getMessage());
      cli.usage(err);
      return 2;
    }
    try (SavedModelGenerator generator = SavedModelGenerator.open("bench", a.model, null, runner)) {
      Generator.Model m = generator.model();
      if (m.latentSize() == 0) {
        err.println("error: " + a.model + " does not sample from a latent; bench-generator measures sampling models");
        return 2;
      }
      out.printf("%s, step %d, samples %s, latent %d%s; %.0f s a measurement%n", m.architecture(), m.step(),
          m.sampleShape(), m.latentSize(), m.classes().isEmpty() ? "" : ", " + m.classes().size() + " classes", a.seconds);
      out.printf("%-6s %18s %18s %8s%n", "batch", "service images/s", "direct images/s", "ratio");
      for (int batch : a.batches) {
        List<String> classes = m.classes().isEmpty() ? null : Collections.nCopies(batch, m.classes().get(0));
        float[][] latents = new float[batch][m.latentSize()];
        double service = imagesPerSecond(batch, a.seconds, () -> generator.generate(latents, classes));
        double direct;
        try (TFloat32 z = TFloat32.tensorOf(Shape.of(batch, m.latentSize()), d -> d.scalars().forEach(v -> v.setFloat(0)));
            TFloat32 c = classes == null ? null : TFloat32.tensorOf(Shape.of(batch, m.classes().size()), d -> {
              d.scalars().forEach(v -> v.setFloat(0));
              for (int i = 0; i < batch; i++) {
                d.setFloat(1, i, 0);
              }
            })) {
          Map<String, Tensor> inputs = c == null ? Map.of("latent", z) : Map.of("latent", z, "classes", c);
          SessionFunction serving = generator.serving();
          direct = imagesPerSecond(batch, a.seconds, () -> {
            try (Result r = serving.call(inputs)) {
              r.get("images").orElseThrow();
            }
          });
        }
        out.printf("%-6d %18.1f %18.1f %8.3f%n", batch, service, direct, service / direct);
      }
    }
    return 0;
  }

  /** Calls {@code call} for a second untimed, then for {@code seconds}; images a second. */
  private static double imagesPerSecond(int batch, double seconds, Runnable call) {
    long warm = System.nanoTime() + 1_000_000_000L;
    while (System.nanoTime() < warm) {
      call.run();
    }
    long start = System.nanoTime();
    long end = start + (long) (seconds * 1e9);
    long calls = 0;
    while (System.nanoTime() < end) {
      call.run();
      calls++;
    }
    return calls * batch / ((System.nanoTime() - start) / 1e9);
  }
}
