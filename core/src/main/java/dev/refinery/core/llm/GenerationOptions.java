package dev.refinery.core.llm;

import dev.refinery.core.config.RefineryConfig;
import java.io.Serializable;
import java.util.List;

/**
 * Sampling parameters of one kind of call (temperature, top-p, token budget, stop strings, log-probs). Stages
 * read them from their own config section ({@code <prefix>.temperature}, {@code <prefix>.top-p},
 * {@code <prefix>.max-tokens}) and pair them with a per-request seed.
 */
public record GenerationOptions(
    double temperature, double topP, int maxTokens, List<String> stop, boolean logprobs, int topLogprobs)
    implements Serializable {

  public GenerationOptions {
    stop = List.copyOf(stop);
  }

  public static GenerationOptions of(double temperature, double topP, int maxTokens) {
    return new GenerationOptions(temperature, topP, maxTokens, List.of(), false, 0);
  }

  /** Reads {@code prefix.temperature}, {@code prefix.top-p} and {@code prefix.max-tokens}. */
  public static GenerationOptions fromConfig(RefineryConfig config, String prefix) {
    return of(config.getDouble(prefix + ".temperature", 0, 2), config.getDouble(prefix + ".top-p", 0, 1),
        config.getInt(prefix + ".max-tokens", 1, 1 << 16));
  }

  public GenerationOptions withStop(List<String> value) {
    return new GenerationOptions(temperature, topP, maxTokens, value, logprobs, topLogprobs);
  }

  public GenerationOptions withLogprobs(int top) {
    return new GenerationOptions(temperature, topP, maxTokens, stop, true, top);
  }

  public ChatRequest toRequest(List<ChatMessage> messages, long seed) {
    return new ChatRequest(messages, temperature, topP, maxTokens, stop, seed, 1, logprobs, topLogprobs);
  }
}
