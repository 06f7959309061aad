package dev.refinery.annotation.agreement;

import dev.refinery.annotation.metrics.BootstrapSums;
import dev.refinery.annotation.metrics.CohenKappa;
import dev.refinery.annotation.metrics.FleissKappa;
import dev.refinery.annotation.metrics.KrippendorffAlpha;
import java.io.Serializable;

/**
 * Where each additive count lives in a unit's feature vector ({@link BootstrapSums}):
 * <pre>
 *   [0, 9)           coincidence matrix over (A, tie, B)             -> Krippendorff's alpha, all levels
 *   [9, 14)          sum of unit agreement P_i, units, totals (3)   -> Fleiss' kappa
 *   [14 + 9p, +9)    confusion table of rater pair p (i &lt; j)        -> Cohen's kappa of that pair
 * </pre>
 * Rater pairs are numbered in rater order; the first {@code bootstrapPairs} are resampled for intervals.
 */
final class FeatureLayout implements Serializable {
  static final int LABELS = 3;
  static final int ALPHA = 0;
  static final int FLEISS = LABELS * LABELS;
  static final int PAIRS = FLEISS + 2 + LABELS;
  /** The numeric codes of A, tie, B for interval and ratio alpha. */
  static final double[] DOMAIN = {1, 2, 3};

  final int raters;
  final int bootstrapPairs;

  FeatureLayout(int raters, int maxBootstrapPairs) {
    this.raters = raters;
    this.bootstrapPairs = Math.min(maxBootstrapPairs, pairCount());
  }

  int pairCount() {
    return raters * (raters - 1) / 2;
  }

  int dimensions() {
    return PAIRS + pairCount() * LABELS * LABELS;
  }

  int bootstrapDimensions() {
    return PAIRS + bootstrapPairs * LABELS * LABELS;
  }

  /** The index of rater pair (a, b), a &lt; b. */
  int pair(int a, int b) {
    return a * raters - a * (a + 1) / 2 + (b - a - 1);
  }

  /** Writes the unit's sparse features into the buffers; returns the entry count. */
  int features(Unit unit, int[] index, double[] value) {
    int nnz = 0;
    long[] counts = unit.counts();
    long m = unit.size();
    if (m >= 2) {
      for (int c = 0; c < LABELS; c++) {
        for (int k = 0; k < LABELS; k++) {
          long pairs = counts[c] * (counts[k] - (c == k ? 1 : 0));
          if (pairs != 0) {
            index[nnz] = ALPHA + c * LABELS + k;
            value[nnz++] = (double) pairs / (m - 1);
          }
        }
      }
      double[] asDouble = {counts[0], counts[1], counts[2]};
      index[nnz] = FLEISS;
      value[nnz++] = FleissKappa.unitAgreement(asDouble);
      index[nnz] = FLEISS + 1;
      value[nnz++] = 1;
      for (int j = 0; j < LABELS; j++) {
        if (counts[j] != 0) {
          index[nnz] = FLEISS + 2 + j;
          value[nnz++] = counts[j];
        }
      }
    }
    int[] raterIds = unit.raters();
    int[] labels = unit.labels();
    for (int i = 0; i < raterIds.length; i++) {
      for (int j = i + 1; j < raterIds.length; j++) {
        index[nnz] = PAIRS + pair(raterIds[i], raterIds[j]) * LABELS * LABELS + labels[i] * LABELS + labels[j];
        value[nnz++] = 1;
      }
    }
    return nnz;
  }

  /** Upper bound of entries for a unit with m judgments. */
  static int maxEntries(int m) {
    return LABELS * LABELS + 2 + LABELS + m * (m - 1) / 2;
  }

  double alpha(BootstrapSums.View sums, KrippendorffAlpha.Level level) {
    double[][] o = new double[LABELS][LABELS];
    for (int c = 0; c < LABELS; c++) {
      for (int k = 0; k < LABELS; k++) {
        o[c][k] = sums.get(ALPHA + c * LABELS + k);
      }
    }
    return KrippendorffAlpha.alpha(DOMAIN, o, level);
  }

  double fleiss(BootstrapSums.View sums) {
    double[] totals = {sums.get(FLEISS + 2), sums.get(FLEISS + 3), sums.get(FLEISS + 4)};
    return FleissKappa.kappa(sums.get(FLEISS), sums.get(FLEISS + 1), totals);
  }

  double[][] confusion(BootstrapSums.View sums, int pair) {
    double[][] table = new double[LABELS][LABELS];
    int base = PAIRS + pair * LABELS * LABELS;
    for (int c = 0; c < LABELS; c++) {
      for (int k = 0; k < LABELS; k++) {
        table[c][k] = sums.get(base + c * LABELS + k);
      }
    }
    return table;
  }

  double cohen(BootstrapSums.View sums, int pair, CohenKappa.Weighting weighting) {
    return CohenKappa.kappa(confusion(sums, pair), weighting);
  }
}
