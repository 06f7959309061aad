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

  /**
   * {@link #basic}, then {@link #stripAccents}, {@link #removePunctuation}, {@link #digitsToZero} and
   * {@link #collapseWhitespace}. Plain ASCII text (the bulk of most corpora) takes a single pass with the
   * same result; any other text goes through the steps above. MinHash shingling spent a third of its time
   * in the five regular-expression passes.
   */
  public static String aggressive(String text) {
    String ascii = aggressiveAscii(text);
    return ascii != null ? ascii : aggressiveBySteps(text);
  }

  static String aggressiveBySteps(String text) {
    return collapseWhitespace(digitsToZero(removePunctuation(stripAccents(basic(text)))));
  }

  /**
   * The single-pass {@link #aggressive} for text made only of printable ASCII and the whitespace {@code \s}
   * matches; null for any other text (other control characters survive the regex steps except at the ends,
   * which this pass would not reproduce). Every printable ASCII character that is not a letter, a digit or a
   * space is punctuation or a symbol, so it is dropped without ending a word's run of whitespace.
   */
  private static String aggressiveAscii(String text) {
    int length = text.length();
    char[] out = new char[length];
    int size = 0;
    boolean pendingSpace = false;
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      if (c >= 'a' && c <= 'z') {
        // most common case first
      } else if (c >= 'A' && c <= 'Z') {
        c = (char) (c + ('a' - 'A'));
      } else if (c >= '0' && c <= '9') {
        c = '0';
      } else if (c == ' ' || (c >= '\t' && c <= '\r')) {
        pendingSpace = true;
        continue;
      } else if (c > ' ' && c < 0x7f) {
        continue;
      } else {
        return null;
      }
      if (pendingSpace && size > 0) {
        out[size++] = ' ';
      }
      pendingSpace = false;
      out[size++] = c;
    }
    return new String(out, 0, size);
  }
}
