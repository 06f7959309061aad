package dev.refinery.annotation.agreement;

import dev.refinery.annotation.metrics.BootstrapSums;
import dev.refinery.annotation.metrics.Correlation;
import dev.refinery.annotation.metrics.PoissonBootstrap;
import java.io.Serializable;

/**
 * Everything the dataset-level metrics need, as one mergeable state filled in one pass over the units:
 * the bootstrap sums (alpha, Fleiss, Cohen), per-rater judgment counts, position-bias counters per rater
 * group, and length-bias correlation sums per rater (index {@code raters} = all raters together).
 */
final class AgreementState implements Serializable {
  private static final long serialVersionUID = 1L;

  final FeatureLayout layout;
  final BootstrapSums sums;
  final long[] judgmentsPerRater;
  /** Per group: pairs judged in both orders, flips among them, decisive judgments, first-position wins. */
  final long[][] position;
  final Correlation[] length;
  long units;
  long judgments;
  private transient int[] index;
  private transient double[] value;

  AgreementState(FeatureLayout layout, int groups, int replicates, long seed) {
    this.layout = layout;
    this.sums = new BootstrapSums(layout.dimensions(), layout.bootstrapDimensions(), replicates, seed);
    this.judgmentsPerRater = new long[layout.raters];
    this.position = new long[groups][4];
    this.length = new Correlation[layout.raters + 1];
    for (int i = 0; i < length.length; i++) {
      length[i] = new Correlation();
    }
  }

  AgreementState add(Unit unit) {
    int m = unit.size();
    int capacity = FeatureLayout.maxEntries(m);
    if (index == null || index.length < capacity) {
      index = new int[Math.max(capacity, 64)];
      value = new double[index.length];
    }
    int nnz = layout.features(unit, index, value);
    sums.add(PoissonBootstrap.key(unit.pairId()), index, value, nnz);
    units++;
    judgments += m;
    for (int i = 0; i < m; i++) {
      int rater = unit.raters()[i];
      judgmentsPerRater[rater]++;
      int label = unit.labels()[i];
      long[] group = position[unit.groups()[i]];
      if (label != 1) {
        group[2]++;
        // A wins first position when shown first (AB); B when B was shown first (BA).
        boolean firstWon = unit.swapped()[i] ? label == 2 : label == 0;
        group[3] += firstWon ? 1 : 0;
      }
      // The same group judged the pair in the other order too: one flip check per (AB, BA) couple.
      if (!unit.swapped()[i]) {
        for (int j = 0; j < m; j++) {
          if (unit.swapped()[j] && unit.groups()[j] == unit.groups()[i]) {
            group[0]++;
            group[1] += unit.labels()[j] != label ? 1 : 0;
          }
        }
      }
      if (!Double.isNaN(unit.lengthDifference()) && !Double.isNaN(unit.probabilityA()[i])) {
        length[rater].add(unit.lengthDifference(), unit.probabilityA()[i]);
        length[layout.raters].add(unit.lengthDifference(), unit.probabilityA()[i]);
      }
    }
    return this;
  }

  AgreementState merge(AgreementState other) {
    sums.merge(other.sums);
    for (int r = 0; r < judgmentsPerRater.length; r++) {
      judgmentsPerRater[r] += other.judgmentsPerRater[r];
    }
    for (int g = 0; g < position.length; g++) {
      for (int k = 0; k < 4; k++) {
        position[g][k] += other.position[g][k];
      }
    }
    for (int i = 0; i < length.length; i++) {
      length[i].merge(other.length[i]);
    }
    units += other.units;
    judgments += other.judgments;
    return this;
  }
}
