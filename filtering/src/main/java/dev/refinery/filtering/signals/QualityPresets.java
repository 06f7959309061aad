package dev.refinery.filtering.signals;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Published default thresholds over {@link DocumentSignals#COLUMNS}, as ordered maps from rule name to a
 * Spark SQL predicate that is TRUE when the document passes (is kept). Each predicate is one comparison of
 * a column with a literal, or {@code NOT} a boolean column, so a failing document can be given the name of
 * the first rule it fails as its drop reason.
 *
 * <p>Thresholds are datatrove's defaults, which follow the papers: {@code GopherQualityFilter} and
 * {@code GopherRepetitionFilter} (Rae et al. 2021, table A1), {@code FineWebQualityFilter}, and
 * {@code C4QualityFilter}. Comparisons keep datatrove 0.10.1's strictness: Gopher drops above a maximum and
 * below a minimum, FineWeb drops a line-punctuation ratio below 0.12 and short lines, duplicate characters and
 * list ratio above their thresholds, so a document exactly at a threshold is kept.
 */
public final class QualityPresets {
  // Mutable maps stay private; callers get unmodifiable views from rules().
  private static final Map<String, LinkedHashMap<String, String>> PRESETS = Map.of(
      "gopher", gopher(),
      "c4", c4(),
      "fineweb", fineweb());

  private QualityPresets() {}

  /** The rules of {@code preset} in evaluation order; unmodifiable. */
  public static Map<String, String> rules(String preset) {
    LinkedHashMap<String, String> rules = PRESETS.get(preset);
    if (rules == null) {
      throw new IllegalArgumentException(
          "Cannot find quality preset " + preset + ": known presets are c4, fineweb, gopher");
    }
    return Collections.unmodifiableMap(rules);
  }

  private static LinkedHashMap<String, String> gopher() {
    LinkedHashMap<String, String> rules = new LinkedHashMap<>();
    rules.put("gopher_min_words", "gopher_word_count >= 50");
    rules.put("gopher_max_words", "gopher_word_count <= 100000");
    rules.put("gopher_min_mean_word_length", "gopher_mean_word_length >= 3");
    rules.put("gopher_max_mean_word_length", "gopher_mean_word_length <= 10");
    rules.put("gopher_max_hash_word_ratio", "gopher_hash_word_ratio <= 0.1");
    rules.put("gopher_max_ellipsis_word_ratio", "gopher_ellipsis_word_ratio <= 0.1");
    rules.put("gopher_max_bullet_lines", "gopher_bullet_lines_fraction <= 0.9");
    rules.put("gopher_max_ellipsis_lines", "gopher_ellipsis_lines_fraction <= 0.3");
    rules.put("gopher_min_alpha_words", "gopher_alpha_words_fraction >= 0.8");
    rules.put("gopher_min_stop_words", "gopher_stop_word_count >= 2");
    rules.put("gopher_max_dup_para", "gopher_dup_para_fraction <= 0.3");
    rules.put("gopher_max_dup_para_chars", "gopher_dup_para_char_fraction <= 0.2");
    rules.put("gopher_max_dup_line", "gopher_dup_line_fraction <= 0.3");
    rules.put("gopher_max_dup_line_chars", "gopher_dup_line_char_fraction <= 0.2");
    rules.put("gopher_max_top_2gram", "gopher_top_2gram_char_fraction <= 0.2");
    rules.put("gopher_max_top_3gram", "gopher_top_3gram_char_fraction <= 0.18");
    rules.put("gopher_max_top_4gram", "gopher_top_4gram_char_fraction <= 0.16");
    rules.put("gopher_max_dup_5gram", "gopher_dup_5gram_char_fraction <= 0.15");
    rules.put("gopher_max_dup_6gram", "gopher_dup_6gram_char_fraction <= 0.14");
    rules.put("gopher_max_dup_7gram", "gopher_dup_7gram_char_fraction <= 0.13");
    rules.put("gopher_max_dup_8gram", "gopher_dup_8gram_char_fraction <= 0.12");
    rules.put("gopher_max_dup_9gram", "gopher_dup_9gram_char_fraction <= 0.11");
    rules.put("gopher_max_dup_10gram", "gopher_dup_10gram_char_fraction <= 0.1");
    return rules;
  }

  /**
   * C4 drops whole documents only for lorem ipsum, a curly bracket and too few sentences. Its other rules
   * (terminal punctuation, at least 3 words, javascript, policy phrases, words over 1000 characters) remove
   * lines; signals never rewrite text, so those rules act here through c4_sentence_count, which counts
   * only sentences in lines that survive them: a page left with under 5 sentences drops, as in C4.
   */
  private static LinkedHashMap<String, String> c4() {
    LinkedHashMap<String, String> rules = new LinkedHashMap<>();
    rules.put("c4_lorem_ipsum", "NOT c4_has_lorem_ipsum");
    rules.put("c4_curly_bracket", "NOT c4_has_curly_bracket");
    rules.put("c4_min_sentences", "c4_sentence_count >= 5");
    return rules;
  }

  private static LinkedHashMap<String, String> fineweb() {
    LinkedHashMap<String, String> rules = new LinkedHashMap<>();
    rules.put("fineweb_line_punct", "fineweb_line_punct_ratio >= 0.12");
    rules.put("fineweb_short_lines", "fineweb_short_line_ratio <= 0.67");
    rules.put("fineweb_char_dup", "fineweb_char_dup_ratio <= 0.01");
    rules.put("fineweb_list_ratio", "fineweb_list_ratio <= 0.3");
    return rules;
  }
}
