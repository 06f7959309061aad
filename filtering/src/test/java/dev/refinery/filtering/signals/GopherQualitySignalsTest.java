package dev.refinery.filtering.signals;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GopherQualitySignalsTest {
  // Words: The cat and the dog... • item one # 42 !! (11); symbol words: • # !! (3).
  private static final String TEXT = "The cat and the dog...\n• item one\n# 42 !!";

  @Test
  void wordCountAndMeanLengthSkipSymbolWords() {
    Signals signals = Signals.of(TEXT);
    assertThat(signals.count("gopher_word_count")).isEqualTo(8);
    // The 3, cat 3, and 3, the 3, dog... 6, item 4, one 3, 42 2.
    assertThat(signals.number("gopher_mean_word_length")).isEqualTo(27.0 / 8);
  }

  @Test
  void symbolRatiosDivideByAllWords() {
    Signals signals = Signals.of(TEXT);
    assertThat(signals.number("gopher_hash_word_ratio")).isEqualTo(1.0 / 11);
    assertThat(signals.number("gopher_ellipsis_word_ratio")).isEqualTo(1.0 / 11);
    assertThat(Signals.of("wait… what... really").number("gopher_ellipsis_word_ratio")).isEqualTo(2.0 / 3);
  }

  @Test
  void bulletAndEllipsisLines() {
    Signals signals = Signals.of(TEXT);
    assertThat(signals.number("gopher_bullet_lines_fraction")).isEqualTo(1.0 / 3);
    assertThat(signals.number("gopher_ellipsis_lines_fraction")).isEqualTo(1.0 / 3);
    Signals dashes = Signals.of("  - one\n- two\r\nthree…  \n");
    assertThat(dashes.number("gopher_bullet_lines_fraction")).isEqualTo(2.0 / 3);
    assertThat(dashes.number("gopher_ellipsis_lines_fraction")).isEqualTo(1.0 / 3);
  }

  @Test
  void alphabeticWordsAndStopWords() {
    Signals signals = Signals.of(TEXT);
    // The cat and the dog... item one.
    assertThat(signals.number("gopher_alpha_words_fraction")).isEqualTo(7.0 / 11);
    // "and" and "the"; "The" does not count, as in datatrove.
    assertThat(signals.count("gopher_stop_word_count")).isEqualTo(2);
    assertThat(Signals.of("(the) of, with. Have").count("gopher_stop_word_count")).isEqualTo(3);
    // Each stop word counts once, as datatrove 0.10.1's set intersection counts it.
    assertThat(Signals.of("the the the of of cat").count("gopher_stop_word_count")).isEqualTo(2);
  }
}
