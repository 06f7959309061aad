package dev.refinery.filtering.signals;

import java.util.ArrayList;
import java.util.List;

/**
 * A document split once into what every signal family needs: whitespace-separated words and their
 * lengths. Lengths are in code points, as Python's {@code len} counts them, so ratios match datatrove on
 * text outside the Basic Multilingual Plane.
 *
 * <p>Words are split on whitespace, not with datatrove's NLTK word tokenizer: "end." is one word here and
 * two tokens there ("end", "."). Word counts are therefore a little lower and mean word lengths a little
 * higher than datatrove's on punctuated prose.
 */
final class DocumentText {
  final String text;
  final int length;
  final String[] words;
  final int[] wordLengths;

  private DocumentText(String text, String[] words) {
    this.text = text;
    this.length = text.codePointCount(0, text.length());
    this.words = words;
    this.wordLengths = new int[words.length];
    for (int i = 0; i < words.length; i++) {
      wordLengths[i] = words[i].codePointCount(0, words[i].length());
    }
  }

  static DocumentText of(String text) {
    return new DocumentText(text == null ? "" : text, splitWords(text == null ? "" : text));
  }

  /** Splits on runs of whitespace ({@link Character#isWhitespace}), like Python's {@code str.split()}. */
  static String[] splitWords(String text) {
    List<String> words = new ArrayList<>();
    int start = -1;
    for (int i = 0; i < text.length(); ) {
      int codePoint = text.codePointAt(i);
      boolean space = Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint);
      if (space && start >= 0) {
        words.add(text.substring(start, i));
        start = -1;
      } else if (!space && start < 0) {
        start = i;
      }
      i += Character.charCount(codePoint);
    }
    if (start >= 0) {
      words.add(text.substring(start));
    }
    return words.toArray(new String[0]);
  }

  /**
   * Lines as Python's {@code str.splitlines()} yields them: split on \n, \r, \r\n and the other Unicode
   * line boundaries, with no empty line after a final separator and none at all for empty text.
   */
  static List<String> splitLines(String text) {
    List<String> lines = new ArrayList<>();
    int start = 0;
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (isLineBoundary(c)) {
        lines.add(text.substring(start, i));
        i += (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') ? 2 : 1;
        start = i;
      } else {
        i++;
      }
    }
    if (start < text.length()) {
      lines.add(text.substring(start));
    }
    return lines;
  }

  private static boolean isLineBoundary(char c) {
    return c == '\n' || c == '\r' || c == '\u000B' || c == '\u000C' || c == '\u001C' || c == '\u001D'
        || c == '\u001E' || c == '\u0085' || c == '\u2028' || c == '\u2029';
  }

  static int length(String value) {
    return value.codePointCount(0, value.length());
  }

  /** 0.0 when there is nothing to divide by, so a signal is never NaN or infinite. */
  static double ratio(long numerator, long denominator) {
    return denominator == 0 ? 0.0 : (double) numerator / denominator;
  }
}
