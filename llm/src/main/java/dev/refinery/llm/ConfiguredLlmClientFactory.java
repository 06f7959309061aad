package dev.refinery.llm;
import dev.refinery.core.llm.LlmClient;
import dev.refinery.core.llm.LlmClientFactory;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link LlmClientFactory} built from {@code llm.*} config: ships its {@link LlmSettings} to executors and
 * builds the client there once per JVM and settings (so a local model is loaded once per executor, and all
 * tasks of the JVM share the HTTP client's concurrency bound).
 */
public final class ConfiguredLlmClientFactory implements LlmClientFactory {
  private static final long serialVersionUID = 1L;
  private static final Map<LlmSettings, LlmClient> CLIENTS = new ConcurrentHashMap<>();

  private final LlmSettings settings;

  public ConfiguredLlmClientFactory(LlmSettings settings) {
    this.settings = settings;
  }

  public LlmSettings settings() {
    return settings;
  }

  @Override
  public String modelId() {
    return settings.modelId();
  }

  @Override
  public LlmClient get() {
    return CLIENTS.computeIfAbsent(settings, ConfiguredLlmClientFactory::create);
  }

  private static LlmClient create(LlmSettings settings) {
    return switch (settings.provider()) {
      case LOCAL -> new LlamaCppClient(settings);
      case OPENAI -> new OpenAiCompatibleClient(settings);
    };
  }
}
