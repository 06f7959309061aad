package dev.refinery.synthesis.quality;

/** The drop reasons of the output gates both synthesis stages apply (see docs/synthesis.md). */
public final class GateReasons {
  /** A text that goes into the output was cut off by the token budget ({@link Truncation}). */
  public static final String TRUNCATED = "truncated";
  /** A refusal-only answer where the stage wants none ({@link Refusals}). */
  public static final String REFUSAL = "refusal";
  /** An answer in another language than its prompt ({@link LanguageGate}). */
  public static final String LANGUAGE_MISMATCH = "language_mismatch";
  /** A pair whose chosen text equals or is contained in its rejected text ({@link PairGates#chosenInRejected}). */
  public static final String CHOSEN_IN_REJECTED = "chosen_in_rejected";

  private GateReasons() {}
}
