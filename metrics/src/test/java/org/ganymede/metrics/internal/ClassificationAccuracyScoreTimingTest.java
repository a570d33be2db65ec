package org.ganymede.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ganymede.api.Metric.Labels;
import org.ganymede.api.Metric.MetricSamples;
import org.ganymede.api.Parameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The budget: {@code which: [generated]} on 60,000 28x28 images (the embedded test split six
 * times over), tested on its 10,000 images, within 4 minutes on 2 cores. Minutes long, so it runs only
 * when asked: {@code -Dganymede.timing=true}, with {@code -Dganymede.timing.epochs=N} (default: the
 * metric's) and {@code -Dganymede.timing.resolution=28|32}.
 */
@EnabledIfSystemProperty(named = "ganymede.timing", matches = "true")
class ClassificationAccuracyScoreTimingTest {
  private static final int TRAIN = 60_000;

  @Test
  void generatedOnlyOnSixtyThousandImagesWithinFourMinutes() throws Exception {
    int resolution = Integer.getInteger("ganymede.timing.resolution", 28);
    int epochs = Integer.getInteger("ganymede.timing.epochs", ClassificationAccuracyScore.DEFAULT_EPOCHS);
    FashionMnistSamples split = FashionMnistSamples.testSplit(resolution);
    float[][] rows = new float[TRAIN][];
    int[] labels = new int[TRAIN];
    for (int i = 0; i < TRAIN; i++) {
      rows[i] = split.rows()[i % split.rows().length];
      labels[i] = split.labels()[i % split.labels().length];
    }
    MetricSamples samples = new MetricSamples(rows, rows, split.spec(),
        new Labels(labels, labels, split.rows(), split.labels(), split.names()));
    Map<String, Object> given = new LinkedHashMap<>();
    given.put("which", List.of("generated"));
    given.put("epochs", epochs);
    long cpu = MetricTimingTest.processCpuNanos();
    Map<String, Double> values = new ClassificationAccuracyScore().compute(samples,
        new Parameters("metric 'classification-accuracy-score'", given));
    double cpuSeconds = (MetricTimingTest.processCpuNanos() - cpu) / 1e9;
    System.out.printf("classification-accuracy-score, generated only, %,d %dx%d images, %d epochs, %,d test images:"
        + " %.1f s (%.1f s of CPU), %.1f s an epoch with the test, on %d cores: %s%n", TRAIN, resolution, resolution,
        epochs, split.rows().length, values.get("seconds"), cpuSeconds, values.get("seconds") / epochs,
        Runtime.getRuntime().availableProcessors(), values);
    assertTrue(values.get("seconds") < 240, values.toString());
  }
}
