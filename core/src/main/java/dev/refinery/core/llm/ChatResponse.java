package dev.refinery.core.llm;

import java.io.Serializable;
import java.util.List;

/**
 * The answer to a {@link ChatRequest}: one {@link Choice} per requested sample. {@code attempts} is how many
 * tries the client needed (1 when the first succeeded); the call cache records it.
 */
public record ChatResponse(
    String model, List<Choice> choices, int promptTokens, int completionTokens, long latencyMillis, int attempts)
    implements Serializable {

  public ChatResponse {
    choices = List.copyOf(choices);
  }

  /** A response obtained on the first attempt. */
  public ChatResponse(String model, List<Choice> choices, int promptTokens, int completionTokens, long latencyMillis) {
    this(model, choices, promptTokens, completionTokens, latencyMillis, 1);
  }

  public String text() {
    return choices.isEmpty() ? "" : choices.get(0).text();
  }

  /** The same response, recorded as obtained after {@code value} attempts. */
  public ChatResponse withAttempts(int value) {
    return new ChatResponse(model, choices, promptTokens, completionTokens, latencyMillis, value);
  }

  /** One sample. {@code logprobs} is empty unless the request asked for them. */
  public record Choice(String text, String finishReason, List<TokenLogprob> logprobs) implements Serializable {
    public Choice {
      logprobs = List.copyOf(logprobs);
    }
  }

  /** A generated token, its natural-log probability, and the top alternatives at that position. */
  public record TokenLogprob(String token, double logprob, List<TopLogprob> top) implements Serializable {
    public TokenLogprob {
      top = List.copyOf(top);
    }
  }

  public record TopLogprob(String token, double logprob) implements Serializable {}
}
