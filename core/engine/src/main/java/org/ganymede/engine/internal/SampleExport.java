package org.ganymede.engine.internal;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.ganymede.api.DataSpec;
import org.ganymede.api.ExperimentRunner.ExportOptions;
import org.ganymede.api.ParameterException;

/**
 * Generated samples written as a dataset: IDX files (the MNIST format) or PNG files, one folder a
 * class. The classes take turns, so every class gets {@code count / classes} samples, give or take
 * one. Samples are made in batches of the training batch size, the size batch statistics saw.
 */
final class SampleExport {
  static final String IMAGES = "images-idx3-ubyte.gz";
  static final String LABELS = "labels-idx1-ubyte.gz";

  private SampleExport() {}

  /** Checks the options on their own, before a model is built. */
  static void check(ExportOptions options) {
    if (options.count() < 1) {
      throw new ParameterException("--count must be at least 1, was " + options.count());
    }
    if (!ExportOptions.FORMATS.contains(options.format())) {
      throw new ParameterException("--format is '" + options.format() + "'; allowed: " + String.join(", ",
          ExportOptions.FORMATS));
    }
  }

  static List<Path> write(TrainingGraph graph, Sampler sampler, DataSpec spec, ExportOptions options, int batch)
      throws IOException {
    if (!spec.isImage()) {
      throw new ParameterException("export writes images, and this run's samples are vectors (" + spec + ")");
    }
    if (options.format().equals("idx") && spec.channels() != 1) {
      throw new ParameterException("IDX image files hold grey images, and this run's have " + spec.channels()
          + " channels; use --format png");
    }
    int[] turns = options.classes().isEmpty() ? graph.presentClasses : sampler.classIds(options.classes());
    boolean labelled = graph.conditional;
    int[] labels = new int[options.count()];
    float[][] latents = Latents.normal(options.count(), graph.model.latentSize(), options.seed());
    float[][] images = new float[options.count()][];
    for (int i = 0; i < labels.length && labelled; i++) {
      labels[i] = turns[i % turns.length];
    }
    float[][] classes = labelled ? graph.oneHot(labels) : null;
    for (int from = 0; from < images.length; from += batch) {
      int to = Math.min(images.length, from + batch);
      float[][] chunk = graph.generate(Arrays.copyOfRange(latents, from, to),
          classes == null ? null : Arrays.copyOfRange(classes, from, to));
      System.arraycopy(chunk, 0, images, from, chunk.length);
    }
    Files.createDirectories(options.output());
    return options.format().equals("idx") ? writeIdx(images, labelled ? labels : null, spec, options.output())
        : writePngs(images, labelled ? labels : null, graph.classNames, spec, options.output());
  }

  private static List<Path> writeIdx(float[][] images, int[] labels, DataSpec spec, Path folder) throws IOException {
    List<Path> written = new ArrayList<>();
    Path imageFile = folder.resolve(IMAGES);
    try (DataOutputStream out = gzip(imageFile)) {
      out.writeInt(0x00000803);
      out.writeInt(images.length);
      out.writeInt(spec.height());
      out.writeInt(spec.width());
      for (float[] image : images) {
        for (float v : image) {
          out.writeByte(SampleImages.toByte(v));
        }
      }
    }
    written.add(imageFile);
    if (labels != null) {
      Path labelFile = folder.resolve(LABELS);
      try (DataOutputStream out = gzip(labelFile)) {
        out.writeInt(0x00000801);
        out.writeInt(labels.length);
        for (int label : labels) {
          out.writeByte(label);
        }
      }
      written.add(labelFile);
    }
    return written;
  }

  private static List<Path> writePngs(float[][] images, int[] labels, List<String> names, DataSpec spec, Path folder)
      throws IOException {
    List<Path> written = new ArrayList<>();
    for (int i = 0; i < images.length; i++) {
      Path dir = labels == null ? folder : Files.createDirectories(folder.resolve(names.get(labels[i])));
      Path file = dir.resolve(String.format("%06d.png", i));
      SampleImages.writePng(SampleImages.image(images[i], spec), file);
      written.add(file);
    }
    return written;
  }

  private static DataOutputStream gzip(Path file) throws IOException {
    OutputStream raw = Files.newOutputStream(file);
    return new DataOutputStream(new java.io.BufferedOutputStream(new GZIPOutputStream(raw)));
  }
}
