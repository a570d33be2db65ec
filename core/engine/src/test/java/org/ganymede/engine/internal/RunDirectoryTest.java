package org.ganymede.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDirectoryTest {
  @TempDir Path work;

  @Test
  void checkpointsAreRenamedIntoPlaceAndOnlyTheNewestAreKept() throws IOException {
    RunDirectory run = new RunDirectory(work.resolve("run"));
    run.createFor(ExperimentParser.parse("architecture: vanilla\ndataset: ring\n", "r", "test"));
    for (long step = 1; step <= 4; step++) {
      run.writeCheckpoint(new RunState(step, step * 2, step * 3, step * 1.5), prefix -> write(prefix + ".index", "weights"), 2);
    }
    Path latest = run.latestCheckpoint().orElseThrow();
    assertEquals("step-000000004", latest.getFileName().toString());
    assertEquals(new RunState(4, 8, 12, 6), RunDirectory.readState(latest));
    assertTrue(Files.exists(run.checkpoints().resolve("step-000000003")));
    assertFalse(Files.exists(run.checkpoints().resolve("step-000000002")));
  }

  @Test
  void aStateWrittenBeforeTrainingSecondsWereRecordedReadsAsNoSeconds() throws IOException {
    Path checkpoint = Files.createDirectories(work.resolve("step-000000003"));
    Files.writeString(checkpoint.resolve("state.json"), "{\"step\":3,\"batches\":6,\"objectiveRuns\":9}");
    assertEquals(new RunState(3, 6, 9, 0), RunDirectory.readState(checkpoint));
  }

  @Test
  void aCheckpointWhoseWriteFailsNeverReplacesTheLastGoodOne() throws IOException {
    RunDirectory run = new RunDirectory(work.resolve("run"));
    run.createFor(ExperimentParser.parse("architecture: vanilla\ndataset: ring\n", "r", "test"));
    run.writeCheckpoint(new RunState(1, 1, 1, 1), prefix -> write(prefix + ".index", "good"), 3);
    assertThrows(UncheckedIOException.class, () -> run.writeCheckpoint(new RunState(2, 2, 2, 2), prefix -> {
      write(prefix + ".index", "half");
      throw new UncheckedIOException(new IOException("disk full"));
    }, 3));
    Path latest = run.latestCheckpoint().orElseThrow();
    assertEquals("step-000000001", latest.getFileName().toString());
    assertEquals("good", Files.readString(latest.resolve("ckpt.index")));
  }

  private static void write(String file, String text) {
    try {
      Files.writeString(Path.of(file), text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
