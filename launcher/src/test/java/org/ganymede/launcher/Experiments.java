package org.ganymede.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small experiment files for tests, written into a temporary folder. */
final class Experiments {
  private Experiments() {}

  static final String RING = """
      name: test-ring
      architecture: {name: vanilla}
      loss: non-saturating
      dataset: {name: ring}
      training: {steps: %d, batch: 128, seed: 5}
      output: {log_every: 20, sample_every: 100000, checkpoint_every: %d}
      """;

  static Path ring(Path dir, long steps, long checkpointEvery) throws IOException {
    return write(dir, "ring.yaml", String.format(RING, steps, checkpointEvery));
  }

  static Path write(Path dir, String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    return file;
  }
}
