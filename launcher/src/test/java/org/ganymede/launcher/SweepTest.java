package org.ganymede.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
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

    dashboardShowsTheTable(runs, a, b);

    long written = Files.getLastModifiedTime(runs.resolve("packing=1/seed-1/metrics.jsonl")).toMillis();
    Call again = sweep(sweep);
    assertTrue(again.output().contains("packing=1 seed 1: finished, kept"), again.output());
    assertTrue(again.output().contains("packing=1 seed 2: finished, kept"), again.output());
    assertTrue(again.output().contains("packing=3 seed 2: failed"), again.output());
    assertEquals(written, Files.getLastModifiedTime(runs.resolve("packing=1/seed-1/metrics.jsonl")).toMillis());
  }

  /** The dashboard of the folder the sweep wrote lists it with its table and the progress of its four runs. */
  private static void dashboardShowsTheTable(Path runs, double a, double b) throws Exception {
    int port;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    GanymedeHost.Dashboard dashboard = new GanymedeHost.Dashboard(runs.getParent(), "127.0.0.1", port);
    try (GanymedeHost host = GanymedeHost.startDashboard(Distribution.current(), dashboard, List.of())) {
      java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
          java.net.http.HttpRequest.newBuilder(java.net.URI.create(dashboard.url() + "api/sweeps")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertEquals(200, response.statusCode(), response.body());
      JsonArray sweeps = JsonParser.parseString(response.body()).getAsJsonObject().getAsJsonArray("sweeps");
      assertEquals(1, sweeps.size(), response.body());
      JsonObject sweep = sweeps.get(0).getAsJsonObject();
      assertEquals("runs", sweep.get("name").getAsString());
      assertTrue(sweep.get("complete").getAsBoolean() && sweep.get("picture").getAsBoolean(), sweep.toString());
      JsonObject packed = sweep.getAsJsonArray("configurations").get(0).getAsJsonObject();
      assertEquals("packing=1", packed.get("name").getAsString());
      assertEquals(2, packed.get("finished").getAsInt());
      JsonObject covered = packed.getAsJsonObject("values").getAsJsonObject("metric/mode-coverage/high_quality");
      assertEquals((a + b) / 2, covered.get("mean").getAsDouble(), 1e-12);
      assertEquals(Math.abs(a - b) / 2, covered.get("se").getAsDouble(), 1e-12);
      List<String> progress = new java.util.ArrayList<>();
      sweep.getAsJsonArray("progress").forEach(r -> progress.add(r.getAsJsonObject().get("name").getAsString() + " "
          + r.getAsJsonObject().get("state").getAsString()));
      // The failed runs were refused before they had a folder.
      assertEquals(List.of("packing=1/seed-1 completed", "packing=1/seed-2 completed"), progress);
      java.net.http.HttpResponse<byte[]> plot = java.net.http.HttpClient.newHttpClient().send(
          java.net.http.HttpRequest.newBuilder(java.net.URI.create(dashboard.url() + "api/sweeps/runs/sweep.png")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(Files.size(runs.resolve("sweep.png")), plot.body().length);
    }
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
