package org.ganymede.engine.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.ganymede.api.ParameterException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Matrices from files {@code numpy.save} wrote (the test resources), and files it would not read. */
class NpyMatrixTest {
  private static final float[][] ROWS = {{1.5f, -2}, {3, 4}, {5, 6.25f}};
  @TempDir Path work;

  @Test
  void readsWhatNumpyWroteInEitherOrderAndByteOrder() throws Exception {
    assertArrayEquals(ROWS, NpyMatrix.read(resource("rows-float32.npy"), "--real"));
    assertArrayEquals(ROWS, NpyMatrix.read(resource("rows-float64-big-endian-fortran.npy"), "--real"));
    assertArrayEquals(new float[][] {{1, 2}, {3, 4}, {5, 255}}, NpyMatrix.read(resource("rows-uint8.npy"), "--real"));
  }

  @Test
  void refusesWhatIsNoMatrixOfNumbersAndSaysWhatIs() throws Exception {
    String vector = message(resource("vector.npy"));
    assertTrue(vector.contains("shape (3,)") && vector.contains("(samples, features)"), vector);
    String complex = message(resource("complex.npy"));
    assertTrue(complex.contains("<c8") && complex.contains("float32 or float64"), complex);

    Path text = Files.writeString(work.resolve("features.npy"), "1,2\n3,4\n");
    assertTrue(message(text).contains("is not a NumPy .npy file"), message(text));
    byte[] whole = Files.readAllBytes(resource("rows-float32.npy"));
    Path cut = Files.write(work.resolve("cut.npy"), Arrays.copyOf(whole, whole.length - 4));
    String truncated = message(cut);
    assertTrue(truncated.contains("is truncated") && truncated.contains("(24 bytes) and 20 follow"), truncated);
  }

  private static String message(Path file) {
    return assertThrows(ParameterException.class, () -> NpyMatrix.read(file, "--fake")).getMessage();
  }

  private static Path resource(String name) throws URISyntaxException {
    return Path.of(NpyMatrixTest.class.getResource("/npy/" + name).toURI());
  }
}
