package org.ganymede.datasets.internal;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * The bytes of one IDX file, gzip-compressed or plain, with reads that fail with messages naming
 * the file and what is wrong with it.
 */
final class IdxInput implements Closeable {
  private static final int GZIP_FIRST = 0x1f;
  private static final int GZIP_SECOND = 0x8b;

  private final InputStream in;
  private final String source;

  private IdxInput(InputStream in, String source) {
    this.in = in;
    this.source = source;
  }

  /** Takes over {@code raw}; decompresses it when it starts with the gzip signature. */
  static IdxInput open(InputStream raw, String source) throws IOException {
    BufferedInputStream buffered = new BufferedInputStream(raw, 1 << 16);
    try {
      buffered.mark(2);
      boolean gzip = buffered.read() == GZIP_FIRST && buffered.read() == GZIP_SECOND;
      buffered.reset();
      if (!gzip && source.endsWith(".gz")) {
        throw new IOException(source + ": not a gzip file, although its name ends in .gz");
      }
      if (!gzip) {
        return new IdxInput(buffered, source);
      }
      try {
        return new IdxInput(new GZIPInputStream(buffered, 1 << 16), source);
      } catch (EOFException | ZipException e) {
        throw new IOException(source + ": corrupt gzip header (" + e.getMessage() + ")", e);
      }
    } catch (IOException e) {
      buffered.close();
      throw e;
    }
  }

  /** Reads the magic number and fails unless it is {@code expected}. */
  void requireMagic(int expected, String meaning) throws IOException {
    int magic = readInt("magic number");
    if (magic != expected) {
      throw error(String.format("wrong magic number 0x%08x; expected 0x%08x (%s)", magic, expected, meaning));
    }
  }

  /** Reads one dimension of the header, which must be positive. */
  int dimension(String name) throws IOException {
    int value = readInt(name);
    if (value <= 0) {
      throw error("the header gives " + value + " as the " + name + "; it must be positive");
    }
    return value;
  }

  /** Reads the data after the header: exactly {@code length} bytes and nothing more. */
  byte[] data(int length, String announced) throws IOException {
    byte[] data = new byte[length];
    int read = readUpTo(data, length);
    if (read < length) {
      throw error("truncated: the header announces " + announced + " (" + length
          + " bytes) but the data end after " + read + " bytes");
    }
    // Reading past the end also makes GZIPInputStream check the CRC of what was read.
    if (readUpTo(new byte[1], 1) > 0) {
      throw error("holds more bytes than the header announces (" + announced + ", " + length + " bytes)");
    }
    return data;
  }

  IOException error(String problem) {
    return new IOException(source + ": " + problem);
  }

  private int readInt(String name) throws IOException {
    byte[] bytes = new byte[4];
    if (readUpTo(bytes, 4) < 4) {
      throw error("truncated: the file ends inside the header, at the " + name);
    }
    return (bytes[0] & 0xff) << 24 | (bytes[1] & 0xff) << 16 | (bytes[2] & 0xff) << 8 | (bytes[3] & 0xff);
  }

  /** Reads until {@code length} bytes or the end of the data; returns how many were read. */
  private int readUpTo(byte[] target, int length) throws IOException {
    int done = 0;
    try {
      while (done < length) {
        int n = in.read(target, done, length - done);
        if (n < 0) {
          break;
        }
        done += n;
      }
    } catch (EOFException e) {
      throw new IOException(source + ": truncated: the gzip data end early", e);
    } catch (ZipException e) {
      throw new IOException(source + ": corrupt gzip data (" + e.getMessage() + ")", e);
    }
    return done;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
