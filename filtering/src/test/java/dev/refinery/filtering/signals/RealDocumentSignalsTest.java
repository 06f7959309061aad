package dev.refinery.filtering.signals;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * Signals of a real page, pinned to what a line-by-line Python transcription of datatrove's Gopher
 * repetition, Gopher quality and FineWeb functions gives on the same text when its tokenizer is replaced
 * by {@code str.split()}: that port and this code agreed exactly on all 25 Gopher and FineWeb signals of
 * 60 sample pages (30 from olmo-c4, 30 from dclm-human-quality); since then the stop-word count and FineWeb's line
 * ratios follow the datatrove 0.10.1 package (distinct stop words, blank lines left out), which
 * benchmarks/filtering/parity runs. C4 was not ported; its one value here is
 * 515 words over 4 lines.
 */
class RealDocumentSignalsTest {
  @Test
  void matchesDatatroveDefinitionsOnRealProse() throws IOException {
    Signals signals = Signals.of(RealDocuments.cleanProse());
    assertThat(signals.count("gopher_word_count")).isEqualTo(514);
    assertThat(signals.number("gopher_mean_word_length")).isEqualTo(4.88715953307393);
    assertThat(signals.number("gopher_alpha_words_fraction")).isEqualTo(0.9689320388349515);
    // 88 stop-word occurrences, 6 distinct ones (and, have, of, the, to, with): datatrove 0.10.1 counts distinct.
    assertThat(signals.count("gopher_stop_word_count")).isEqualTo(6);
    assertThat(signals.number("gopher_top_2gram_char_fraction")).isEqualTo(0.011892963330029732);
    assertThat(signals.number("gopher_top_4gram_char_fraction")).isEqualTo(0.013875123885034688);
    assertThat(signals.number("gopher_dup_5gram_char_fraction")).isEqualTo(0.008589362405021473);
    assertThat(signals.number("gopher_dup_7gram_char_fraction")).isEqualTo(0.011892963330029732);
    assertThat(signals.number("gopher_dup_8gram_char_fraction")).isZero();
    assertThat(signals.number("fineweb_line_punct_ratio")).isEqualTo(1.0);
    assertThat(signals.number("fineweb_list_ratio")).isEqualTo(3.0 / 515);
    assertThat(signals.number("c4_mean_words_per_line")).isEqualTo(128.75);
  }
}
