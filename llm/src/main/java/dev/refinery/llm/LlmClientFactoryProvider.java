package dev.refinery.llm;
import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.llm.LlmClientFactory;
import dev.refinery.core.stage.ComponentFactory;

/** Provides {@code context.component(LlmClientFactory.class)} from the {@code llm.*} config. */
public final class LlmClientFactoryProvider implements ComponentFactory<LlmClientFactory> {
  @Override
  public Class<LlmClientFactory> type() {
    return LlmClientFactory.class;
  }

  @Override
  public LlmClientFactory create(RefineryConfig config) {
    return new ConfiguredLlmClientFactory(LlmSettings.fromConfig(config));
  }
}
