package dev.refinery.core.llm;

import dev.refinery.core.error.ErrorType;
import dev.refinery.core.error.RefineryException;

/**
 * An LLM call that failed for good: after {@code attempts} tries, or at once when the failure cannot be
 * cured by retrying ({@code retryable == false}, e.g. HTTP 400 or 401). The call cache records the message
 * and the attempts, and tries the call again on the next run.
 */
public final class LlmCallException extends RefineryException {
  private static final long serialVersionUID = 1L;

  private final int attempts;
  private final boolean retryable;

  public LlmCallException(String message, int attempts, boolean retryable, Throwable cause) {
    super(ErrorType.EXTERNAL, message, cause);
    this.attempts = attempts;
    this.retryable = retryable;
  }

  public int attempts() {
    return attempts;
  }

  /** Whether another attempt might succeed (429, 5xx, timeouts, cut connections, malformed bodies). */
  public boolean retryable() {
    return retryable;
  }
}
