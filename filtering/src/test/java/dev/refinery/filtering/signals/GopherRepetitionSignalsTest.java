package dev.refinery.filtering.signals;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GopherRepetitionSignalsTest {
  @Test
  void twoOfFourLinesDuplicated() {
    // 21 characters; the second "alpha" (5) and "beta" (4) repeat.
    Signals signals = Signals.of("alpha\nbeta\nalpha\nbeta");
    assertThat(signals.number("gopher_dup_line_fraction")).isEqualTo(0.5);
    assertThat(signals.number("gopher_dup_line_char_fraction")).isEqualTo(9.0 / 21);
    assertThat(signals.number("gopher_dup_para_fraction")).isZero();
  }

  @Test
  void runsOfNewlinesSeparateOneLine() {
    Signals signals = Signals.of("alpha\n\n\nalpha");
    assertThat(signals.number("gopher_dup_line_fraction")).isEqualTo(0.5);
    assertThat(signals.number("gopher_dup_line_char_fraction")).isEqualTo(5.0 / 13);
  }

  @Test
  void paragraphsSplitOnTwoOrMoreNewlines() {
    // 23 characters; paragraphs "one two", "three", "one two".
    Signals signals = Signals.of("one two\n\nthree\n\none two");
    assertThat(signals.number("gopher_dup_para_fraction")).isEqualTo(1.0 / 3);
    assertThat(signals.number("gopher_dup_para_char_fraction")).isEqualTo(7.0 / 23);
  }

  @Test
  void topNgramIsTheFirstMostFrequentTimesItsCount() {
    // 2-grams "a b", "b a", "a b", "b a": tie at 2, "a b" seen first: 3 characters x 2 of 9.
    Signals signals = Signals.of("a b a b a");
    assertThat(signals.number("gopher_top_2gram_char_fraction")).isEqualTo(6.0 / 9);
    // 3-grams "a b a" x2 and "b a b" x1: 5 x 2 of 9.
    assertThat(signals.number("gopher_top_3gram_char_fraction")).isEqualTo(10.0 / 9);
    // Ties go to the first even when a later one is longer.
    assertThat(Signals.of("x y longer words").number("gopher_top_2gram_char_fraction")).isEqualTo(3.0 / 16);
  }

  @Test
  void duplicateNgramsCountTheirWordsCharactersOnce() {
    // Words 5..9 repeat words 0..4: 5 characters (no spaces) of 19.
    Signals signals = Signals.of("x y z u v x y z u v");
    assertThat(signals.number("gopher_dup_5gram_char_fraction")).isEqualTo(5.0 / 19);
    assertThat(signals.number("gopher_dup_6gram_char_fraction")).isZero();
    // Twelve "a" (23 characters): the 5-gram at 1 repeats (skip to 6), the one at 6 too (skip to 11,
    // past the last start): 10 characters, where counting every repeated 5-gram would give 7 x 5.
    Signals same = Signals.of("a a a a a a a a a a a a");
    assertThat(same.number("gopher_dup_5gram_char_fraction")).isEqualTo(10.0 / 23);
    assertThat(same.number("gopher_dup_9gram_char_fraction")).isEqualTo(9.0 / 23);
    assertThat(same.number("gopher_dup_10gram_char_fraction")).isEqualTo(10.0 / 23);
  }
}
