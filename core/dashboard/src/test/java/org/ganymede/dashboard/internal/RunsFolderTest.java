package org.ganymede.dashboard.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the dashboard reads of a runs folder, and what it refuses to. */
class RunsFolderTest {
  @TempDir Path work;

  @Test
  void aRunsStateStepAndMetricsComeFromItsFolder() throws Exception {
    Path runs = Files.createDirectories(work.resolve("runs"));
    Path run = run(runs, "a", 100, """
        {"step":10,"kind":"train","generator":1.5,"steps_per_second":5.0,"train_seconds":2.0}
        {"step":10,"kind":"metrics","metric/fid/fid":80.5,"train_seconds":2.0}
        """);
    RunsFolder folder = new RunsFolder(runs);
    JsonObject summary = folder.summary(folder.inside("a"), "a");
    assertEquals("dcgan", summary.get("architecture").getAsString());
    assertEquals("hinge", summary.get("loss").getAsString());
    assertEquals(10, summary.get("step").getAsLong());
    assertEquals(100, summary.get("total_steps").getAsLong());
    assertEquals(18.0, summary.get("seconds_left").getAsDouble(), 1e-9, "90 steps at 5 steps/s");
    assertEquals(80.5, summary.getAsJsonObject("metrics").get("fid/fid").getAsDouble());
    assertEquals("stopped", summary.get("state").getAsString(), "no writer");

    Files.writeString(run.resolve("writer.lock"), "{\"pid\":" + ProcessHandle.current().pid() + "}\n");
    assertEquals("running", folder.summary(run, "a").get("state").getAsString(), "a live process holds the lock");
    Files.writeString(run.resolve("writer.lock"), "");
    assertEquals("stopped", folder.summary(run, "a").get("state").getAsString(), "an emptied lock: its writer let go");
    run(runs, "b", 10, "{\"step\":10,\"kind\":\"train\",\"generator\":1.0}\n");
    assertEquals("completed", folder.summary(folder.inside("b"), "b").get("state").getAsString());
    run(runs, "c", 100, "{\"step\":7,\"kind\":\"train\",\"generator\":\"NaN\",\"discriminator\":0.5}\n");
    assertEquals("diverged", folder.summary(folder.inside("c"), "c").get("state").getAsString());
  }

  @Test
  void aTornLogShowsWhatIsReadableAndSaysWhatIsNot() throws Exception {
    Path runs = Files.createDirectories(work.resolve("runs"));
    run(runs, "torn", 100, """
        {"step":5,"kind":"train","generator":1.5}
        {"step":10,"kind":"train","generator":1.4}
        {"step":15,"kind":"tra""");
    RunsFolder folder = new RunsFolder(runs);
    RunsFolder.Log log = folder.log(folder.inside("torn"));
    assertEquals(2, log.lines().size());
    assertTrue(log.unreadable().startsWith("line 3 of metrics.jsonl is not whole"), log.unreadable());
    JsonObject summary = folder.summary(folder.inside("torn"), "torn");
    assertEquals(10, summary.get("step").getAsLong());
    assertTrue(summary.has("unreadable"));
    assertNull(folder.log(run(runs, "whole", 10, "{\"step\":1,\"kind\":\"train\"}\n")).unreadable());
  }

