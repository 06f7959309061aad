package dev.refinery.synthesis.quality;

import dev.refinery.core.text.TextNormalizer;

/**
 * Whether a text read out of a model's answer was cut off by the token budget: the call ended with finish
 * reason {@code length} ({@link #LENGTH}: the budget ran out) and the text runs to the end of the answer.
 * Text that a parser cut at a marker before the end (a revision followed by "Human:", an item of a numbered
 * list followed by more items) was finished before the budget ran out and is not truncated.
 */
public final class Truncation {
  /** The finish reason of a call whose token budget ran out (OpenAI's, llama.cpp's and LlamaCppClient's). */
  public static final String LENGTH = "length";

  /** How much of the text's end must be found at the answer's end (parsers collapse space and change case). */
  private static final int TAIL_CHARS = 24;

  private Truncation() {}

  /**
   * {@code true} when {@code text}, read out of {@code answer}, ends where the answer ends and the call's
   * {@code finishReason} is {@code length}. Blank text is never truncated (the parsers drop it as empty).
   */
  public static boolean cutOff(String answer, String text, String finishReason) {
    if (!LENGTH.equals(finishReason) || text == null || text.isBlank() || answer == null) {
      return false;
    }
    String whole = TextNormalizer.basic(answer);
    String kept = TextNormalizer.basic(text);
    String tail = kept.substring(Math.max(0, kept.length() - TAIL_CHARS));
    return whole.endsWith(tail);
  }
}
