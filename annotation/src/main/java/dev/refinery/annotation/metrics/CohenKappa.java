package dev.refinery.annotation.metrics;

/**
 * Cohen's kappa for two raters from their confusion table {@code table[i][j]} (rater 1 said category i,
 * rater 2 said j), unweighted or with linear / quadratic disagreement weights over the category order. The
 * table is a sum over items, so it is mergeable. Matches {@code statsmodels.stats.inter_rater.cohens_kappa}.
 */
public final class CohenKappa {
  private CohenKappa() {}

  /** How disagreements between ordered categories count. */
  public enum Weighting { NONE, LINEAR, QUADRATIC }

  /** Kappa, or NaN when undefined (an empty table or chance agreement of 1). */
  public static double kappa(double[][] table, Weighting weighting) {
    int k = table.length;
    double total = 0;
    double[] rows = new double[k];
    double[] columns = new double[k];
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < k; j++) {
        total += table[i][j];
        rows[i] += table[i][j];
        columns[j] += table[i][j];
      }
    }
    if (total == 0) {
      return Double.NaN;
    }
    if (weighting == Weighting.NONE) {
      double agree = 0;
      double chance = 0;
      for (int i = 0; i < k; i++) {
        agree += table[i][i];
        chance += (rows[i] / total) * (columns[i] / total);
      }
      return chance == 1 ? Double.NaN : (agree / total - chance) / (1 - chance);
    }
    double observed = 0;
    double expected = 0;
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < k; j++) {
        double distance = Math.abs(i - j) / (double) (k - 1);
        double w = weighting == Weighting.LINEAR ? distance : distance * distance;
        observed += w * table[i][j];
        expected += w * (rows[i] / total) * (columns[j] / total);
      }
    }
    return expected == 0 ? Double.NaN : 1 - observed / total / expected;
  }
}
