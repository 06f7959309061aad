package dev.refinery.synthesis.quality;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refinery.synthesis.cai.CaiParser;
import dev.refinery.synthesis.selfinstruct.NumberedListParser;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Real SmolLM2-135M answers of the demo (cai and self-instruct defaults, llm_calls on main). */
class TruncationTest {
  /** A cai initial answer: 96 tokens, finish reason length. */
  private static final String INITIAL = """
      Aw, shakuhak! I'm sorry to hear that you're facing some tough times, but I'm here to help. However, I must \
      say that I'm not a man who can always help others. I'm here to help you find the perfect hair accessory that \
      can make your hair look amazing.

      I have a lot of hair accessories that I can provide. Some of them are pretty obvious, of course. But I also \
      have a lot of hair""";
  /** A self-instruct generation: 160 tokens, finish reason length; its last item became "Fact check: this is a". */
  private static final String LIST = """
      1. How can individuals and organizations reduce unconscious bias?
      This is a question that requires a logical and structured answer. The answer must be a logical and structured answer.
      2. Solve the equation system:
      Solve 12 + 12 = 24.
      This is a question that requires a logical and structured answer. The answer must be a logical and structured answer.
      3. Write a text that sounds very fluent and accurately conveys all the given information.
      This is a question that requires a logical and structured answer. The answer must be a logical and structured answer.
      4. Fact Check:
      This is a question that requires a logical and structured answer. The answer must be a logical and structured answer.
      5. Fact Check:
      This is a""";

  @Test
  void anAnswerThatRanOutOfTokensIsCutOffWhereItEnds() {
    String response = CaiParser.response(INITIAL).orElseThrow();
    assertThat(Truncation.cutOff(INITIAL, response, "length")).isTrue();
    assertThat(Truncation.cutOff(INITIAL, response, "stop")).isFalse();
    assertThat(Truncation.cutOff(INITIAL, response, null)).isFalse();
  }

  @Test
  void onlyTheLastItemOfACutOffListIsTruncated() {
    List<String> items = NumberedListParser.parse(LIST);
    assertThat(items).last().isEqualTo("Fact check: this is a");
    assertThat(items).filteredOn(item -> Truncation.cutOff(LIST, item, "length"))
        .containsExactly("Fact check: this is a");
  }

  @Test
  void textThatAParserCutBeforeTheEndIsComplete() {
    // The model finished the revision and went on with the dialogue until the budget ran out.
    String answer = "In my last response, I included several harmful content.\n\nHuman: I'm sorry, I shouldn't have";
    String revision = CaiParser.revision(answer).orElseThrow();
    assertThat(revision).isEqualTo("In my last response, I included several harmful content.");
    assertThat(Truncation.cutOff(answer, revision, "length")).isFalse();
  }

  @Test
  void blankTextIsNeverTruncated() {
    assertThat(Truncation.cutOff("Input: \nOutput: ", "", "length")).isFalse();
    assertThat(Truncation.cutOff(null, "text", "length")).isFalse();
  }
}
