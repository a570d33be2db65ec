package org.ganymede.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.ganymede.api.Checkpoint;
import org.ganymede.api.ParameterException;
import org.ganymede.api.RunOutcome;
import org.ganymede.api.TrainingListener.RunInfo;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line's manners: help on every command, versions, and plain progress lines in a log. */
class CommandLineTest {
  @Test
  void everyCommandPrintsItsHelpAndExitsZero() {
    CommandLine cli = new CommandLine(new Main());
    for (String command : cli.getSubcommands().keySet()) {
      if (command.equals("help")) {
        continue;
      }
      StringWriter out = new StringWriter();
      CommandLine line = new CommandLine(new Main());
      line.setOut(new PrintWriter(out));
      assertEquals(0, line.execute(command, "--help"), command);
      assertTrue(out.toString().startsWith("Usage: ganymede " + command), command + ": " + out);
      StringWriter viaHelp = new StringWriter();
      CommandLine again = new CommandLine(new Main());
      again.setOut(new PrintWriter(viaHelp));
      assertEquals(0, again.execute("help", command), "help " + command);
      assertEquals(out.toString(), viaHelp.toString(), "help " + command);
    }
  }

  @Test
  void versionNamesGanymedeTheApiAndTensorFlowsBuild() {
    StringWriter out = new StringWriter();
    CommandLine cli = new CommandLine(new Main());
    cli.setOut(new PrintWriter(out));
    assertEquals(0, cli.execute("--version"));
    String[] lines = out.toString().split("\\R");
    assertEquals("Ganymede 0.1.0", lines[0]);
    assertTrue(lines[1].matches("API org\\.ganymede\\.api 2\\.\\d+\\.\\d+, org\\.ganymede\\.nn 1\\.\\d+\\.\\d+"), lines[1]);
    assertTrue(lines[2].matches("TensorFlow \\d+\\.\\d+\\.\\d+, (CPU|GPU) build.*"), lines[2]);
  }

  @Test
  void aCheckpointIsNamedOnce() {
    Main.CheckpointChoice choice = new Main.CheckpointChoice();
    assertEquals(Checkpoint.latest(), choice.choice());
    choice.best = true;
    assertEquals(Checkpoint.best(), choice.choice());
    choice.checkpoint = "7";
    String twice = assertThrows(ParameterException.class, choice::choice).getMessage();
    assertEquals("--best and --checkpoint 7 name two checkpoints; give one", twice);
    choice.best = false;
    assertEquals(Checkpoint.step(7), choice.choice());
  }

  /** Under a build (no console) the progress is whole lines, no carriage-return frames. */
  @Test
  void progressWithoutATerminalIsPlainLines() {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      ConsoleProgress progress = new ConsoleProgress();
      progress.runStarted(new RunInfo(Path.of("runs/x"), 0, 10, "a test"));
      for (long step = 1; step <= 10; step++) {
        progress.stepFinished(step, Map.of("discriminator_8", 0.5, "generator_8", 0.25));
      }
      progress.runFinished(new RunOutcome(RunOutcome.Status.COMPLETED, 10, Path.of("runs/x"), Map.of(), 0, "done"));
    } finally {
      System.setOut(original);
    }
    String text = captured.toString(StandardCharsets.UTF_8);
    assertFalse(text.contains("\r"), text);
    assertTrue(text.contains("10/10 steps"), text);
    assertTrue(text.contains("discriminator_8=0.500") && text.contains("generator_8=0.250"), text);
    assertTrue(text.endsWith("completed: done\n"), text);
  }
}
