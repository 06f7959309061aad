package dev.refinery.annotation.agreement;

import java.io.Serializable;

/**
 * One judged pair, compactly: parallel arrays over its judgments, sorted by rater index. Labels are
 * {@link dev.refinery.annotation.labels.PreferenceLabel} ordinals (A = 0, tie = 1, B = 2).
 *
 * @param lengthDifference len(chosen) - len(rejected) in characters, NaN when the pair is unknown
 */
record Unit(String pairId, int[] raters, int[] labels, double[] probabilityA, boolean[] swapped, int[] groups,
    double lengthDifference) implements Serializable {

  int size() {
    return raters.length;
  }

  long[] counts() {
    long[] counts = new long[3];
    for (int label : labels) {
      counts[label]++;
    }
    return counts;
  }
}
