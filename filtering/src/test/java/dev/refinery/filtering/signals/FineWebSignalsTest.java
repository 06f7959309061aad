package dev.refinery.filtering.signals;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FineWebSignalsTest {
  // Lines of 12, 5, 12, 0 and 55 characters (4 non-blank); 4 newlines; 15 words.
  private static final String TEXT =
      "Hello there.\nshort\nHello there.\n\nA much longer line that has more than thirty characters";

  @Test
  void lineRatiosLeaveBlankLinesOut() {
    Signals signals = Signals.of(TEXT);
    assertThat(signals.number("fineweb_line_punct_ratio")).isEqualTo(2.0 / 4);
    assertThat(signals.number("fineweb_short_line_ratio")).isEqualTo(3.0 / 4);
    Signals blank = Signals.of("Done.\n   \n\t\nshort");
    assertThat(blank.number("fineweb_line_punct_ratio")).isEqualTo(0.5);
    assertThat(blank.number("fineweb_short_line_ratio")).isEqualTo(1.0);
  }

  @Test
  void textWithoutANonBlankLineHasNoPunctuatedLineAndOnlyShortOnes() {
    Signals empty = Signals.of(" \n\n ");
    assertThat(empty.number("fineweb_line_punct_ratio")).isZero();
    assertThat(empty.number("fineweb_short_line_ratio")).isEqualTo(1.0);
  }

  @Test
  void shortMeansAtMostThirtyCharacters() {
    String thirty = "x".repeat(30);
    String thirtyOne = "x".repeat(31);
    assertThat(Signals.of(thirty + "\n" + thirtyOne).number("fineweb_short_line_ratio")).isEqualTo(0.5);
  }

  @Test
  void linePunctuationIsCheckedWithoutStripping() {
    assertThat(Signals.of("Done. \nDone!\nDone?").number("fineweb_line_punct_ratio")).isEqualTo(2.0 / 3);
  }

  @Test
  void closingQuotesAreNotTerminalPunctuationButOtherScriptsStopsAre() {
    // As datatrove 0.10.1: its TERMINAL_PUNCTUATION has no quote marks, and holds CJK, Devanagari, Arabic and
    // supplementary-plane sentence terminators.
    assertThat(Signals.of("He said \"no.\"\n'quoted'\nplain").number("fineweb_line_punct_ratio")).isZero();
    assertThat(Signals.of("\u6587\u3002\n\u0939\u0964\n\u0645\u061f\nx\uD804\uDC47")
        .number("fineweb_line_punct_ratio")).isEqualTo(1.0);
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
