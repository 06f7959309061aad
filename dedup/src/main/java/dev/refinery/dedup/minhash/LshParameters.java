package dev.refinery.dedup.minhash;

import dev.refinery.core.error.Preconditions;

/**
 * Bands x rows of the LSH index. Two documents with Jaccard s share at least one bucket with probability
 * {@code P(s) = 1 - (1 - s^rows)^bands}. {@link #optimal} picks the (bands, rows) with
 * {@code bands * rows <= numPermutations} that minimises
 * {@code fpWeight * integral_0^t P(s) ds + fnWeight * integral_t^1 (1 - P(s)) ds} (the false-positive and
 * false-negative areas around the threshold t), as in datatrove and text-dedup.
 */
public record LshParameters(int bands, int rows) {
  public LshParameters {
    Preconditions.checkArgument(bands >= 1 && rows >= 1, "Invalid LSH bands x rows: %s x %s", bands, rows);
  }

  public static LshParameters optimal(double threshold, int numPermutations, double fpWeight, double fnWeight) {
    Preconditions.checkArgument(threshold > 0 && threshold < 1, "Invalid threshold: %s (must be in (0, 1))",
        threshold);
    double best = Double.MAX_VALUE;
    LshParameters chosen = null;
    for (int bands = 1; bands <= numPermutations; bands++) {
      for (int rows = 1; bands * rows <= numPermutations; rows++) {
        double error = fpWeight * falsePositiveArea(threshold, bands, rows)
            + fnWeight * falseNegativeArea(threshold, bands, rows);
        if (error < best - 1e-12) {
          best = error;
          chosen = new LshParameters(bands, rows);
        }
      }
    }
    return chosen;
  }

  /** Probability that two documents of Jaccard {@code s} share a bucket. */
  public double collisionProbability(double s) {
    return 1 - Math.pow(1 - Math.pow(s, rows), bands);
  }

  public int numPermutationsUsed() {
    return bands * rows;
  }

  static double falsePositiveArea(double threshold, int bands, int rows) {
    LshParameters p = new LshParameters(bands, rows);
    return integrate(p::collisionProbability, 0, threshold);
  }

  static double falseNegativeArea(double threshold, int bands, int rows) {
    LshParameters p = new LshParameters(bands, rows);
    return integrate(s -> 1 - p.collisionProbability(s), threshold, 1);
  }

  private static double integrate(java.util.function.DoubleUnaryOperator f, double from, double to) {
    int steps = 200;
    double h = (to - from) / steps;
    double sum = 0.5 * (f.applyAsDouble(from) + f.applyAsDouble(to));
    for (int i = 1; i < steps; i++) {
      sum += f.applyAsDouble(from + i * h);
    }
    return sum * h;
  }
}
