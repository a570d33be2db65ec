package org.ganymede.engine.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ganymede.api.ParameterException;

/**
 * A two-dimensional NumPy array read from a {@code .npy} file (format versions 1 to 3): rows of
 * features, as one's own feature extractor writes them with {@code numpy.save}. Floating-point and
 * integer elements of either byte order, C or Fortran order, are read as floats. The format is a
 * short text header and raw elements, specified in NumPy's {@code numpy.lib.format}.
 */
final class NpyMatrix {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=])([a-zA-Z])(\\d+)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");
  private static final String ALLOWED = "float32 or float64, int8 to int64 or uint8 to uint32 elements, in a"
      + " matrix of shape (samples, features)";

  private NpyMatrix() {}

  /** @param option the command-line option that named the file, for the messages */
  static float[][] read(Path file, String option) throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    String where = option + " " + file;
    for (byte b : MAGIC) {
      if (bytes.remaining() == 0 || bytes.get() != b) {
        throw new ParameterException(where + " is not a NumPy .npy file (it does not start with \\x93NUMPY)");
      }
    }
    if (bytes.remaining() < 4) {
      throw new ParameterException(where + " ends inside its header");
    }
    int major = bytes.get();
    bytes.get(); // minor
    long headerLength = major == 1 ? Short.toUnsignedInt(bytes.getShort()) : Integer.toUnsignedLong(bytes.getInt());
    if (major < 1 || major > 3) {
      throw new ParameterException(where + " is of .npy format version " + major + "; versions 1 to 3 are read");
    }
    if (headerLength > bytes.remaining()) {
      throw new ParameterException(where + " ends inside its header");
    }
    byte[] header = new byte[(int) headerLength];
    bytes.get(header);
    String dictionary = new String(header, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);

    Matcher descr = DESCR.matcher(dictionary);
    Matcher fortran = FORTRAN.matcher(dictionary);
    Matcher shapeText = SHAPE.matcher(dictionary);
    if (!descr.find() || !fortran.find() || !shapeText.find()) {
      throw new ParameterException(where + " has a header this reader does not understand (" + dictionary.strip()
          + "); it reads " + ALLOWED);
    }
    char kind = descr.group(2).charAt(0);
    int size = Integer.parseInt(descr.group(3));
    boolean known = switch (kind) {
      case 'f' -> size == 4 || size == 8;
      case 'i' -> size == 1 || size == 2 || size == 4 || size == 8;
      case 'u' -> size == 1 || size == 2 || size == 4;
      default -> false;
    };
    if (!known) {
      throw new ParameterException(where + " holds elements of type " + descr.group(1) + kind + size + "; it must hold "
          + ALLOWED);
    }
    String[] dimensions = shapeText.group(1).replace(" ", "").split(",");
    if (dimensions.length != 2 || dimensions[0].isEmpty() || dimensions[1].isEmpty()) {
      throw new ParameterException(where + " is an array of shape (" + shapeText.group(1) + "); it must be a matrix of"
          + " shape (samples, features), one row a sample");
    }
    int rows = Integer.parseInt(dimensions[0]);
    int columns = Integer.parseInt(dimensions[1]);
    if (rows < 2 || columns < 1) {
      throw new ParameterException(where + " holds " + rows + " rows of " + columns + " features; metrics need at least"
          + " two rows of one feature");
    }
    long needed = (long) rows * columns * size;
    if (bytes.remaining() < needed) {
      throw new ParameterException(where + " is truncated: its header says " + rows + " x " + columns + " elements of "
          + size + " bytes (" + needed + " bytes) and " + bytes.remaining() + " follow it");
    }
    bytes.order(descr.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
    boolean columnMajor = fortran.group(1).equals("True");
    float[][] matrix = new float[rows][columns];
    for (long i = 0; i < (long) rows * columns; i++) {
      float value = element(bytes, kind, size);
      int row = (int) (columnMajor ? i % rows : i / columns);
      int column = (int) (columnMajor ? i / rows : i % columns);
      matrix[row][column] = value;
    }
    return matrix;
  }

  private static float element(ByteBuffer bytes, char kind, int size) {
    if (kind == 'f') {
      return size == 4 ? bytes.getFloat() : (float) bytes.getDouble();
    }
    long value = switch (size) {
      case 1 -> kind == 'u' ? Byte.toUnsignedInt(bytes.get()) : bytes.get();
      case 2 -> kind == 'u' ? Short.toUnsignedInt(bytes.getShort()) : bytes.getShort();
      case 4 -> kind == 'u' ? Integer.toUnsignedLong(bytes.getInt()) : bytes.getInt();
      default -> bytes.getLong();
    };
    return value;
  }
}
