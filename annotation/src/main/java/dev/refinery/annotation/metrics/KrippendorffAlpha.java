package dev.refinery.annotation.metrics;

import dev.refinery.core.error.Preconditions;
import java.util.Arrays;

/**
 * Krippendorff's alpha from a coincidence matrix (Krippendorff 2011, "Computing Krippendorff's
 * Alpha-Reliability"). Missing ratings are allowed: a unit contributes only its pairable values, and units
 * with fewer than two values contribute nothing. The coincidence matrix is a sum over units, so it is a
 * mergeable state: partitions add their matrices and the metric is computed once at the end.
 *
 * <p>The formulas follow the Python {@code krippendorff} package (0.9.0), which the parity test checks:
 * {@code alpha = 1 - sum(o * d) / sum(e * d)} with {@code e = (n_c n_k - [c == k] n_c) / (n - 1)}.
 */
public final class KrippendorffAlpha {
  private KrippendorffAlpha() {}

  /** Stevens' level of measurement, which picks the distance between two values. */
  public enum Level { NOMINAL, ORDINAL, INTERVAL, RATIO }

  /**
   * Alpha from reliability data {@code data[rater][unit]}, {@code NaN} marking a missing rating. The value
   * domain is the sorted set of values that occur.
   */
  public static double alpha(double[][] data, Level level) {
    double[] domain = domain(data);
    return alpha(domain, coincidences(data, domain), level);
  }

  /** The sorted distinct non-missing values of {@code data}. */
  public static double[] domain(double[][] data) {
    return Arrays.stream(data).flatMapToDouble(Arrays::stream).filter(v -> !Double.isNaN(v)).distinct().sorted()
        .toArray();
  }

  /** The coincidence matrix of {@code data} over {@code domain} (values outside it are an error). */
  public static double[][] coincidences(double[][] data, double[] domain) {
    int units = data.length == 0 ? 0 : data[0].length;
    double[][] o = new double[domain.length][domain.length];
    long[] counts = new long[domain.length];
    for (int u = 0; u < units; u++) {
      Arrays.fill(counts, 0);
      for (double[] rater : data) {
        double value = rater[u];
        if (!Double.isNaN(value)) {
          int index = Arrays.binarySearch(domain, value);
          Preconditions.checkArgument(index >= 0, "Invalid rating %s: not in the value domain", value);
          counts[index]++;
        }
      }
      addUnit(o, counts);
    }
    return o;
  }

  /**
   * Adds one unit's value counts ({@code counts[c]} = raters who gave value c) to {@code o}:
   * {@code o[c][k] += counts[c] * (counts[k] - [c == k]) / (m - 1)}, m the unit's number of values.
   */
  public static void addUnit(double[][] o, long[] counts) {
    long m = 0;
    for (long count : counts) {
      m += count;
    }
    if (m < 2) {
      return;
    }
    for (int c = 0; c < counts.length; c++) {
      if (counts[c] == 0) {
        continue;
      }
      for (int k = 0; k < counts.length; k++) {
        long pairs = counts[c] * (counts[k] - (c == k ? 1 : 0));
        if (pairs != 0) {
          o[c][k] += (double) pairs / (m - 1);
        }
      }
    }
  }

  /** Alpha from a coincidence matrix over the sorted {@code domain}; NaN when undefined (no variation). */
  public static double alpha(double[] domain, double[][] o, Level level) {
    int v = domain.length;
    double[] marginals = new double[v];
    double n = 0;
    for (int c = 0; c < v; c++) {
      for (int k = 0; k < v; k++) {
        marginals[c] += o[c][k];
      }
      n += marginals[c];
    }
    double[][] d = distances(domain, marginals, level);
    double observed = 0;
    double expected = 0;
    for (int c = 0; c < v; c++) {
      for (int k = 0; k < v; k++) {
        observed += o[c][k] * d[c][k];
        double e = (marginals[c] * marginals[k] - (c == k ? marginals[c] : 0)) / (n - 1);
        expected += e * d[c][k];
      }
    }
    return expected == 0 ? Double.NaN : 1 - observed / expected;
  }

  /** Squared distances between domain values; ordinal distances use the marginals {@code n_v}. */
  static double[][] distances(double[] domain, double[] marginals, Level level) {
    int v = domain.length;
    double[][] d = new double[v][v];
    double[] cumulative = new double[v + 1];
    for (int i = 0; i < v; i++) {
      cumulative[i + 1] = cumulative[i] + marginals[i];
    }
    for (int c = 0; c < v; c++) {
      for (int k = 0; k < v; k++) {
        double a = domain[c];
        double b = domain[k];
        d[c][k] = switch (level) {
          case NOMINAL -> c == k ? 0 : 1;
          case INTERVAL -> (a - b) * (a - b);
          case RATIO -> a + b == 0 ? 0 : ((a - b) / (a + b)) * ((a - b) / (a + b));
          case ORDINAL -> {
            int lo = Math.min(c, k);
            int hi = Math.max(c, k);
            double between = cumulative[hi + 1] - cumulative[lo] - (marginals[lo] + marginals[hi]) / 2;
            yield between * between;
          }
        };
      }
    }
    return d;
  }
}
