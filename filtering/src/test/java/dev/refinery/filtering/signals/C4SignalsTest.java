package dev.refinery.filtering.signals;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class C4SignalsTest {
  private static final String TEXT = String.join("\n",
      "Hello world this is fine. Second sentence here!",
      "click here",
      "Enable JavaScript to view this page.",
      "Read our privacy policy today.",
      "A cited line of text.[1]",
      "",
      "Ends with dots here...");

  @Test
  void lineSignalsAreOverNonBlankLines() {
    Signals signals = Signals.of(TEXT);
    // "click here" and the ellipsis line; the citation is removed before the check.
    assertThat(signals.number("c4_lines_no_terminal_punct_fraction")).isEqualTo(2.0 / 6);
    assertThat(signals.count("c4_javascript_line_count")).isEqualTo(1);
    assertThat(signals.number("c4_javascript_lines_fraction")).isEqualTo(1.0 / 6);
    assertThat(signals.count("c4_policy_line_count")).isEqualTo(1);
    // 8 + 2 + 6 + 5 + 5 + 4 words.
    assertThat(signals.number("c4_mean_words_per_line")).isEqualTo(5.0);
    assertThat(signals.number("c4_lines_under_3_words_fraction")).isEqualTo(1.0 / 6);
    assertThat(signals.count("c4_max_word_length")).isEqualTo(10);
  }

  @Test
  void sentencesAreCountedOnlyInLinesC4Keeps() {
    // Two in the first line, one in the cited line; the javascript and policy lines drop.
    assertThat(Signals.of(TEXT).count("c4_sentence_count")).isEqualTo(3);
    assertThat(Signals.of("He said \"we are done\"").count("c4_sentence_count")).isEqualTo(1);
    String longWord = "x".repeat(1001);
    assertThat(Signals.of("A line with " + longWord + " in it.").count("c4_sentence_count")).isZero();
  }

  @Test
  void documentFlags() {
    Signals clean = Signals.of(TEXT);
    assertThat(clean.flag("c4_has_lorem_ipsum")).isFalse();
    assertThat(clean.flag("c4_has_curly_bracket")).isFalse();
    Signals flagged = Signals.of("Some text.\nLorem Ipsum dolor sit amet, {x}");
    assertThat(flagged.flag("c4_has_lorem_ipsum")).isTrue();
    assertThat(flagged.flag("c4_has_curly_bracket")).isTrue();
  }
}
