package dev.refinery.filtering.perplexity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refinery.core.text.LmTokenizer;
import org.junit.jupiter.api.Test;

/** Defined results for the inputs that break naive scorers (no Spark: the model is KenLM's test.arpa). */
class BadInputTest {
  private final NgramModel model = LanguageModels.get(TestModels.resource("test.arpa"));

  @Test
  void emptyAndWhitespaceOnlyDocumentsHaveNoTokensAndNoPerplexity() {
    for (String text : new String[] {null, "", " ", "\n\n", " \t\r\n \u00a0 \u2003"}) {
      NgramModel.SentenceScore score = PerplexityStage.scoreText(model, text);
      assertThat(score.tokens()).isZero();
      assertThat(score.log10Prob()).isZero();
      assertThat(score.perplexity()).isNaN();
    }
  }

  @Test
  void symbolsOnlyAreTokensAndGetAFinitePerplexity() {
    NgramModel.SentenceScore score = PerplexityStage.scoreText(model, "!!! ??? *** ... ,,,");
    assertThat(score.tokens()).isEqualTo(15 + 1);
    assertThat(score.perplexity()).isFinite().isPositive();
  }

  @Test
  void oovOnlyDocumentsScoreEveryWordAsUnk() {
    NgramModel.SentenceScore score = PerplexityStage.scoreText(model, "qqq zzz xxx\nwww");
    assertThat(score.oov()).isEqualTo(4);
    assertThat(score.tokens()).isEqualTo(4 + 2);
    assertThat(score.perplexity()).isFinite().isGreaterThan(PerplexityStage.scoreText(model, "a little more loin").perplexity());
  }

  @Test
  void veryLongDocumentsAreScoredInFull() {
    String line = "looking on a little more loin . ";
    NgramModel.SentenceScore one = PerplexityStage.scoreText(model, line);
    NgramModel.SentenceScore many = PerplexityStage.scoreText(model, (line + "\n").repeat(50_000));
    assertThat(many.tokens()).isEqualTo(50_000 * one.tokens());
    assertThat(many.log10Prob()).isCloseTo(50_000 * one.log10Prob(), org.assertj.core.api.Assertions.within(1e-9 * Math.abs(many.log10Prob())));
    NgramModel.SentenceScore oneLine = PerplexityStage.scoreText(model, line.repeat(100_000));
    assertThat(oneLine.tokens()).isEqualTo(700_001);
    assertThat(oneLine.perplexity()).isFinite();
  }

  @Test
  void tokenizerFollowsCcnetNormalisation() {
    assertThat(LmTokenizer.tokens("Héllo, WORLD! It's 2024…")).containsExactly(
        "hello", ",", "world", "!", "it", "'", "s", "0000", ".", ".", ".");
    assertThat(LmTokenizer.tokens("“Quoted” — text　with\u200bzero-width")).containsExactly(
        "\"", "quoted", "\"", "-", "text", "withzero", "-", "width");
    assertThat(LmTokenizer.tokens("東京は１２月")).containsExactly("東京は00月");
    assertThat(LmTokenizer.sentences("one line\n\n  \nsecond line\r\n")).hasSize(2);
    // Idempotent: tokens joined with spaces tokenize to themselves (the training and parity files rely on it).
    String[] tokens = LmTokenizer.tokens("Don't stop: 3.5% of U.S. $1,000-level «quotes»");
    assertThat(LmTokenizer.tokens(String.join(" ", tokens))).containsExactly(tokens);
  }
}
