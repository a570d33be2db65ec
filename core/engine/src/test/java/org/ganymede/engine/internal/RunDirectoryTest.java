package org.ganymede.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.ganymede.api.Checkpoint;
import org.ganymede.api.ParameterException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDirectoryTest {
  @TempDir Path work;

  @Test
  void checkpointsAreRenamedIntoPlaceAndOnlyTheNewestAreKept() throws IOException {
    RunDirectory run = run();
    for (long step = 1; step <= 4; step++) {
      run.writeCheckpoint(new RunState(step, step * 2, step * 3, step * 1.5, null), weights("weights"), 2);
    }
    Path latest = run.latestCheckpoint().orElseThrow();
    assertEquals("step-000000004", latest.getFileName().toString());
    assertEquals(new RunState(4, 8, 12, 6, null), RunDirectory.readState(latest));
    assertTrue(Files.exists(run.checkpoints().resolve("step-000000003")));
    assertFalse(Files.exists(run.checkpoints().resolve("step-000000002")));
  }

  @Test
  void theBestCheckpointIsKeptBesidesTheNewest() throws IOException {
    RunDirectory run = run();
    RunState.Best best = new RunState.Best("step-000000002", 2, "metric/fid/fid", "min", 12.5);
    run.writeCheckpoint(new RunState(1, 1, 1, 1, null), weights("1"), 2);
    for (long step = 2; step <= 5; step++) {
      run.writeCheckpoint(new RunState(step, step, step, step, best), weights("w" + step), 2);
    }
    assertEquals(List.of("step-000000005", "step-000000004", "step-000000002"), names(run.checkpointFolders()));
    assertEquals(run.checkpoints().resolve("step-000000002"), run.choose(Checkpoint.best(), "sample from"));
    assertEquals(best, RunDirectory.readState(run.latestCheckpoint().orElseThrow()).best());
  }

  @Test
  void aStateWrittenBeforeTrainingSecondsWereRecordedReadsAsNoSeconds() throws IOException {
    Path checkpoint = Files.createDirectories(work.resolve("step-000000003"));
    Files.writeString(checkpoint.resolve("state.json"), "{\"step\":3,\"batches\":6,\"objectiveRuns\":9}");
    assertEquals(new RunState(3, 6, 9, 0, null), RunDirectory.readState(checkpoint));
  }

  @Test
  void aCheckpointWhoseWriteFailsNeverReplacesTheLastGoodOne() throws IOException {
    RunDirectory run = run();
    run.writeCheckpoint(new RunState(1, 1, 1, 1, null), weights("good"), 3);
    assertThrows(UncheckedIOException.class, () -> run.writeCheckpoint(new RunState(2, 2, 2, 2, null), prefix -> {
      write(prefix + ".index", "half");
      throw new UncheckedIOException(new IOException("disk full"));
    }, 3));
    Path latest = run.latestCheckpoint().orElseThrow();
    assertEquals("step-000000001", latest.getFileName().toString());
    assertEquals("good", Files.readString(latest.resolve("ckpt.data-00000-of-00001")));
    assertEquals(java.util.Optional.empty(), CheckpointFiles.damage(latest));
    assertEquals(List.of("latest", "step-000000001"), names(Files.list(run.checkpoints()).sorted().toList()),
        "the half-written checkpoint is removed");
  }

  /** A truncated data file, a missing index and one changed byte: each found and named, the older one resumed. */
  @Test
  void aDamagedLatestCheckpointIsNamedAndResumeFallsBackToTheNewestIntactOne() throws IOException {
    for (String damage : List.of("truncated", "missing index", "flipped byte")) {
      RunDirectory run = new RunDirectory(work.resolve(damage.replace(' ', '-')));
      run.createFor(ExperimentParser.parse("architecture: vanilla\ndataset: ring\n", "r", "test"));
      run.writeCheckpoint(new RunState(50, 50, 50, 5, null), weights("older weights"), 3);
      run.writeCheckpoint(new RunState(100, 100, 100, 10, null), weights("newer weights"), 3);
      Path latest = run.latestCheckpoint().orElseThrow();
      Path data = latest.resolve("ckpt.data-00000-of-00001");
      String expected = switch (damage) {
        case "truncated" -> {
          try (RandomAccessFile f = new RandomAccessFile(data.toFile(), "rw")) {
            f.setLength(5);
          }
          yield "ckpt.data-00000-of-00001 has 5 bytes, 13 were written";
        }
        case "missing index" -> {
          Files.delete(latest.resolve("ckpt.index"));
          yield "ckpt.index is missing";
        }
        default -> {
          byte[] bytes = Files.readAllBytes(data);
          bytes[3] ^= 1;
          Files.write(data, bytes);
          yield "ckpt.data-00000-of-00001 is not what was written: its SHA-256 checksum differs";
        }
      };
      ParameterException refused = assertThrows(ParameterException.class, () -> run.choose(Checkpoint.latest(), "sample"));
      assertTrue(refused.getMessage().contains("checkpoint step-000000100 in " + run.checkpoints() + " is damaged: "
          + expected + "; intact: checkpoints at step 50"), refused.getMessage());

      List<String> warnings = new ArrayList<>();
      Path resumed = run.toResume(Checkpoint.latest(), warnings::add);
      assertEquals("step-000000050", resumed.getFileName().toString());
      assertEquals(List.of("checkpoint step-000000100 is damaged: " + expected + "; resuming from step-000000050, the "
          + "newest intact one: 50 steps are lost and will be trained again"), warnings);
    }
  }

  @Test
  void aCheckpointWrittenBeforeChecksumsResumesUnverified() throws IOException {
    RunDirectory run = run();
    Path old = Files.createDirectories(run.checkpoints().resolve("step-000000020"));
    Files.writeString(old.resolve("state.json"), "{\"step\":20,\"batches\":20,\"objectiveRuns\":40,\"trainSeconds\":3.5}");
    Files.writeString(old.resolve("ckpt.index"), "index");
    Files.writeString(old.resolve("ckpt.data-00000-of-00001"), "data");
    Files.writeString(run.checkpoints().resolve("latest"), "step-000000020");
    List<String> warnings = new ArrayList<>();
    assertEquals(old, run.toResume(Checkpoint.latest(), warnings::add));
    assertEquals(List.of(), warnings);
    assertEquals(new RunState(20, 20, 40, 3.5, null), RunDirectory.readState(old));
  }

  @Test
  void checkpointsChosenByStepOrBestSayWhatTheRunHas() throws IOException {
    RunDirectory run = run();
    run.writeCheckpoint(new RunState(10, 10, 10, 1, null), weights("w"), 3);
    ParameterException noStep = assertThrows(ParameterException.class, () -> run.choose(Checkpoint.step(7), "sample"));
    assertTrue(noStep.getMessage().contains("has no checkpoint step-000000007; it has checkpoints at step 10"),
        noStep.getMessage());
    ParameterException noBest = assertThrows(ParameterException.class, () -> run.choose(Checkpoint.best(), "sample"));
    assertTrue(noBest.getMessage().contains("keeps no best checkpoint: its experiment has no output.keep_best"),
        noBest.getMessage());
  }

  /** The writer keeps one checkpoint and prunes as fast as it can; every reader's copy is whole. */
  @Test
  void aReaderCopiesAnIntactCheckpointWhileTheWriterPrunes() throws Exception {
    RunDirectory run = run();
    run.writeCheckpoint(new RunState(1, 1, 1, 1, null), weights("x".repeat(100_000)), 1);
    AtomicBoolean stop = new AtomicBoolean();
    Thread writer = new Thread(() -> {
      try {
        for (long step = 2; !stop.get(); step++) {
          run.writeCheckpoint(new RunState(step, step, step, step, null), weights(Long.toString(step).repeat(50_000)), 1);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    writer.start();
    int read = 0;
    int removedUnderTheReader = 0;
    try {
      for (int i = 0; i < 200; i++) {
        Path chosen;
        try {
          chosen = run.find(Checkpoint.latest(), "read");
        } catch (ParameterException e) {
          continue; // between the writer's rename and its pointer
        }
        try (CheckpointFiles.Snapshot copy = CheckpointFiles.Snapshot.of(chosen)) {
          assertEquals(java.util.Optional.empty(), CheckpointFiles.damage(copy.dir()));
          long step = RunDirectory.readState(copy.dir()).step();
          String data = Files.readString(copy.dir().resolve("ckpt.data-00000-of-00001"));
          assertEquals(step == 1 ? "x".repeat(100_000) : Long.toString(step).repeat(50_000), data);
          read++;
        } catch (java.nio.file.NoSuchFileException e) {
          removedUnderTheReader++; // the runner looks the latest up again
        }
      }
    } finally {
      stop.set(true);
      writer.join();
    }
    assertTrue(read > 0, "read " + read + ", removed " + removedUnderTheReader);
  }

  private RunDirectory run() throws IOException {
    RunDirectory run = new RunDirectory(work.resolve("run"));
    run.createFor(ExperimentParser.parse("architecture: vanilla\ndataset: ring\n", "r", "test"));
    return run;
  }

  /** Writes a TensorFlow checkpoint's two files with this content. */
  private static java.util.function.Consumer<String> weights(String data) {
    return prefix -> {
      write(prefix + ".index", "index of " + data.length());
      write(prefix + ".data-00000-of-00001", data);
    };
  }

  private static List<String> names(List<Path> paths) {
    return paths.stream().map(p -> p.getFileName().toString()).toList();
  }

  private static void write(String file, String text) {
    try {
      Files.writeString(Path.of(file), text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
