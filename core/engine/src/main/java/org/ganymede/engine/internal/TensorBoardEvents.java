package org.ganymede.engine.internal;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.summary.SummaryWriter;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;
import org.tensorflow.types.TUint8;

/**
 * TensorBoard event files, written by TensorFlow's own summary ops. They live in a small graph
 * of their own so the training graph stays exactly what the architecture built. They are a view
 * of the run, not its record: a write that fails (a full disk) is reported once and the run goes
 * on without them.
 */
final class TensorBoardEvents implements AutoCloseable {
  private final Graph graph = new Graph();
  private final Path directory;
  private final Consumer<String> warning;
  private boolean failed;
  private final Session session;
  private final Placeholder<TInt64> step;
  private final Placeholder<TString> tag;
  private final Placeholder<TFloat32> value;
  private final Placeholder<TUint8> image;
  private final Op writeScalar;
  private final Op writeGrayImage;
  private final Op writeColorImage;
  private final Op flush;
  private final Op closeWriter;

  TensorBoardEvents(Path directory, Consumer<String> warning) {
    this.directory = directory;
    this.warning = warning;
    Ops tf = Ops.create(graph);
    SummaryWriter writer = tf.summary.summaryWriter();
    Op create = tf.summary.createSummaryFileWriter(writer, tf.constant(directory.toString()), tf.constant(10),
        tf.constant(10_000), tf.constant(".ganymede"));
    step = tf.placeholder(TInt64.class, Placeholder.shape(Shape.scalar()));
    tag = tf.placeholder(TString.class, Placeholder.shape(Shape.scalar()));
    value = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
    image = tf.placeholder(TUint8.class, Placeholder.shape(Shape.of(1, -1, -1, -1)));
    writeScalar = tf.summary.writeScalarSummary(writer, step, tag, value);
    writeGrayImage = tf.summary.writeImageSummary(writer, step, tag, image, tf.constant(new byte[] {(byte) 255}));
    writeColorImage = tf.summary.writeImageSummary(writer, step, tag, image, tf.constant(new byte[] {(byte) 255, 0, 0}));
    flush = tf.summary.flushSummaryWriter(writer);
    closeWriter = tf.summary.closeSummaryWriter(writer);
    session = new Session(graph);
    guarded(() -> session.run(create));
  }

  void scalars(long at, Map<String, Double> values) {
    guarded(() -> {
      try (TInt64 s = TInt64.scalarOf(at)) {
        for (Map.Entry<String, Double> e : values.entrySet()) {
          try (TString t = TString.scalarOf(e.getKey()); TFloat32 v = TFloat32.scalarOf(e.getValue().floatValue())) {
            session.runner().feed(step, s).feed(tag, t).feed(value, v).addTarget(writeScalar).run().close();
          }
        }
      }
    });
  }

  void image(long at, String name, BufferedImage picture, int channels) {
    byte[] pixels = SampleImages.pixels(picture, channels);
    Shape shape = Shape.of(1, picture.getHeight(), picture.getWidth(), channels);
    guarded(() -> {
      try (TInt64 s = TInt64.scalarOf(at);
          TString t = TString.scalarOf(name);
          TUint8 img = TUint8.tensorOf(shape, DataBuffers.of(pixels, true, false))) {
        session.runner().feed(step, s).feed(tag, t).feed(image, img)
            .addTarget(channels == 1 ? writeGrayImage : writeColorImage).run().close();
      }
    });
  }

  void flush() {
    guarded(() -> session.run(flush));
  }

  private void guarded(Runnable write) {
    if (failed) {
      return;
    }
    try {
      write.run();
    } catch (RuntimeException e) {
      failed = true;
      warning.accept("writing TensorBoard events in " + directory + " failed: " + e.getMessage()
          + "; training goes on without them");
    }
  }

  @Override
  public void close() {
    try {
      guarded(() -> session.run(closeWriter));
    } finally {
      session.close();
      graph.close();
    }
  }
}
