package dev.refinery.annotation.metrics;

import java.util.Arrays;

/** Percentile confidence intervals from bootstrap replicates. */
public final class Percentiles {
  private Percentiles() {}

  /** A two-sided interval; NaN bounds when no replicate was defined. */
  public record Interval(double lower, double upper) {}

  /**
   * The {@code (1 - level) / 2} and {@code (1 + level) / 2} quantiles of the defined (non-NaN) replicates,
   * with linear interpolation between order statistics (numpy's default).
   */
  public static Interval interval(double[] replicates, double level) {
    double[] defined = Arrays.stream(replicates).filter(v -> !Double.isNaN(v)).sorted().toArray();
    if (defined.length == 0) {
      return new Interval(Double.NaN, Double.NaN);
    }
    return new Interval(quantile(defined, (1 - level) / 2), quantile(defined, (1 + level) / 2));
  }

  static double quantile(double[] sorted, double q) {
    double position = q * (sorted.length - 1);
    int below = (int) Math.floor(position);
    int above = Math.min(below + 1, sorted.length - 1);
    double fraction = position - below;
    return sorted[below] + (sorted[above] - sorted[below]) * fraction;
  }
}
