package dev.refinery.synthesis.quality;

import java.util.Locale;
import java.util.regex.Pattern;

/** Checks on a preference pair as a whole. */
public final class PairGates {
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");

  private PairGates() {}

  /**
   * {@code true} when {@code chosen} equals {@code rejected} or is contained in it, ignoring case and runs of
   * whitespace: such a pair teaches that saying less is better, not what the revision fixed.
   */
  public static boolean chosenInRejected(String chosen, String rejected) {
    String a = normalize(chosen);
    return !a.isEmpty() && normalize(rejected).contains(a);
  }

  private static String normalize(String text) {
    return text == null ? "" : WHITESPACE.matcher(text).replaceAll(" ").strip().toLowerCase(Locale.ROOT);
  }
}
