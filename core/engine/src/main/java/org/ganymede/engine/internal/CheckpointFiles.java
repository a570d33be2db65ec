package org.ganymede.engine.internal;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The files of one checkpoint as its {@code state.json} records them (size and SHA-256 of each),
 * checked before a checkpoint is restored; and private copies for readers, so that a writer
 * pruning the folder never pulls a checkpoint from under a restore.
 */
final class CheckpointFiles {
  static final String KEY = "files";
  private static final String STATE = "state.json";
  private static final String INDEX = "ckpt.index";

  private CheckpointFiles() {}

  /** Size and checksum of every file in {@code dir}. */
  static JsonObject manifest(Path dir) throws IOException {
    JsonObject files = new JsonObject();
    for (Path file : files(dir)) {
      JsonObject entry = new JsonObject();
      entry.addProperty("size", Files.size(file));
      entry.addProperty("sha256", sha256(file));
      files.add(file.getFileName().toString(), entry);
    }
    return files;
  }

  /**
   * What is wrong with a checkpoint, or empty when its files are as written. One written before
   * checkpoints recorded their files is taken as intact if it has its index.
   */
  static Optional<String> damage(Path checkpoint) throws IOException {
    Path state = checkpoint.resolve(STATE);
    if (!Files.exists(state)) {
      return Optional.of(STATE + " is missing");
    }
    JsonObject json;
    try {
      json = JsonParser.parseString(Files.readString(state)).getAsJsonObject();
    } catch (JsonParseException | IllegalStateException | java.nio.charset.MalformedInputException e) {
      return Optional.of(STATE + " cannot be read (" + e.getMessage() + ")");
    }
    if (!json.has(KEY)) {
      return Files.exists(checkpoint.resolve(INDEX)) ? Optional.empty() : Optional.of(INDEX + " is missing");
    }
    for (Map.Entry<String, JsonElement> e : json.getAsJsonObject(KEY).entrySet()) {
      Path file = checkpoint.resolve(e.getKey());
      JsonObject expected = e.getValue().getAsJsonObject();
      if (!Files.exists(file)) {
        return Optional.of(e.getKey() + " is missing");
      }
      long size = Files.size(file);
      long written = expected.get("size").getAsLong();
      if (size != written) {
        return Optional.of(e.getKey() + " has " + size + " bytes, " + written + " were written");
      }
      if (!sha256(file).equals(expected.get("sha256").getAsString())) {
        return Optional.of(e.getKey() + " is not what was written: its SHA-256 checksum differs");
      }
    }
    return Optional.empty();
  }

  /**
   * A private copy of a checkpoint, for a reader to restore from: hard links where the file
   * system allows (instant, and the data stays while the writer deletes its names), else copies.
   * Deleted on close.
   */
  static final class Snapshot implements AutoCloseable {
    private final Path dir;

    private Snapshot(Path dir) {
      this.dir = dir;
    }

    /**
     * Links or copies {@code checkpoint}'s state and the files it lists; throws
     * NoSuchFileException when one is gone (the writer pruned it, or it was lost).
     */
    static Snapshot of(Path checkpoint) throws IOException {
      Path dir = Files.createTempDirectory("ganymede-checkpoint-");
      try {
        // The state first: the writer deletes it first, so a folder being pruned fails here.
        link(checkpoint.resolve(STATE), dir);
        JsonObject state;
        try {
          state = JsonParser.parseString(Files.readString(dir.resolve(STATE))).getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
          return new Snapshot(dir); // unreadable: damage() says so
        }
        List<Path> files;
        if (state.has(KEY)) {
          files = state.getAsJsonObject(KEY).keySet().stream().map(checkpoint::resolve).toList();
        } else {
          files = files(checkpoint);
        }
        for (Path file : files) {
          link(file, dir);
        }
        return new Snapshot(dir);
      } catch (IOException | RuntimeException e) {
        RunDirectory.deleteTree(dir);
        throw e;
      }
    }

    private static void link(Path file, Path dir) throws IOException {
      Path copy = dir.resolve(file.getFileName().toString());
      try {
        Files.createLink(copy, file);
      } catch (NoSuchFileException e) {
        throw e;
      } catch (UnsupportedOperationException | FileSystemException e) {
        Files.copy(file, copy); // another file system, or one without links
      }
    }

    Path dir() {
      return dir;
    }

    @Override
    public void close() throws IOException {
      RunDirectory.deleteTree(dir);
    }
  }

  private static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().equals(STATE)).sorted().toList();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  static String sha256(Path file) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
