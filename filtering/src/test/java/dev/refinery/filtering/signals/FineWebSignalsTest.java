package dev.refinery.filtering.signals;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FineWebSignalsTest {
  // Lines of 12, 5, 12, 0 and 55 characters; 4 newlines; 15 words.
  private static final String TEXT =
      "Hello there.\nshort\nHello there.\n\nA much longer line that has more than thirty characters";

  @Test
  void lineRatiosCountEveryLineIncludingEmptyOnes() {
    Signals signals = Signals.of(TEXT);
    assertThat(signals.number("fineweb_line_punct_ratio")).isEqualTo(2.0 / 5);
    assertThat(signals.number("fineweb_short_line_ratio")).isEqualTo(4.0 / 5);
  }

  @Test
  void shortMeansAtMostThirtyCharacters() {
    String thirty = "x".repeat(30);
    String thirtyOne = "x".repeat(31);
    assertThat(Signals.of(thirty + "\n" + thirtyOne).number("fineweb_short_line_ratio")).isEqualTo(0.5);
  }

  @Test
  void linePunctuationIsCheckedWithoutStripping() {
    assertThat(Signals.of("Done. \nDone!\n'quoted'").number("fineweb_line_punct_ratio")).isEqualTo(2.0 / 3);
  }

  @Test
  void duplicateCharactersDivideByCharactersOtherThanNewlines() {
    assertThat(Signals.of(TEXT).number("fineweb_char_dup_ratio")).isEqualTo(12.0 / 84);
  }

  @Test
  void listRatioIsNewlinesPerWord() {
    assertThat(Signals.of(TEXT).number("fineweb_list_ratio")).isEqualTo(4.0 / 15);
  }
}
