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
   * {@link #collapseWhitespace}, in one pass over the words. Every step works within a word (a run of
   * non-whitespace: Unicode normalisation does not compose across an ASCII space, and lower-casing's only
   * context rule, the final sigma, stops at whitespace), so each word is normalised alone and the non-empty
   * results are joined by single spaces. A plain ASCII word (most of most corpora) is lowered, stripped and
   * zeroed in place; any other word goes through the steps. Text with control characters other than
   * whitespace takes the steps whole, as trimming treats those like whitespace at the ends. MinHash shingling
   * spent a third of its time in the five regular-expression passes over whole documents.
   */
  public static String aggressive(String text) {
    int length = text.length();
    StringBuilder out = new StringBuilder(length);
    int i = 0;
    while (i < length) {
      while (i < length && isRegexWhitespace(text.charAt(i))) {
        i++;
      }
      int start = i;
      boolean ascii = true;
      while (i < length && !isRegexWhitespace(text.charAt(i))) {
        char c = text.charAt(i);
        if (c < ' ') {
          return aggressiveBySteps(text);
        }
        ascii &= c < 0x7f;
        i++;
      }
      if (start == i) {
        break;
      }
      int before = out.length();
      if (before > 0) {
        out.append(' ');
      }
      int wordStart = out.length();
      if (ascii) {
        appendAsciiWord(text, start, i, out);
      } else {
        out.append(aggressiveBySteps(text.substring(start, i)));
      }
      if (out.length() == wordStart) {
        out.setLength(before);
      }
    }
    return out.toString();
  }

  static String aggressiveBySteps(String text) {
    return collapseWhitespace(digitsToZero(removePunctuation(stripAccents(basic(text)))));
  }

  /** The characters Java's {@code \s} matches: space, tab, line feed, vertical tab, form feed, return. */
  private static boolean isRegexWhitespace(char c) {
    return c == ' ' || (c >= '\t' && c <= '\r');
  }

  /**
   * A word of printable ASCII: letters lowered, digits to 0, everything else dropped (every printable ASCII
   * character that is not a letter or a digit is punctuation or a symbol).
   */
  private static void appendAsciiWord(String text, int from, int to, StringBuilder out) {
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c >= 'a' && c <= 'z') {
        out.append(c);
      } else if (c >= 'A' && c <= 'Z') {
        out.append((char) (c + ('a' - 'A')));
      } else if (c >= '0' && c <= '9') {
        out.append('0');
      }
    }
  }
}
