package dev.refinery.filtering.signals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DocumentSignalsTest {
  @Test
  void columnNamesAreUniqueSnakeCaseAndPrefixedByFamily() {
    List<String> names = DocumentSignals.COLUMNS.stream().map(SignalColumn::name).toList();
    assertThat(new HashSet<>(names)).hasSameSizeAs(names);
    assertThat(names).allMatch(name -> name.matches("(gopher|c4|fineweb)_[a-z0-9]+(_[a-z0-9]+)*"));
    assertThat(DocumentSignals.COLUMNS).allMatch(column -> !column.description().isBlank());
    assertThat(names).contains("gopher_word_count", "gopher_mean_word_length", "gopher_dup_line_fraction",
        "gopher_top_2gram_char_fraction", "gopher_dup_5gram_char_fraction", "gopher_dup_10gram_char_fraction",
        "c4_lines_no_terminal_punct_fraction", "c4_has_lorem_ipsum", "fineweb_line_punct_ratio");
  }

  @Test
  void columnOrderIsStable() {
    assertThat(DocumentSignals.COLUMNS).hasSize(35);
    assertThat(DocumentSignals.COLUMNS.get(0).name()).isEqualTo("gopher_word_count");
    assertThat(DocumentSignals.COLUMNS.get(8).name()).isEqualTo("gopher_dup_para_fraction");
    assertThat(DocumentSignals.COLUMNS.get(21).name()).isEqualTo("c4_lines_no_terminal_punct_fraction");
    assertThat(DocumentSignals.COLUMNS.get(34).name()).isEqualTo("fineweb_list_ratio");
  }

  @Test
  void valuesAlignWithColumnsAndHaveTheirTypes() {
    for (String text : List.of("", "   \n\n \t ", "hello", "The cat sat.\n\nThe cat sat.\n", "naïve café 😀 日本語")) {
      Object[] values = DocumentSignals.compute(text);
      assertThat(values).hasSameSizeAs(DocumentSignals.COLUMNS.toArray());
      for (int i = 0; i < values.length; i++) {
        SignalColumn column = DocumentSignals.COLUMNS.get(i);
        Class<?> expected = switch (column.type()) {
          case INT -> Integer.class;
          case DOUBLE -> Double.class;
          case BOOLEAN -> Boolean.class;
        };
        assertThat(values[i]).as("%s of %s", column.name(), text).isInstanceOf(expected);
        if (values[i] instanceof Double value) {
          assertThat(value).as("%s of %s", column.name(), text).isFinite();
        }
      }
    }
  }

  @Test
  void emptyAndWhitespaceTextGiveZeroCountsAndRatios() {
    for (String text : List.of("", " \n\n\t ")) {
      Signals signals = Signals.of(text);
      assertThat(signals.count("gopher_word_count")).isZero();
      assertThat(signals.number("gopher_mean_word_length")).isZero();
      assertThat(signals.number("gopher_alpha_words_fraction")).isZero();
      assertThat(signals.number("gopher_dup_line_char_fraction")).isZero();
      assertThat(signals.number("gopher_top_2gram_char_fraction")).isZero();
      assertThat(signals.number("c4_mean_words_per_line")).isZero();
      assertThat(signals.count("c4_sentence_count")).isZero();
      assertThat(signals.flag("c4_has_lorem_ipsum")).isFalse();
      assertThat(signals.number("fineweb_list_ratio")).isZero();
      assertThat(signals.number("fineweb_line_punct_ratio")).isZero();
    }
    assertThat(Signals.of(null).count("gopher_word_count")).isZero();
  }

  @Test
  void oneWord() {
    Signals signals = Signals.of("hello");
    assertThat(signals.count("gopher_word_count")).isEqualTo(1);
    assertThat(signals.number("gopher_mean_word_length")).isEqualTo(5.0);
    assertThat(signals.number("gopher_top_2gram_char_fraction")).isZero();
    assertThat(signals.number("gopher_dup_5gram_char_fraction")).isZero();
    assertThat(signals.count("c4_max_word_length")).isEqualTo(5);
    assertThat(signals.number("fineweb_short_line_ratio")).isEqualTo(1.0);
  }

  @Test
  void lengthsCountCodePointsNotUtf16Units() {
    // U+1D4B3 and U+1D4B4 are letters outside the BMP: two code points, four chars.
    Signals signals = Signals.of("\uD835\uDCB3\uD835\uDCB4 ab");
    assertThat(signals.count("gopher_word_count")).isEqualTo(2);
    assertThat(signals.number("gopher_mean_word_length")).isEqualTo(2.0);
    assertThat(signals.number("gopher_alpha_words_fraction")).isEqualTo(1.0);
    assertThat(signals.count("c4_max_word_length")).isEqualTo(2);
    // Top 2-gram is the whole text: 5 code points of 5.
    assertThat(signals.number("gopher_top_2gram_char_fraction")).isEqualTo(1.0);
  }

  @Test
  void emojiWordsAreSymbolsAndNonBreakingSpacesSeparateWords() {
    Signals signals = Signals.of("😀 naïve\u00A0café");
    assertThat(signals.count("gopher_word_count")).isEqualTo(2);
    assertThat(signals.number("gopher_alpha_words_fraction")).isEqualTo(2.0 / 3);
  }

  @Test
  void rejectsColumnNamesOutsideTheConvention() {
    assertThatThrownBy(() -> new SignalColumn("GopherWords", SignalType.INT, "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot define signal column GopherWords: name must be snake_case with a gopher_, c4_ or"
            + " fineweb_ prefix");
  }

  @Test
  void isSafeToCallFromManyThreads() throws Exception {
    String text = "The cat and the dog.\nThe cat and the dog.\nA third line of text here.";
    List<Object> expected = List.of(DocumentSignals.compute(text));
    Set<List<Object>> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
    Thread[] threads = new Thread[4];
    for (int t = 0; t < threads.length; t++) {
      threads[t] = new Thread(() -> {
        for (int i = 0; i < 200; i++) {
          seen.add(List.of(DocumentSignals.compute(text)));
        }
      });
      threads[t].start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    assertThat(seen).containsExactly(expected);
  }
}