  @Test
  void nothingOutsideTheFolderIsListedOrServed() throws Exception {
    Path runs = Files.createDirectories(work.resolve("runs"));
    Path run = run(runs, "inside", 10, "");
    Files.createDirectories(run.resolve("samples"));
    Files.write(run.resolve("samples/step-000000010.png"), new byte[] {1, 2, 3});
    Path outside = Files.createDirectories(work.resolve("outside"));
    Files.writeString(outside.resolve("experiment.yaml"), "architecture: {name: secret}\n");
    Files.writeString(outside.resolve("step-000000001.png"), "secret");
    Files.createSymbolicLink(runs.resolve("linked"), outside);
    Files.createSymbolicLink(run.resolve("samples/step-000000002.png"), outside.resolve("step-000000001.png"));
    RunsFolder folder = new RunsFolder(runs);

    assertEquals(1, folder.runs().size(), "the linked folder is not listed: " + folder.runs());
    for (String name : List.of("linked", "..", "../outside", "/etc", "inside/..", ".hidden", "", "inside/a/seed-1")) {
      assertThrows(RunsFolder.NotServed.class, () -> folder.inside(name), name);
    }
    Path inside = folder.inside("inside");
    assertEquals(inside.resolve("samples/step-000000010.png"), folder.sample(inside, "step-000000010.png"));
    for (String file : List.of("step-000000002.png", "../experiment.yaml", "step-1.png/../../x", "experiment.yaml")) {
      assertThrows(RunsFolder.NotServed.class, () -> folder.sample(inside, file), file);
    }
    assertEquals(List.of("step-000000010.png"), folder.samples(inside), "a grid linking out is not listed");
  }

  /** A sweep's runs are listed after the others as SWEEP/CONFIGURATION/seed-N, with the sweep's table and progress. */
  @Test
  void aSweepsTableAndItsRunsAreRead() throws Exception {
    Path runs = Files.createDirectories(work.resolve("runs"));
    run(runs, "single", 10, "{\"step\":10,\"kind\":\"train\",\"generator\":1.0}\n");
    Path sweep = Files.createDirectories(runs.resolve("sweep"));
    Files.writeString(sweep.resolve("sweep.json"), "{\"sweep\":\"s.yaml\",\"complete\":false,\"columns\":[],"
        + "\"configurations\":[{\"name\":\"packing=2\",\"runs\":2,\"finished\":1,\"values\":{}}]}");
    run(sweep.resolve("packing=2"), "seed-1", 10, "{\"step\":10,\"kind\":\"train\",\"generator\":1.0}\n");
    run(sweep.resolve("packing=2"), "seed-2", 10, "{\"step\":4,\"kind\":\"train\",\"generator\":1.0}\n");
    RunsFolder folder = new RunsFolder(runs);

    List<String> names = new java.util.ArrayList<>();
    folder.runs().forEach(r -> names.add(r.getAsJsonObject().get("name").getAsString()));
    assertEquals(List.of("single", "sweep/packing=2/seed-1", "sweep/packing=2/seed-2"), names);
    assertEquals(4, folder.log(folder.inside("sweep/packing=2/seed-2")).lines().get(0).get("step").getAsLong());
    assertEquals(3, RunsFolder.runNameLength("sweep/packing=2/seed-2/log".split("/")));
    assertEquals(1, RunsFolder.runNameLength("single/samples/step-000000010.png".split("/")));

    JsonObject table = folder.sweeps().get(0).getAsJsonObject();
    assertEquals("sweep", table.get("name").getAsString());
    assertEquals(false, table.get("picture").getAsBoolean());
    assertEquals("[{\"name\":\"packing=2/seed-1\",\"state\":\"completed\",\"step\":10,\"total_steps\":10},"
        + "{\"name\":\"packing=2/seed-2\",\"state\":\"stopped\",\"step\":4,\"total_steps\":10}]",
        table.get("progress").toString());
    for (String name : List.of("sweep/packing=2", "sweep/packing=2/seed-1/x", "sweep/../sweep/seed-1", "single/a/seed-1")) {
      assertThrows(RunsFolder.NotServed.class, () -> folder.inside(name), name);
    }
  }

  private static Path run(Path runs, String name, long steps, String log) throws Exception {
    Path run = Files.createDirectories(runs.resolve(name));
    Files.writeString(run.resolve("experiment.yaml"), """
        architecture: {name: dcgan, base_width: 8}
        loss: hinge
        dataset: {name: fashion-mnist}
        training: {steps: %d}
        """.formatted(steps));
    Files.writeString(run.resolve("metrics.jsonl"), log);
    return run;
  }
}
