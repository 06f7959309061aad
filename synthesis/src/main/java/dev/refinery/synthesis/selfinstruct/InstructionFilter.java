package dev.refinery.synthesis.selfinstruct;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Self-Instruct's heuristic filters on a generated instruction, in the published order; each returns the
 * reason a candidate is dropped (ROUGE-L against the pool is checked afterwards, by {@link SimilarityIndex}).
 */
public final class InstructionFilter {
  /** Words that point at inputs or outputs a language model cannot handle (whole words, any case). */
  static final List<String> BLACKLIST = List.of(
      "image", "images", "graph", "graphs", "picture", "pictures", "file", "files", "map", "maps", "draw", "plot",
      "go to");
  private static final Pattern BLACKLISTED = Pattern.compile(
      "\\b(" + String.join("|", BLACKLIST) + ")\\b", Pattern.CASE_INSENSITIVE);
  private static final String PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

  private final int minWords;
  private final int maxWords;

  /** Kept: more than {@code minWords} and at most {@code maxWords} words (the paper: 3 and 150). */
  public InstructionFilter(int minWords, int maxWords) {
    this.minWords = minWords;
    this.maxWords = maxWords;
  }

  public Optional<String> reject(String instruction) {
    int words = instruction.isBlank() ? 0 : instruction.trim().split("\\s+").length;
    if (words <= minWords) {
      return Optional.of("too_short");
    }
    if (words > maxWords) {
      return Optional.of("too_long");
    }
    if (BLACKLISTED.matcher(instruction).find()) {
      return Optional.of("blacklisted_keyword");
    }
    if (instruction.startsWith("Write a program")) {
      return Optional.of("write_a_program");
    }
    char first = instruction.charAt(0);
    if (PUNCTUATION.indexOf(first) >= 0) {
      return Optional.of("starts_with_punctuation");
    }
    if (first > 127) {
      return Optional.of("starts_with_non_ascii");
    }
    return Optional.empty();
  }

  /** Python's {@code str.capitalize()}: first character upper case, the rest lower case. */
  static String capitalize(String text) {
    if (text.isEmpty()) {
      return text;
    }
    int first = text.codePointAt(0);
    int width = Character.charCount(first);
    return new String(Character.toChars(Character.toTitleCase(first)))
        + text.substring(width).toLowerCase(Locale.ROOT);
  }
}
