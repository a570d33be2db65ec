package org.ganymede.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** A sweep of four tiny runs, two at a time, each in its own process: its table, and what a second call keeps. */
class SweepTest {
  @TempDir Path work;

  @Test
  void aSweepTabulatesItsRunsGoesOnPastAFailedOneAndKeepsWhatFinished() throws Exception {
    Files.writeString(work.resolve("ring.yaml"), """
        architecture: {name: vanilla}
        dataset: {name: ring}
        metrics: [{name: mode-coverage, samples: 500}]
        training: {steps: 20, batch: 64, seed: 9}
        output: {log_every: 10, sample_every: 100000, checkpoint_every: 20}
        """);
    Path runs = work.resolve("runs");
    // Packing 3 does not divide the batch of 64: those two runs fail, the other two go on.
    Path sweep = Files.writeString(work.resolve("sweep.yaml"), """
        experiment: ring.yaml
        seeds: [1, 2]
        parallel: 2
        run_dir: %s
        grid:
          architecture.packing: [1, 3]
        """.formatted(runs));
    Call first = sweep(sweep);
    assertEquals(1, first.code(), first.output());
    assertTrue(first.output().contains("sweep of 4 runs (2 configurations x 2 seeds), 2 at a time"), first.output());
    assertTrue(first.output().contains("packing=3 seed 1: failed (exit code 2"), first.output());

    String csv = Files.readString(runs.resolve("sweep.csv"));
    List<String> lines = csv.lines().toList();
    assertEquals(3, lines.size(), csv);
    List<String> header = List.of(lines.get(0).split(","));
    String[] packed = lines.get(1).split(",");
    assertEquals("packing=1", packed[0]);
    assertEquals("2", packed[header.indexOf("finished")]);
    assertTrue(lines.get(2).startsWith("packing=3,3,2,0,"), lines.get(2));
    // The table's mean and standard error are those of the two runs' last evaluations.
    String covered = "metric/mode-coverage/high_quality";
    double a = SweepTable.finalValues(runs.resolve("packing=1/seed-1/metrics.jsonl")).get(covered);
    double b = SweepTable.finalValues(runs.resolve("packing=1/seed-2/metrics.jsonl")).get(covered);
    assertEquals((a + b) / 2, Double.parseDouble(packed[header.indexOf(covered + "_mean")]), 1e-12);
    assertEquals(Math.abs(a - b) / 2, Double.parseDouble(packed[header.indexOf(covered + "_se")]), 1e-12);
    double seconds = SweepTable.finalValues(runs.resolve("packing=1/seed-1/metrics.jsonl")).get("train_seconds");
    assertTrue(seconds > 0, "train_seconds " + seconds);
    assertTrue(Files.readString(runs.resolve("sweep.md")).contains("| packing=3 | 0 of 2 |"));
    assertTrue(Files.size(runs.resolve("sweep.png")) > 1000);
    Map<String, Object> seed2 = new org.yaml.snakeyaml.Yaml().load(Files.readString(runs.resolve("packing=1/seed-2.yaml")));
    assertEquals(2, ((Map<?, ?>) seed2.get("training")).get("seed"));

    long written = Files.getLastModifiedTime(runs.resolve("packing=1/seed-1/metrics.jsonl")).toMillis();
    Call again = sweep(sweep);
    assertTrue(again.output().contains("packing=1 seed 1: finished, kept"), again.output());
    assertTrue(again.output().contains("packing=1 seed 2: finished, kept"), again.output());
    assertTrue(again.output().contains("packing=3 seed 2: failed"), again.output());
    assertEquals(written, Files.getLastModifiedTime(runs.resolve("packing=1/seed-1/metrics.jsonl")).toMillis());
  }

  private record Call(int code, String output) {}

  private static Call sweep(Path file) {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      int code = new CommandLine(new Main()).execute("sweep", file.toString());
      return new Call(code, captured.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(original);
    }
  }
}
