package dev.refinery.llm;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.testing.ConfigSectionContract;
import java.util.List;
import java.util.Set;

/** The llm section of conf/application.conf, pinned key by key, and read when the client and cache settings are built. */
class LlmConfigTest extends ConfigSectionContract {
  @Override
  protected List<String> sections() {
    return List.of("llm");
  }

  @Override
  protected void readAtStartUp(RefineryConfig config) {
    LlmSettings.fromConfig(config);
    LlmCallCache.Options.fromConfig(config);
  }

  @Override
  protected Set<String> optionalKeys() {
    return Set.of("llm.model-id");
  }

  @Override
  protected String pinnedDefaults() {
    return """
        llm.cache.commit-every = 32
        llm.cache.journal-interval = "10s"
        llm.concurrency = 1
        llm.initial-backoff = "500ms"
        llm.jitter = 0.5
        llm.local.batch-size = 512
        llm.local.context-size = 2048
        llm.local.model-path = "models/smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
        llm.local.threads = 0
        llm.max-attempts = 4
        llm.max-backoff = "30s"
        llm.model-id = ""
        llm.openai.api-key-env = "OPENAI_API_KEY"
        llm.openai.base-url = "http://127.0.0.1:8000/v1"
        llm.openai.model = "smollm2-135m-instruct"
        llm.partitions = 0
        llm.progress-interval = "15s"
        llm.provider = "local"
        llm.timeout = "120s"
        """;
  }
}
