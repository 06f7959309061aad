package dev.refinery.synthesis.quality;

import dev.refinery.core.text.TextNormalizer;

/** Checks on a preference pair as a whole. */
public final class PairGates {
  private PairGates() {}

  /**
   * {@code true} when {@code chosen} equals {@code rejected} or is contained in it, ignoring case and runs of
   * whitespace: such a pair teaches that saying less is better, not what the revision fixed.
   */
  public static boolean chosenInRejected(String chosen, String rejected) {
    String a = chosen == null ? "" : TextNormalizer.basic(chosen);
    return !a.isEmpty() && rejected != null && TextNormalizer.basic(rejected).contains(a);
  }
}
