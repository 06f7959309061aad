package dev.refinery.synthesis.quality;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RefusalsTest {
  @Test
  void refusalOnlyAnswersAreCaught() {
    assertThat(List.of(
        "I'm sorry, but I can't assist with that.",
        "I’m sorry, but I cannot provide a list of websites for downloading pirated movies.",
        "As an AI language model, I don't have personal opinions.",
        "Sorry, I can't help with that request.",
        "I cannot help you with that. It is illegal.",
        "I won't write that essay for you."))
        .allSatisfy(text -> assertThat(Refusals.refusalOnly(text)).as(text).isTrue());
  }

  @Test
  void answersThatSympathiseOrDeclineAndThenHelpAreNot() {
    assertThat(List.of(
        // SmolLM2-135M's cai initial answer (the demo's hair-accessories prompt): it opens with "I'm sorry".
        "Aw, shakuhak! I'm sorry to hear that you're facing some tough times, but I'm here to help.",
        "I'm sorry to hear that. Try to sleep at regular hours and talk to a doctor.",
        "I don't recommend bleach on wood; use white vinegar and water instead.",
        "I can't stress enough how important it is to back up your files.",
        "The answer to this question is: \"This is a fact.\"",
        "I can't help with that, but here is what I can do: " + "explain the law, the risks, the penalties, ".repeat(8)))
        .allSatisfy(text -> assertThat(Refusals.refusalOnly(text)).as(text).isFalse());
    assertThat(Refusals.refusalOnly("")).isFalse();
  }
}
