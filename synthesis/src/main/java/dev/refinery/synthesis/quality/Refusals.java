package dev.refinery.synthesis.quality;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Refusal-only answers: the first sentence declines ("I'm sorry, but I can't help with that", "As an AI
 * language model, I cannot ...", "I won't provide ...") and the answer says little else. An answer that
 * declines and then helps at length, or that only sympathises ("I'm sorry to hear that. Try ..."), is not.
 */
public final class Refusals {
  /** At most this many words, the refusal included, for the answer to count as refusal-only. */
  static final int MAX_WORDS = 40;

  private static final Pattern DECLINES = Pattern.compile(
      "\\b(?:i|i'm|i am)\\s+(?:really\\s+|simply\\s+|just\\s+)?"
          + "(?:can ?not|can't|won't|will not|am not able to|'m not able to|am unable to|'m unable to|must decline to"
          + "|refuse to|am not going to|'m not going to)\\s+"
          + "(?:\\w+\\s+)?(?:help|assist|provide|answer|do|comply|fulfil|fulfill|create|generate|write|share|engage"
          + "|support|give|offer|tell|discuss|condone|encourage|participate|make|produce|complete)\\b"
          + "|^(?:as an ai|as a language model|as an artificial intelligence)\\b"
          + "|^(?:i'm|i am) sorry,? but\\b",
      Pattern.CASE_INSENSITIVE);
  private static final Pattern SENTENCE_END = Pattern.compile("[.!?](?:\\s|$)");
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");

  private Refusals() {}

  /** {@code true} when {@code text} is a refusal and nothing more (see the class comment). */
  public static boolean refusalOnly(String text) {
    if (text == null || text.isBlank()) {
      return false;
    }
    String stripped = text.strip().replace('\u2019', '\'').replaceFirst("^[^\\p{L}]+", "");
    if (WHITESPACE.split(stripped).length > MAX_WORDS) {
      return false;
    }
    Matcher end = SENTENCE_END.matcher(stripped);
    String first = end.find() ? stripped.substring(0, end.end()) : stripped;
    return DECLINES.matcher(first).find();
  }
}
