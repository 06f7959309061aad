package dev.refinery.annotation.labels;

import java.util.Locale;

/**
 * A verdict on a preference pair, relative to the stored pair: {@link #A} prefers {@code chosen},
 * {@link #B} prefers {@code rejected}. The declaration order (A, tie, B) is the ordinal order used by
 * weighted kappa and ordinal alpha; {@link #code()} is the numeric value used by interval and ratio alpha.
 */
public enum PreferenceLabel {
  A("A", 1.0),
  TIE("tie", 0.5),
  B("B", 0.0);

  private final String text;
  private final double probabilityA;

  PreferenceLabel(String text, double probabilityA) {
    this.text = text;
    this.probabilityA = probabilityA;
  }

  /** As stored in the {@code label} column. */
  public String text() {
    return text;
  }

  /** p(A) of a hard verdict: 1, 0.5 or 0. */
  public double probabilityA() {
    return probabilityA;
  }

  /** 1 (A), 2 (tie), 3 (B): the numeric scale for interval and ratio alpha. */
  public double code() {
    return ordinal() + 1;
  }

  /** The other response's label: what the same verdict means when the presentation order is swapped. */
  public PreferenceLabel swapped() {
    return this == A ? B : this == B ? A : TIE;
  }

  public static PreferenceLabel parse(String text) {
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "a" -> A;
      case "b" -> B;
      case "tie" -> TIE;
      default -> throw new IllegalArgumentException("Invalid label '" + text + "': expected A, B or tie");
    };
  }

  /** The label of a soft verdict: tie when p(A) is within {@code tieMargin} of 0.5. */
  public static PreferenceLabel ofProbability(double probabilityA, double tieMargin) {
    if (probabilityA > 0.5 + tieMargin) {
      return A;
    }
    if (probabilityA < 0.5 - tieMargin) {
      return B;
    }
    return TIE;
  }
}
