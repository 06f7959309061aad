package dev.refinery.annotation.metrics;

/**
 * Fleiss' kappa from per-unit category counts, kept as a mergeable {@link State}: the sum of per-unit
 * agreement {@code P_i}, the number of units and the category totals.
 *
 * <p>Fleiss (1971) assumes every unit has the same number of ratings; then this equals
 * {@code statsmodels.stats.inter_rater.fleiss_kappa}. With varying numbers of ratings each unit's
 * {@code P_i} uses its own count and the category shares pool all ratings (the usual generalisation);
 * units with fewer than two ratings are skipped.
 */
public final class FleissKappa {
  private FleissKappa() {}

  /** Kappa from a table {@code counts[unit][category]}. */
  public static double kappa(double[][] counts) {
    State state = new State(counts.length == 0 ? 0 : counts[0].length);
    for (double[] unit : counts) {
      state.add(unit, 1);
    }
    return state.kappa();
  }

  /** Agreement of one unit: {@code (sum n_j^2 - n) / (n (n - 1))}; NaN when n < 2. */
  public static double unitAgreement(double[] counts) {
    double n = 0;
    double squares = 0;
    for (double c : counts) {
      n += c;
      squares += c * c;
    }
    return n < 2 ? Double.NaN : (squares - n) / (n * (n - 1));
  }

  /** Kappa from the summed state: {@code sumAgreement}, {@code units}, {@code categoryTotals}. */
  public static double kappa(double sumAgreement, double units, double[] categoryTotals) {
    double total = 0;
    for (double t : categoryTotals) {
      total += t;
    }
    if (units == 0 || total == 0) {
      return Double.NaN;
    }
    double chance = 0;
    for (double t : categoryTotals) {
      chance += (t / total) * (t / total);
    }
    return chance == 1 ? Double.NaN : (sumAgreement / units - chance) / (1 - chance);
  }

  /** The mergeable state. */
  public static final class State {
    private double sumAgreement;
    private double units;
    private final double[] totals;

    public State(int categories) {
      totals = new double[categories];
    }

    /** Adds a unit with weight {@code w} (1, or a bootstrap multiplicity). */
    public void add(double[] counts, double w) {
      double p = unitAgreement(counts);
      if (Double.isNaN(p)) {
        return;
      }
      sumAgreement += w * p;
      units += w;
      for (int j = 0; j < counts.length; j++) {
        totals[j] += w * counts[j];
      }
    }

    public double kappa() {
      return FleissKappa.kappa(sumAgreement, units, totals);
    }
  }
}
