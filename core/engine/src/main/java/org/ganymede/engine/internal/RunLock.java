package org.ganymede.engine.internal;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.ganymede.api.ParameterException;

/**
 * The one writer of a run folder: an exclusive OS lock on its {@code writer.lock}, which also
 * says who holds it (process id, host, since when, command). The OS releases the lock when the
 * process dies, so a killed run never leaves a stale lock. Readers take no lock.
 *
 * <p>Within one JVM the holders are also kept in a map: on Linux, closing any channel to a file
 * drops every lock this process holds on it, so a second attempt must not even open the file.
 */
final class RunLock implements AutoCloseable {
  static final String FILE = "writer.lock";
  private static final Gson GSON = new Gson();
  private static final Map<Path, String> HELD = new ConcurrentHashMap<>();

  private final Path folder;
  private final FileChannel channel;
  private final FileLock lock;

  private RunLock(Path folder, FileChannel channel, FileLock lock) {
    this.folder = folder;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the folder's lock for {@code command} (train, resume), creating the folder if needed;
   * refuses at once, naming the holder, when another writer has it.
   */
  static RunLock acquire(Path root, String command) throws IOException {
    Files.createDirectories(root);
    Path folder = root.toRealPath();
    String holder = holder(command);
    String before = HELD.putIfAbsent(folder, holder);
    if (before != null) {
      throw refusal(folder, before);
    }
    FileChannel channel = null;
    try {
      channel = FileChannel.open(folder.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        String other = read(channel);
        channel.close();
        throw refusal(folder, other);
      }
      channel.truncate(0);
      channel.write(ByteBuffer.wrap((holder + "\n").getBytes(StandardCharsets.UTF_8)), 0);
      channel.force(true);
      return new RunLock(folder, channel, lock);
    } catch (IOException | RuntimeException e) {
      HELD.remove(folder);
      if (channel != null && channel.isOpen()) {
        channel.close();
      }
      throw e;
    }
  }

  private static String holder(String command) {
    JsonObject json = new JsonObject();
    json.addProperty("pid", ProcessHandle.current().pid());
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = "an unnamed host";
    }
    json.addProperty("host", host);
    json.addProperty("since", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    json.addProperty("command", command);
    return GSON.toJson(json);
  }

  private static String read(FileChannel channel) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(channel.size(), 4096));
    channel.read(buffer, 0);
    return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).trim();
  }

  private static ParameterException refusal(Path folder, String holder) {
    String who = "another process (it has not written its name yet)"; // it took the lock a moment ago
    try {
      JsonObject json = GSON.fromJson(holder, JsonObject.class);
      if (json != null && json.has("command") && json.has("pid") && json.has("host") && json.has("since")) {
        who = "'ganymede " + json.get("command").getAsString() + "' (process " + json.get("pid").getAsLong() + " on "
            + json.get("host").getAsString() + ", since " + json.get("since").getAsString() + ")";
      }
    } catch (JsonParseException e) {
      // half written: the default says so
    }
    return new ParameterException("run folder " + folder + " is being written by " + who + "; a run folder has one "
        + "writer at a time: wait for it to finish or stop it (Ctrl-C writes a checkpoint). 'ganymede sample', "
        + "'evaluate' and 'translate' can read the folder meanwhile");
  }

  @Override
  public void close() throws IOException {
    try {
      // An empty file says no one writes: readers (the dashboard) tell a finished run from a running one.
      channel.truncate(0);
      lock.release();
    } finally {
      channel.close();
      HELD.remove(folder);
    }
  }
}
