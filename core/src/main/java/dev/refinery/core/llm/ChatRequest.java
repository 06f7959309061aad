package dev.refinery.core.llm;

import java.io.Serializable;
import java.util.List;

/**
 * An OpenAI-style chat completion request. {@code seed} makes sampling deterministic where the engine
 * supports it; {@code topLogprobs > 0} asks for that many alternatives per generated token.
 */
public record ChatRequest(
    List<ChatMessage> messages,
    double temperature,
    double topP,
    int maxTokens,
    List<String> stop,
    long seed,
    int n,
    boolean logprobs,
    int topLogprobs) implements Serializable {

  public ChatRequest {
    messages = List.copyOf(messages);
    stop = List.copyOf(stop);
  }

  /** Greedy-ish defaults: temperature 0.7, top-p 0.95, 256 tokens, one choice, no log-probs. */
  public static ChatRequest of(List<ChatMessage> messages, long seed) {
    return new ChatRequest(messages, 0.7, 0.95, 256, List.of(), seed, 1, false, 0);
  }
}
