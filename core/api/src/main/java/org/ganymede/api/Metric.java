package org.ganymede.api;

import java.util.Map;

/**
 * A measure of generated samples against real ones. A service with a {@code name}. A metric that
 * throws is logged by the engine and the run goes on.
 */
public interface Metric {
  /**
   * @param samples generated and real samples, each row one flattened sample
   * @param parameters the experiment's parameters for this metric
   * @return named values, e.g. {@code {"fid": 12.3}}
   */
  Map<String, Double> compute(MetricSamples samples, Parameters parameters) throws Exception;

  /**
   * @param generated generated samples, one flattened sample a row
   * @param real real samples, one flattened sample a row
   * @param spec the shape of one sample
   */
  record MetricSamples(float[][] generated, float[][] real, DataSpec spec) {}
}
