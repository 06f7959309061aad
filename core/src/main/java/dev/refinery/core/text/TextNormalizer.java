package dev.refinery.core.text;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Text normalisation shared by exact dedup, shingling and the language model, so one definition of "the
 * same text" holds across stages. Each step is a flag so a stage can document precisely what it applies.
 */
public final class TextNormalizer {
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");
  private static final Pattern COMBINING_MARKS = Pattern.compile("\\p{M}+");
  private static final Pattern DIGIT = Pattern.compile("\\p{Nd}");
  private static final Pattern PUNCTUATION = Pattern.compile("[\\p{P}\\p{S}]");

  private TextNormalizer() {}

  /** NFC, lower case, whitespace runs collapsed to one space, trimmed. */
  public static String basic(String text) {
    String nfc = Normalizer.normalize(text, Normalizer.Form.NFC);
    return WHITESPACE.matcher(nfc.toLowerCase(Locale.ROOT)).replaceAll(" ").trim();
  }

  /** Accents stripped (NFD, combining marks removed), then recomposed. */
  public static String stripAccents(String text) {
    String nfd = Normalizer.normalize(text, Normalizer.Form.NFD);
    return Normalizer.normalize(COMBINING_MARKS.matcher(nfd).replaceAll(""), Normalizer.Form.NFC);
  }

  /** Every decimal digit mapped to 0 (CCNet's convention). */
  public static String digitsToZero(String text) {
    return DIGIT.matcher(text).replaceAll("0");
  }

  /** Punctuation and symbols removed. */
  public static String removePunctuation(String text) {
    return PUNCTUATION.matcher(text).replaceAll("");
  }

  public static String collapseWhitespace(String text) {
    return WHITESPACE.matcher(text).replaceAll(" ").trim();
  }
}
