package dev.refinery.annotation.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.refinery.core.llm.ChatResponse.TokenLogprob;
import dev.refinery.core.llm.ChatResponse.TopLogprob;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnswerParserTest {
  @Test
  void softLabelFromTopLogprobsOfTheAnswerToken() {
    List<TokenLogprob> tokens = List.of(
        new TokenLogprob(" (", -0.1, List.of(new TopLogprob(" (", -0.1), new TopLogprob(" The", -2.4))),
        new TokenLogprob("B", Math.log(0.6), List.of(new TopLogprob("B", Math.log(0.6)),
            new TopLogprob("A", Math.log(0.3)), new TopLogprob(" A", Math.log(0.05)), new TopLogprob("C", -4))));
    AnswerParser.Answer answer = AnswerParser.parse(" (B)", tokens).orElseThrow();
    assertThat(answer.source()).isEqualTo("logprobs");
    assertThat(answer.probabilityFirst()).isCloseTo(0.35 / 0.95, within(1e-12));
  }

  @Test
  void fallsBackToTheTextAndSaysSo() {
    AnswerParser.Answer answer = AnswerParser.parse("The answer is (A) because", List.of()).orElseThrow();
    assertThat(answer.source()).isEqualTo("parsed-text");
    assertThat(answer.probabilityFirst()).isEqualTo(1.0);
    assertThat(AnswerParser.parse("Both are fine.", List.of())).isEmpty();
    assertThat(AnswerParser.parse("Assistant B", null).orElseThrow().probabilityFirst()).isEqualTo(0.0);
  }

  @Test
  void promptFollowsRlCaiFormatWithAlternatingShots() {
    var messages = ComparisonPrompt.messages("Human: hi", "Which is kinder? Options:", "first", "second",
        List.of(new Principles.Example("Human: a", "good", "bad"), new Principles.Example("Human: b", "good2", "bad2")));
    String text = messages.get(0).content();
    assertThat(text).contains("(A) good\n(B) bad\nThe answer is: (A)")
        .contains("(A) bad2\n(B) good2\nThe answer is: (B)")
        .endsWith("Consider the following conversation between a human and an assistant:\nHuman: hi\n"
            + "Which is kinder? Options:\n(A) first\n(B) second\nThe answer is:");
  }
}
