package dev.refinery.llm;

import dev.refinery.core.config.RefineryConfig;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The {@code llm.*} config, parsed and validated once on the driver and shipped to executors inside the
 * {@link LlmClientFactory}. Holds the <em>name</em> of the environment variable with the API key, never
 * the key itself.
 *
 * @param provider which engine answers: the in-process llama.cpp model or an OpenAI-compatible server
 * @param modelId the model identity hashed into every request key (so two models never share answers)
 * @param concurrency calls in flight at once per executor JVM
 * @param retry backoff policy for 429, 5xx, timeouts, cut connections and malformed bodies
 * @param timeout limit for one attempt
 */
public record LlmSettings(
    Provider provider,
    String modelId,
    int concurrency,
    RetryPolicy retry,
    Duration timeout,
    Local local,
    OpenAi openai) implements Serializable {

  /** {@code llm.provider}. */
  public enum Provider { LOCAL, OPENAI }

  /** {@code llm.local.*}: the GGUF file and llama.cpp's context and thread counts. */
  public record Local(String modelPath, int contextSize, int threads, int batchSize) implements Serializable {}

  /** {@code llm.openai.*}: the server, the model name it serves, and the env variable holding the key. */
  public record OpenAi(String baseUrl, String model, String apiKeyEnv) implements Serializable {}

  public static LlmSettings fromConfig(RefineryConfig config) {
    Provider provider = config.getEnum("llm.provider", Provider.class);
    RetryPolicy retry = new RetryPolicy(
        config.getInt("llm.max-attempts", 1, 100),
        positive(config, "llm.initial-backoff"),
        positive(config, "llm.max-backoff"),
        config.getDouble("llm.jitter", 0, 1));
    config.check("llm.max-backoff", retry.maxBackoff(), d -> d.compareTo(retry.initialBackoff()) >= 0,
        "a duration >= llm.initial-backoff");
    Local local = new Local(
        config.getString("llm.local.model-path"),
        config.getInt("llm.local.context-size", 256, 1 << 20),
        config.getInt("llm.local.threads", 0, 1024),
        config.getInt("llm.local.batch-size", 1, 1 << 16));
    String baseUrl = config.getString("llm.openai.base-url");
    config.check("llm.openai.base-url", baseUrl, u -> u.startsWith("http://") || u.startsWith("https://"),
        "an http:// or https:// URL");
    OpenAi openai = new OpenAi(stripSlash(baseUrl), config.getString("llm.openai.model"),
        config.getString("llm.openai.api-key-env"));
    String modelId = config.getOptionalString("llm.model-id").orElseGet(() -> provider == Provider.LOCAL
        ? Path.of(local.modelPath()).getFileName().toString()
        : openai.model());
    return new LlmSettings(provider, modelId, config.getInt("llm.concurrency", 1, 4096), retry,
        positive(config, "llm.timeout"), local, openai);
  }

  private static Duration positive(RefineryConfig config, String key) {
    return config.check(key, config.getDuration(key), d -> !d.isNegative() && !d.isZero(), "a positive duration");
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
