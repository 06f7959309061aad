package dev.refinery.llm;

import dev.refinery.core.error.Preconditions;
import java.io.Serializable;
import java.time.Duration;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with full jitter: before attempt {@code k+1} wait a uniform random time in
 * {@code [(1 - jitter) * d, d]} with {@code d = min(maxBackoff, initialBackoff * 2^(k-1))}. A server's
 * {@code Retry-After} wins when it asks for longer (capped at {@code maxBackoff}).
 *
 * @param maxAttempts total tries including the first (1 = no retry)
 * @param jitter fraction of the delay that is randomised, in [0, 1]
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, double jitter)
    implements Serializable {

  public RetryPolicy {
    Preconditions.checkArgument(maxAttempts >= 1, "Invalid max-attempts: %s (must be >= 1)", maxAttempts);
    Preconditions.checkArgument(!initialBackoff.isNegative(), "Invalid initial-backoff: %s", initialBackoff);
    Preconditions.checkArgument(maxBackoff.compareTo(initialBackoff) >= 0,
        "Invalid max-backoff: %s (must be >= initial-backoff %s)", maxBackoff, initialBackoff);
    Preconditions.checkArgument(jitter >= 0 && jitter <= 1, "Invalid jitter: %s (must be in [0, 1])", jitter);
  }

  public static RetryPolicy none() {
    return new RetryPolicy(1, Duration.ZERO, Duration.ZERO, 0);
  }

  /** The wait before the next try after {@code failedAttempts} failures (>= 1). */
  public Duration delay(int failedAttempts, Optional<Duration> retryAfter, RandomGenerator random) {
    long max = maxBackoff.toMillis();
    int exponent = Math.min(Math.max(failedAttempts - 1, 0), 30);
    long base = Math.min(max, initialBackoff.toMillis() << exponent);
    long low = (long) Math.floor(base * (1 - jitter));
    long millis = base <= low ? base : low + random.nextLong(base - low + 1);
    if (retryAfter.isPresent()) {
      millis = Math.max(millis, Math.min(max, retryAfter.get().toMillis()));
    }
    return Duration.ofMillis(millis);
  }
}
