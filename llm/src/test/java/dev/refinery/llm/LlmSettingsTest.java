package dev.refinery.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.error.RefineryException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Pins the llm.* defaults and key spellings, and the errors for bad values. */
class LlmSettingsTest {
  @Test
  void defaultsAreTheEmbeddedLocalModel() {
    LlmSettings settings = LlmSettings.fromConfig(RefineryConfig.defaults());

    assertThat(settings.provider()).isEqualTo(LlmSettings.Provider.LOCAL);
    assertThat(settings.modelId()).isEqualTo("SmolLM2-135M-Instruct.Q4_1.gguf");
    assertThat(settings.concurrency()).isEqualTo(1);
    assertThat(settings.retry()).isEqualTo(new RetryPolicy(4, Duration.ofMillis(500), Duration.ofSeconds(30), 0.5));
    assertThat(settings.timeout()).isEqualTo(Duration.ofSeconds(120));
    assertThat(settings.local()).isEqualTo(
        new LlmSettings.Local("models/smollm2/SmolLM2-135M-Instruct.Q4_1.gguf", 2048, 0, 512));
    assertThat(settings.openai()).isEqualTo(
        new LlmSettings.OpenAi("http://127.0.0.1:8000/v1", "smollm2-135m-instruct", "OPENAI_API_KEY"));
    assertThat(LlmCallCache.Options.fromConfig(RefineryConfig.defaults()))
        .isEqualTo(new LlmCallCache.Options(0, 32, Duration.ofSeconds(15), 1, Duration.ofSeconds(10)));
  }

  @Test
  void theOpenAiModelNameIsTheModelIdAndTheBaseUrlLosesItsSlash() {
    RefineryConfig config = RefineryConfig.defaults().with("llm.provider", "openai")
        .with("llm.openai.base-url", "https://api.example.test/v1/").with("llm.openai.model", "m-7b");

    LlmSettings settings = LlmSettings.fromConfig(config);

    assertThat(settings.modelId()).isEqualTo("m-7b");
    assertThat(settings.openai().baseUrl()).isEqualTo("https://api.example.test/v1");
    assertThat(new ConfiguredLlmClientFactory(settings).get()).isInstanceOf(OpenAiCompatibleClient.class);
  }

  @Test
  void badValuesNameTheKey() {
    assertThatThrownBy(() -> LlmSettings.fromConfig(RefineryConfig.defaults().with("llm.provider", "gpt")))
        .isInstanceOf(RefineryException.class)
        .hasMessage("Invalid config key 'llm.provider': expected one of local, openai but got 'gpt'");
    assertThatThrownBy(() -> LlmSettings.fromConfig(RefineryConfig.defaults().with("llm.openai.base-url", "ftp://x")))
        .hasMessage("Invalid config key 'llm.openai.base-url': expected an http:// or https:// URL but got ftp://x");
    assertThatThrownBy(() -> LlmSettings.fromConfig(RefineryConfig.defaults().with("llm.concurrency", 0)))
        .hasMessage("Invalid config key 'llm.concurrency': expected an integer in [1, 4096] but got 0");
  }
}
