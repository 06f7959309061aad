package dev.refinery.filtering.signals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class QualityPresetsTest {
  // Every predicate is one of these two shapes: plain Spark SQL with no functions.
  private static final Pattern COMPARISON = Pattern.compile("([a-z0-9_]+) (>=|<=|>|<) ([0-9]+(\\.[0-9]+)?)");
  private static final Pattern NEGATION = Pattern.compile("NOT ([a-z0-9_]+)");

  @Test
  void pinsTheRulesAndThresholds() {
    assertThat(QualityPresets.rules("gopher")).containsExactly(
        Map.entry("gopher_min_words", "gopher_word_count >= 50"),
        Map.entry("gopher_max_words", "gopher_word_count <= 100000"),
        Map.entry("gopher_min_mean_word_length", "gopher_mean_word_length >= 3"),
        Map.entry("gopher_max_mean_word_length", "gopher_mean_word_length <= 10"),
        Map.entry("gopher_max_hash_word_ratio", "gopher_hash_word_ratio <= 0.1"),
        Map.entry("gopher_max_ellipsis_word_ratio", "gopher_ellipsis_word_ratio <= 0.1"),
        Map.entry("gopher_max_bullet_lines", "gopher_bullet_lines_fraction <= 0.9"),
        Map.entry("gopher_max_ellipsis_lines", "gopher_ellipsis_lines_fraction <= 0.3"),
        Map.entry("gopher_min_alpha_words", "gopher_alpha_words_fraction >= 0.8"),
        Map.entry("gopher_min_stop_words", "gopher_stop_word_count >= 2"),
        Map.entry("gopher_max_dup_para", "gopher_dup_para_fraction <= 0.3"),
        Map.entry("gopher_max_dup_para_chars", "gopher_dup_para_char_fraction <= 0.2"),
        Map.entry("gopher_max_dup_line", "gopher_dup_line_fraction <= 0.3"),
        Map.entry("gopher_max_dup_line_chars", "gopher_dup_line_char_fraction <= 0.2"),
        Map.entry("gopher_max_top_2gram", "gopher_top_2gram_char_fraction <= 0.2"),
        Map.entry("gopher_max_top_3gram", "gopher_top_3gram_char_fraction <= 0.18"),
        Map.entry("gopher_max_top_4gram", "gopher_top_4gram_char_fraction <= 0.16"),
        Map.entry("gopher_max_dup_5gram", "gopher_dup_5gram_char_fraction <= 0.15"),
        Map.entry("gopher_max_dup_6gram", "gopher_dup_6gram_char_fraction <= 0.14"),
        Map.entry("gopher_max_dup_7gram", "gopher_dup_7gram_char_fraction <= 0.13"),
        Map.entry("gopher_max_dup_8gram", "gopher_dup_8gram_char_fraction <= 0.12"),
        Map.entry("gopher_max_dup_9gram", "gopher_dup_9gram_char_fraction <= 0.11"),
        Map.entry("gopher_max_dup_10gram", "gopher_dup_10gram_char_fraction <= 0.1"));
    assertThat(QualityPresets.rules("c4")).containsExactly(
        Map.entry("c4_lorem_ipsum", "NOT c4_has_lorem_ipsum"),
        Map.entry("c4_curly_bracket", "NOT c4_has_curly_bracket"),
        Map.entry("c4_min_sentences", "c4_sentence_count >= 5"));
    assertThat(QualityPresets.rules("fineweb")).containsExactly(
        Map.entry("fineweb_line_punct", "fineweb_line_punct_ratio >= 0.12"),
        Map.entry("fineweb_short_lines", "fineweb_short_line_ratio <= 0.67"),
        Map.entry("fineweb_char_dup", "fineweb_char_dup_ratio <= 0.01"),
        Map.entry("fineweb_list_ratio", "fineweb_list_ratio <= 0.3"));
  }

  @Test
  void predicatesUseKnownColumnsOfTheRightType() {
    for (String preset : List.of("gopher", "c4", "fineweb")) {
      QualityPresets.rules(preset).forEach((rule, predicate) -> {
        assertThat(rule).startsWith(preset + "_");
        Matcher comparison = COMPARISON.matcher(predicate);
        Matcher negation = NEGATION.matcher(predicate);
        if (comparison.matches()) {
          assertThat(column(comparison.group(1)).type()).isNotEqualTo(SignalType.BOOLEAN);
        } else {
          assertThat(negation.matches()).as(predicate).isTrue();
          assertThat(column(negation.group(1)).type()).isEqualTo(SignalType.BOOLEAN);
        }
      });
    }
  }

  @Test
  void rulesAreReadOnly() {
    assertThatThrownBy(() -> QualityPresets.rules("c4").put("c4_x", "TRUE"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void rejectsUnknownPreset() {
    assertThatThrownBy(() -> QualityPresets.rules("dolma"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot find quality preset dolma: known presets are c4, fineweb, gopher");
  }

  @Test
  void realCleanProsePassesEveryRule() throws IOException {
    String prose = RealDocuments.cleanProse();
    assertThat(failedRules("gopher", prose)).isEmpty();
    assertThat(failedRules("fineweb", prose)).isEmpty();
    assertThat(failedRules("c4", prose)).isEmpty();
  }

  @Test
  void repeatedBoilerplateFailsRepetitionAndLineRules() {
    // Each 2-gram is 10 x at most 10 characters of 690: under the 0.2 top 2-gram limit; longer n-grams fail.
    String boilerplate = "Click here to subscribe to our newsletter and get the latest deals.\n".repeat(10);
    assertThat(failedRules("gopher", boilerplate))
        .contains("gopher_max_dup_line", "gopher_max_dup_line_chars", "gopher_max_top_3gram",
            "gopher_max_dup_5gram", "gopher_max_dup_10gram");
    assertThat(failedRules("fineweb", boilerplate)).containsExactly("fineweb_char_dup");
  }

  @Test
  void navigationMenuFailsShortLinesAndPunctuation() {
    String menu = "Home\nAbout us\nProducts\nContact\nLogin\nRegister\nCart\nHelp";
    assertThat(failedRules("fineweb", menu))
        .containsExactly("fineweb_line_punct", "fineweb_short_lines", "fineweb_list_ratio");
    assertThat(failedRules("gopher", menu)).contains("gopher_min_words", "gopher_min_stop_words");
  }

  @Test
  void hashtagsFailTheSymbolRatio() throws IOException {
    String tagged = RealDocuments.cleanProse() + " #travel #food #life #love #photo".repeat(20);
    assertThat(failedRules("gopher", tagged)).contains("gopher_max_hash_word_ratio");
    assertThat(failedRules("gopher", RealDocuments.cleanProse())).doesNotContain("gopher_max_hash_word_ratio");
  }

  @Test
  void loremIpsumAndCodeFailC4() throws IOException {
    assertThat(failedRules("c4", RealDocuments.cleanProse() + "\nLorem ipsum dolor sit amet."))
        .containsExactly("c4_lorem_ipsum");
    assertThat(failedRules("c4", RealDocuments.cleanProse() + "\nfunction f() { return 1; }"))
        .containsExactly("c4_curly_bracket");
    assertThat(failedRules("c4", "Too short.")).containsExactly("c4_min_sentences");
  }

  /** Names of the rules of {@code preset} that {@code text} fails, evaluated as Spark would. */
  private static List<String> failedRules(String preset, String text) {
    Signals signals = Signals.of(text);
    List<String> failed = new ArrayList<>();
    QualityPresets.rules(preset).forEach((rule, predicate) -> {
      if (!passes(predicate, signals)) {
        failed.add(rule);
      }
    });
    return failed;
  }

  private static boolean passes(String predicate, Signals signals) {
    Matcher negation = NEGATION.matcher(predicate);
    if (negation.matches()) {
      return !signals.flag(negation.group(1));
    }
    Matcher comparison = COMPARISON.matcher(predicate);
    assertThat(comparison.matches()).as(predicate).isTrue();
    double value = signals.number(comparison.group(1));
    double threshold = Double.parseDouble(comparison.group(3));
    return switch (comparison.group(2)) {
      case ">=" -> value >= threshold;
      case "<=" -> value <= threshold;
      case ">" -> value > threshold;
      default -> value < threshold;
    };
  }

  private static SignalColumn column(String name) {
    return DocumentSignals.COLUMNS.stream().filter(column -> column.name().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("Unknown column " + name));
  }
}
