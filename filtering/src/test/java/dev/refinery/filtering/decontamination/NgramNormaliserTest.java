package dev.refinery.filtering.decontamination;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class NgramNormaliserTest {
  @Test
  void foldsCasePunctuationWhitespaceAndUnicodeForms() {
    List<String> plain = NgramNormaliser.tokens("you can track the location of her phone in a number of ways");
    assertThat(NgramNormaliser.tokens("You CAN track, the location of her phone... in a NUMBER of ways!"))
        .isEqualTo(plain);
    assertThat(NgramNormaliser.tokens("  you\tcan\n\ntrack the\u00a0location of  her phone in a number of ways "))
        .isEqualTo(plain);
    // Full-width letters (NFKC) and a ligature.
    assertThat(NgramNormaliser.tokens("\uff39\uff4f\uff55 can track the location of her phone in a number of ways"))
        .isEqualTo(plain);
    assertThat(NgramNormaliser.tokens("\ufb01ne")).containsExactly("fine");
  }

  @Test
  void punctuationSeparatesTokensWhateverTheSpacing() {
    assertThat(NgramNormaliser.tokens("don't")).containsExactly("don", "t");
    assertThat(NgramNormaliser.tokens("don\u2019t")).containsExactly("don", "t");
    assertThat(NgramNormaliser.tokens("don ' t")).containsExactly("don", "t");
    assertThat(NgramNormaliser.tokens("state-of-the-art")).isEqualTo(NgramNormaliser.tokens("state - of - the - art"));
    assertThat(NgramNormaliser.tokens("end.Start")).containsExactly("end", "start");
    // Symbols are not punctuation: kept.
    assertThat(NgramNormaliser.tokens("costs $5 + tax")).containsExactly("costs", "$5", "+", "tax");
    assertThat(NgramNormaliser.tokens(null)).isEmpty();
    assertThat(NgramNormaliser.tokens(" ,.;! ")).isEmpty();
  }

  @Test
  void ngramsAreConsecutiveTokensJoinedByOneSpace() {
    List<String> tokens = List.of("a", "b", "c", "d");
    assertThat(NgramNormaliser.ngrams(tokens, 3)).containsExactly("a b c", "b c d");
    assertThat(NgramNormaliser.ngrams(tokens, 4)).containsExactly("a b c d");
    assertThat(NgramNormaliser.ngrams(tokens, 5)).isEmpty();
  }

  @Test
  void hashIsStableAndSpreads() {
    assertThat(NgramNormaliser.hash("a b c")).isEqualTo(NgramNormaliser.hash("a b c"));
    assertThat(NgramNormaliser.hash("a b c")).isNotEqualTo(NgramNormaliser.hash("a b d"));
    assertThat(NgramNormaliser.hash("")).isNotZero();
  }
}
