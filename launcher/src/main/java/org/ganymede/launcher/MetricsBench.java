package org.ganymede.launcher;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ganymede.api.DataSpec;
import org.ganymede.api.Dataset;
import org.ganymede.api.DatasetProvider;
import org.ganymede.api.FeatureExtractor;
import org.ganymede.api.FeatureExtractor.Extraction;
import org.ganymede.api.FeatureExtractor.Features;
import org.ganymede.api.Metric;
import org.ganymede.api.Metric.MetricSamples;
import org.ganymede.api.Parameters;
import org.ganymede.api.ParameterException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * How long FID and KID take on Fashion-MNIST, feature extraction included: the first images of the
 * train split stand in for generated ones against the test split, through the same services an
 * evaluation uses. Also prints the values, the distance between two real samples of the data.
 */
@Command(name = "metrics", description = "Time FID and KID on N vs N Fashion-MNIST images (train split against test "
    + "split), features from the shipped classifier included.")
final class MetricsBench implements Callable<Integer> {
  @Option(names = "--samples", defaultValue = "10000", description = "images on each side (default ${DEFAULT-VALUE})")
  int samples;

  @Override
  public Integer call() throws Exception {
    if (samples < 2 || samples > 10_000) {
      throw new ParameterException("--samples must be from 2 to 10000 (the test split's size), was " + samples);
    }
    try (GanymedeHost host = GanymedeHost.start(Distribution.current(), List.of("metrics", "datasets"))) {
      Main.reportProblems(host);
      DatasetProvider fashion = require(host, DatasetProvider.class, "fashion-mnist");
      FeatureExtractor classifier = require(host, FeatureExtractor.class, "fashion-mnist-classifier");
      Metric fid = require(host, Metric.class, "fid");
      Metric kid = require(host, Metric.class, "kid");

      float[][] train = read(fashion, "train");
      float[][] test = read(fashion, "test");
      DataSpec spec = DataSpec.image(28, 28, 1, 10);
      long start = System.nanoTime();
      Features a;
      Features b;
      try (Extraction extraction = classifier.open(spec, Parameters.empty("bench"))) {
        a = extraction.extract(train);
        b = extraction.extract(test);
      }
      long extracted = System.nanoTime();
      MetricSamples features = new MetricSamples(a.features(), b.features(), DataSpec.vector(a.features()[0].length));
      Map<String, Double> fidValues = fid.compute(features, Parameters.empty("metric 'fid'"));
      long fidDone = System.nanoTime();
      Map<String, Double> kidValues = kid.compute(features, Parameters.empty("metric 'kid'"));
      long kidDone = System.nanoTime();

      System.out.printf("features of %d + %d images: %.2f s (%.0f images/s)%n", samples, samples,
          seconds(start, extracted), 2 * samples / seconds(start, extracted));
      System.out.printf("fid: %.2f s  %s%n", seconds(extracted, fidDone), fidValues);
      System.out.printf("kid: %.2f s  %s%n", seconds(fidDone, kidDone), kidValues);
      System.out.printf("FID + KID, %d vs %d, features included: %.2f s%n", samples, samples, seconds(start, kidDone));
    }
    return 0;
  }

  private float[][] read(DatasetProvider provider, String split) throws Exception {
    try (Dataset data = provider.open(new Parameters("dataset 'fashion-mnist'", Map.of("split", split, "resolution", 28)), 0)) {
      if (data.size() < samples) {
        throw new ParameterException(data.describe() + " holds fewer than " + samples + " images");
      }
      float[][] rows = new float[samples][data.spec().sampleSize()];
      for (int i = 0; i < samples; i++) {
        data.read(i, rows[i], 0);
      }
      return rows;
    }
  }

  private static <T> T require(GanymedeHost host, Class<T> type, String name) throws Exception {
    T service = host.service(type, name);
    if (service == null) {
      throw new ParameterException("no " + type.getSimpleName() + " named '" + name + "' is registered; is its bundle "
          + "in the plugins folder?");
    }
    return service;
  }

  private static double seconds(long from, long to) {
    return (to - from) / 1e9;
  }
}
