package org.ganymede.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.ganymede.api.ParameterException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One writer per run folder, held by an OS lock that another process sees and that dies with its holder. */
class RunLockTest {
  @TempDir Path work;

  @Test
  void aSecondWriterInThisProcessIsRefusedAndTheFirstKeepsItsLock() throws Exception {
    Path run = work.resolve("run");
    try (RunLock first = RunLock.acquire(run, "train")) {
      ParameterException refused = assertThrows(ParameterException.class, () -> RunLock.acquire(run, "resume"));
      assertTrue(refused.getMessage().contains("is being written by 'ganymede train' (process "
          + ProcessHandle.current().pid() + " on "), refused.getMessage());
      // The refusal did not open the lock file, which on Linux would have dropped the first lock.
      assertEquals("train", heldBy(run));
    }
    RunLock.acquire(run, "resume").close();
  }

  @Test
  void anotherProcessIsRefusedWhileItHoldsTheLockAndNotAfterItIsKilled() throws Exception {
    Path run = work.resolve("run");
    Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), Holder.class.getName(), run.toString()).redirectErrorStream(true).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
      assertEquals("locked", out.readLine());
      ParameterException refused = assertThrows(ParameterException.class, () -> RunLock.acquire(run, "resume"));
      assertTrue(refused.getMessage().contains("is being written by 'ganymede train' (process " + holder.pid() + " on "),
          refused.getMessage());
      assertTrue(refused.getMessage().contains(", since 20"), refused.getMessage());
    } finally {
      holder.destroyForcibly(); // kill -9: no chance to release anything itself
      assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
    }
    try (RunLock after = RunLock.acquire(run, "resume")) {
      assertEquals("resume", heldBy(run));
    }
  }

  /** What the lock file says, read as another process would (only safe here for the test's own check). */
  private static String heldBy(Path run) throws Exception {
    Process reader = new ProcessBuilder("cat", run.resolve(RunLock.FILE).toString()).start();
    String text = new String(reader.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    reader.waitFor();
    return com.google.gson.JsonParser.parseString(text).getAsJsonObject().get("command").getAsString();
  }

  /** Holds a run folder's lock until killed or its input closes. */
  public static final class Holder {
    public static void main(String[] args) throws Exception {
      RunLock lock = RunLock.acquire(Path.of(args[0]), "train");
      System.out.println("locked");
      System.out.flush();
      System.in.read(); // until the test kills it, or its parent's end closes the pipe
      lock.close();
    }
  }
}
