package dev.refinery.llm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.error.RefineryException;
import dev.refinery.core.llm.ChatMessage;
import dev.refinery.core.llm.ChatRequest;
import dev.refinery.core.llm.ChatResponse;
import dev.refinery.core.llm.LlmClient;
import dev.refinery.core.testing.SharedSpark;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The in-process engine with the real SmolLM2-135M GGUF. */
class LlamaCppClientTest {
  static LlmClient localClient() {
    return new ConfiguredLlmClientFactory(LlmSettings.fromConfig(RefineryConfig.defaults())).get();
  }

  @Test
  void answersAChatRequestDeterministicallyForASeed() {
    LlmClient client = localClient();
    ChatRequest request = new ChatRequest(List.of(ChatMessage.user("What is the capital of France?")), 0.7, 0.95, 24,
        List.of(), 42, 1, false, 0);

    ChatResponse first = client.chat(request);
    ChatResponse again = client.chat(request);

    assertThat(first.text()).isNotBlank().doesNotContain("<|im_end|>");
    assertThat(first.completionTokens()).isBetween(1, 24);
    assertThat(first.promptTokens()).isGreaterThan(10);
    assertThat(first.choices().get(0).finishReason()).isIn("stop", "length");
    assertThat(first.attempts()).isEqualTo(1);
    assertThat(client.modelId()).isEqualTo("SmolLM2-135M-Instruct.Q4_1.gguf");
    assertThat(again.text()).isEqualTo(first.text());
  }

  @Test
  void stopsAtTheTokenBudgetWithFinishReasonLength() {
    ChatRequest request = new ChatRequest(List.of(ChatMessage.user("Write a long story about a dragon.")), 0.7, 0.95,
        5, List.of(), 7, 1, false, 0);

    ChatResponse response = localClient().chat(request);

    assertThat(response.completionTokens()).isEqualTo(5);
    assertThat(response.choices().get(0).finishReason()).isEqualTo("length");
  }

  @Test
  void refusesLogprobsInsteadOfCrashingTheJvm() {
    ChatRequest request = new ChatRequest(List.of(ChatMessage.user("Answer with one letter, A or B.")), 0.0, 1.0, 3,
        List.of(), 1, 1, true, 3);

    assertThatThrownBy(() -> localClient().chat(request))
        .isInstanceOf(RefineryException.class)
        .hasMessageStartingWith("Cannot return log-probabilities from the in-process llama.cpp engine");
  }

  @Test
  void failsWithTheKeyWhenTheModelFileIsMissing() {
    RefineryConfig config = RefineryConfig.defaults().with("llm.local.model-path", "models/none/missing.gguf");
    LlmSettings settings = LlmSettings.fromConfig(config);

    assertThatThrownBy(() -> new LlamaCppClient(settings))
        .isInstanceOf(RefineryException.class)
        .hasMessageStartingWith("Cannot load the local LLM from ")
        .hasMessageContaining("llm.local.model-path = models/none/missing.gguf");
  }

  @Test
  void appliesTheChatMlTemplateWithSmolLmsDefaultSystemTurn() {
    assertThat(ChatMlTemplate.apply(List.of(ChatMessage.user("Hi"))))
        .isEqualTo("<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n"
            + "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n");
    assertThat(ChatMlTemplate.apply(List.of(ChatMessage.system("S"), ChatMessage.user("U"))))
        .isEqualTo("<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nU<|im_end|>\n<|im_start|>assistant\n");
    assertThat(SharedSpark.repoRoot()).isNotNull();
  }
}
