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
    JsonObject summary = folder.summary(folder.inside("a"));
    assertEquals("dcgan", summary.get("architecture").getAsString());
    assertEquals("hinge", summary.get("loss").getAsString());
    assertEquals(10, summary.get("step").getAsLong());
    assertEquals(100, summary.get("total_steps").getAsLong());
    assertEquals(18.0, summary.get("seconds_left").getAsDouble(), 1e-9, "90 steps at 5 steps/s");
    assertEquals(80.5, summary.getAsJsonObject("metrics").get("fid/fid").getAsDouble());
    assertEquals("stopped", summary.get("state").getAsString(), "no writer");

    Files.writeString(run.resolve("writer.lock"), "{\"pid\":" + ProcessHandle.current().pid() + "}\n");
    assertEquals("running", folder.summary(run).get("state").getAsString(), "a live process holds the lock");
    Files.writeString(run.resolve("writer.lock"), "");
    assertEquals("stopped", folder.summary(run).get("state").getAsString(), "an emptied lock: its writer let go");
    run(runs, "b", 10, "{\"step\":10,\"kind\":\"train\",\"generator\":1.0}\n");
    assertEquals("completed", folder.summary(folder.inside("b")).get("state").getAsString());
    run(runs, "c", 100, "{\"step\":7,\"kind\":\"train\",\"generator\":\"NaN\",\"discriminator\":0.5}\n");
    assertEquals("diverged", folder.summary(folder.inside("c")).get("state").getAsString());
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
    JsonObject summary = folder.summary(folder.inside("torn"));
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
    for (String name : List.of("linked", "..", "../outside", "/etc", "inside/..", ".hidden", "")) {
      assertThrows(RunsFolder.NotServed.class, () -> folder.inside(name), name);
    }
    Path inside = folder.inside("inside");
    assertEquals(inside.resolve("samples/step-000000010.png"), folder.sample(inside, "step-000000010.png"));
    for (String file : List.of("step-000000002.png", "../experiment.yaml", "step-1.png/../../x", "experiment.yaml")) {
      assertThrows(RunsFolder.NotServed.class, () -> folder.sample(inside, file), file);
    }
    assertEquals(List.of("step-000000010.png"), folder.samples(inside), "a grid linking out is not listed");
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
