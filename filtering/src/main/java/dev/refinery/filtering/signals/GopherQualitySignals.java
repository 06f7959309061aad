package dev.refinery.filtering.signals;

import static dev.refinery.filtering.signals.DocumentText.ratio;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Gopher quality signals (Rae et al. 2021, appendix A; datatrove's {@code GopherQualityFilter}).
 *
 * <p>As datatrove does: word count and mean word length are over non-symbol words (words with at least one
 * character that is not punctuation or a symbol); the hash and ellipsis ratios and the alphabetic-word
 * fraction divide by all words; bullet lines start (after leading whitespace) with "•" or "-"; lines are
 * Python {@code splitlines()} lines; stop words match case-sensitively and count once each.
 */
final class GopherQualitySignals {
  static final List<SignalColumn> COLUMNS = List.of(
      new SignalColumn("gopher_word_count", SignalType.INT,
          "words (whitespace-separated) with at least one non-punctuation, non-symbol character; 0 for empty text"),
      new SignalColumn("gopher_mean_word_length", SignalType.DOUBLE,
          "mean length in code points of the words counted by gopher_word_count; 0.0 when there are none"),
      new SignalColumn("gopher_hash_word_ratio", SignalType.DOUBLE,
          "occurrences of '#' divided by the number of words; 0.0 when there are no words"),
      new SignalColumn("gopher_ellipsis_word_ratio", SignalType.DOUBLE,
          "occurrences of '...' and '…' divided by the number of words; 0.0 when there are no words"),
      new SignalColumn("gopher_bullet_lines_fraction", SignalType.DOUBLE,
          "fraction of lines starting, after leading whitespace, with '•' or '-'; 0.0 when there are no lines"),
      new SignalColumn("gopher_ellipsis_lines_fraction", SignalType.DOUBLE,
          "fraction of lines ending, before trailing whitespace, with '...' or '…'; 0.0 when there are no lines"),
      new SignalColumn("gopher_alpha_words_fraction", SignalType.DOUBLE,
          "fraction of words with at least one alphabetic character; 0.0 when there are no words"),
      new SignalColumn("gopher_stop_word_count", SignalType.INT,
          "how many of the stop words the, be, to, of, and, that, have, with occur (distinct, as datatrove"
              + " 0.10.1 counts them; case-sensitive, surrounding punctuation ignored); 0 for empty text"));

  // Gopher's English stop words, as datatrove lists them.
  private static final Set<String> STOP_WORDS = Set.of("the", "be", "to", "of", "and", "that", "have", "with");

  private GopherQualitySignals() {}

  static void compute(DocumentText document, Object[] values, int offset) {
    int nonSymbolWords = 0;
    long nonSymbolLength = 0;
    int alphabeticWords = 0;
    Set<String> stopWordsSeen = new HashSet<>();
    for (int i = 0; i < document.words.length; i++) {
      String word = document.words[i];
      if (hasNonSymbol(word)) {
        nonSymbolWords++;
        nonSymbolLength += document.wordLengths[i];
      }
      if (hasLetter(word)) {
        alphabeticWords++;
      }
      String stripped = stripSymbols(word);
      if (STOP_WORDS.contains(stripped)) {
        stopWordsSeen.add(stripped);
      }
    }
    String text = document.text;
    int words = document.words.length;
    List<String> lines = DocumentText.splitLines(text);
    int bulletLines = 0;
    int ellipsisLines = 0;
    for (String line : lines) {
      String leading = line.stripLeading();
      if (leading.startsWith("•") || leading.startsWith("-")) {
        bulletLines++;
      }
      String trailing = line.stripTrailing();
      if (trailing.endsWith("...") || trailing.endsWith("…")) {
        ellipsisLines++;
      }
    }
    values[offset] = nonSymbolWords;
    values[offset + 1] = ratio(nonSymbolLength, nonSymbolWords);
    values[offset + 2] = ratio(occurrences(text, "#"), words);
    values[offset + 3] = ratio(occurrences(text, "...") + occurrences(text, "…"), words);
    values[offset + 4] = ratio(bulletLines, lines.size());
    values[offset + 5] = ratio(ellipsisLines, lines.size());
    values[offset + 6] = ratio(alphabeticWords, words);
    values[offset + 7] = stopWordsSeen.size();
  }

  /** Non-overlapping occurrences, as Python's {@code str.count}. */
  static int occurrences(String text, String needle) {
    int count = 0;
    for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length())) {
      count++;
    }
    return count;
  }

  /**
   * Punctuation and symbol Unicode categories: a stand-in for datatrove's {@code PUNCTUATION_SET}
   * (ASCII punctuation plus a list of Unicode punctuation), which they cover.
   */
  static boolean isSymbol(int codePoint) {
    switch (Character.getType(codePoint)) {
      case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
          Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
          Character.OTHER_PUNCTUATION, Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL,
          Character.MODIFIER_SYMBOL, Character.OTHER_SYMBOL -> {
        return true;
      }
      default -> {
        return false;
      }
    }
  }

  private static boolean hasNonSymbol(String word) {
    return word.codePoints().anyMatch(codePoint -> !isSymbol(codePoint));
  }

  private static boolean hasLetter(String word) {
    return word.codePoints().anyMatch(Character::isLetter);
  }

  // NLTK splits "the," into "the" and ","; stripping surrounding symbols lets whitespace words match too.
  private static String stripSymbols(String word) {
    int start = 0;
    int end = word.length();
    while (start < end && isSymbol(word.codePointAt(start))) {
      start += Character.charCount(word.codePointAt(start));
    }
    while (end > start && isSymbol(word.codePointBefore(end))) {
      end -= Character.charCount(word.codePointBefore(end));
    }
    return word.substring(start, end);
  }
}
