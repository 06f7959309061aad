package dev.refinery.core.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The normalisation and tokenisation shared by language-model training ({@code lm-train}) and scoring
 * ({@code perplexity}), so that both see exactly the same tokens.
 *
 * <p>Normalisation follows CCNet's {@code text_normalizer.normalize}: lower case, accents stripped, every
 * decimal digit mapped to {@code 0}, typographic and full-width punctuation mapped to ASCII, control and
 * format characters removed. Tokenisation (CCNet uses SentencePiece; we use no trained model) splits on
 * whitespace, keeps runs of letters, digits and combining marks together, and makes every other character
 * (punctuation, symbols) a token of its own: {@code "don't stop!"} becomes {@code don ' t stop !}. A
 * document is scored line by line: each line that has at least one token is one sentence.
 */
public final class LmTokenizer {
  private LmTokenizer() {}

  /** Lines of {@code document} that have tokens, each as its tokens. Blank or empty lines are skipped. */
  public static List<String[]> sentences(String document) {
    List<String[]> out = new ArrayList<>();
    if (document == null || document.isEmpty()) {
      return out;
    }
    int start = 0;
    int length = document.length();
    for (int i = 0; i <= length; i++) {
      if (i == length || document.charAt(i) == '\n' || document.charAt(i) == '\r') {
        if (i > start) {
          String[] tokens = tokens(document.substring(start, i));
          if (tokens.length > 0) {
            out.add(tokens);
          }
        }
        start = i + 1;
      }
    }
    return out;
  }

  /** The tokens of one line, after {@link #normalize}. */
  public static String[] tokens(String line) {
    String text = normalize(line);
    List<String> tokens = new ArrayList<>();
    int wordStart = -1;
    int i = 0;
    while (i < text.length()) {
      int cp = text.codePointAt(i);
      int width = Character.charCount(cp);
      if (isWordChar(cp)) {
        if (wordStart < 0) {
          wordStart = i;
        }
      } else {
        if (wordStart >= 0) {
          tokens.add(text.substring(wordStart, i));
          wordStart = -1;
        }
        if (!Character.isWhitespace(cp) && !Character.isSpaceChar(cp)) {
          tokens.add(text.substring(i, i + width));
        }
      }
      i += width;
    }
    if (wordStart >= 0) {
      tokens.add(text.substring(wordStart));
    }
    return tokens.toArray(new String[0]);
  }

  /** CCNet-style normalisation of one line (see the class comment). */
  public static String normalize(String line) {
    String lower = line.toLowerCase(Locale.ROOT);
    if (!isAscii(lower)) {
      lower = TextNormalizer.stripAccents(lower);
    }
    StringBuilder out = new StringBuilder(lower.length());
    int i = 0;
    while (i < lower.length()) {
      int cp = lower.codePointAt(i);
      i += Character.charCount(cp);
      if (Character.isDigit(cp)) {
        out.append('0');
        continue;
      }
      String mapped = punctuation(cp);
      if (mapped != null) {
        out.append(mapped);
        continue;
      }
      int type = Character.getType(cp);
      if (type == Character.CONTROL || type == Character.FORMAT || type == Character.UNASSIGNED
          || type == Character.PRIVATE_USE || type == Character.SURROGATE) {
        // Tabs and other control whitespace become spaces; the rest (zero-width, BOM, soft hyphen) go.
        if (Character.isWhitespace(cp)) {
          out.append(' ');
        }
        continue;
      }
      out.appendCodePoint(cp);
    }
    return out.toString();
  }

  private static boolean isAscii(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  private static boolean isWordChar(int cp) {
    if (Character.isLetterOrDigit(cp)) {
      return true;
    }
    int type = Character.getType(cp);
    return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK
        || type == Character.ENCLOSING_MARK;
  }

  /** CCNet's UNICODE_PUNCT table, plus dashes, ellipsis and guillemets. */
  private static String punctuation(int cp) {
    return switch (cp) {
      case '，', '、' -> ",";
      case '。' -> ". ";
      case '“', '”', '„', '‟', '«', '»', '《', '》', '」', '「', '＂' -> "\"";
      case '∶', '：' -> ":";
      case '？' -> "?";
      case '）' -> ")";
      case '！' -> "!";
      case '（' -> "(";
      case '；' -> ";";
      case '％' -> "%";
      case '’', '‘', '‚', '‛', '´', '`', '′' -> "'";
      case '–', '—', '―', '‐', '‑', '−' -> "-";
      case '…' -> "...";
      case '＜' -> "<";
      case '＞' -> ">";
      case '【' -> "[";
      case '】' -> "]";
      case '～' -> "~";
      default -> null;
    };
  }
}
