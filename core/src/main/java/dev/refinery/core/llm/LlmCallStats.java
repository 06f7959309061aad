package dev.refinery.core.llm;

import dev.refinery.core.error.Preconditions;
import dev.refinery.core.stage.StageResult;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a stage's LLM calls cost, as one set of {@code pipeline_runs.metrics} with the same names in every
 * LLM stage. {@code LlmCallCache} fills one per {@code LlmCallCache.complete} call; a stage adds them up
 * ({@code LlmCallCache.totals}) and writes them with {@link #into}.
 *
 * @param requests distinct calls the stage needed ({@code = cached + made}; {@code made} is counted by Spark
 *     accumulators, which a retried task can make count a call twice, so this is not enforced)
 * @param cached answered from {@code llm_calls} without calling the model
 * @param made sent to the model (answered or failed)
 * @param failed of {@code made}, failed after all retries (recorded in {@code llm_calls} with the error)
 * @param retries attempts beyond the first, over all calls made
 * @param promptTokens prompt tokens of the answered calls, as the engine reported them
 * @param completionTokens completion tokens of the answered calls
 * @param seconds wall time spent calling the model (batches, Spark and the cache writes included)
 */
public record LlmCallStats(long requests, long cached, long made, long failed, long retries, long promptTokens,
    long completionTokens, double seconds) {
  public static final String REQUESTS = "llm_requests";
  public static final String CACHED = "llm_cached";
  public static final String MADE = "llm_made";
  public static final String FAILED = "llm_failed";
  public static final String RETRIES = "llm_retries";
  public static final String PROMPT_TOKENS = "llm_prompt_tokens";
  public static final String COMPLETION_TOKENS = "llm_completion_tokens";
  public static final String SECONDS = "llm_seconds";
  /** Every metric name, in the order {@link #into} writes them. */
  public static final List<String> METRICS = List.of(REQUESTS, CACHED, MADE, FAILED, RETRIES, PROMPT_TOKENS,
      COMPLETION_TOKENS, SECONDS);

  public static final LlmCallStats NONE = new LlmCallStats(0, 0, 0, 0, 0, 0, 0, 0);

  public LlmCallStats {
    Preconditions.checkArgument(requests >= 0 && cached >= 0 && made >= 0 && failed >= 0 && retries >= 0
        && promptTokens >= 0 && completionTokens >= 0 && seconds >= 0,
        "Invalid LLM call stats: negative figure in %s", List.of(requests, cached, made, failed, retries,
            promptTokens, completionTokens, seconds));
    Preconditions.checkArgument(failed <= made, "Invalid LLM call stats: failed %s > made %s", failed, made);
  }

  /** The figures of both, added up (the merge of two states). */
  public LlmCallStats plus(LlmCallStats other) {
    return new LlmCallStats(requests + other.requests, cached + other.cached, made + other.made,
        failed + other.failed, retries + other.retries, promptTokens + other.promptTokens,
        completionTokens + other.completionTokens, seconds + other.seconds);
  }

  public double tokensPerSecond() {
    return seconds <= 0 ? 0 : completionTokens / seconds;
  }

  /** Writes the eight metrics ({@link #METRICS}) into a stage result; {@code llm_seconds} to the millisecond. */
  public StageResult.Builder into(StageResult.Builder result) {
    return result
        .metric(REQUESTS, requests)
        .metric(CACHED, cached)
        .metric(MADE, made)
        .metric(FAILED, failed)
        .metric(RETRIES, retries)
        .metric(PROMPT_TOKENS, promptTokens)
        .metric(COMPLETION_TOKENS, completionTokens)
        .metric(SECONDS, String.format(Locale.ROOT, "%.3f", seconds));
  }

  /** Reads the figures back from a {@code pipeline_runs.metrics} map written by {@link #into}. */
  public static LlmCallStats fromMetrics(Map<String, String> metrics) {
    for (String name : METRICS) {
      Preconditions.checkArgument(metrics.containsKey(name), "Cannot read LLM call stats: no metric %s in %s",
          name, metrics.keySet());
    }
    return new LlmCallStats(Long.parseLong(metrics.get(REQUESTS)), Long.parseLong(metrics.get(CACHED)),
        Long.parseLong(metrics.get(MADE)), Long.parseLong(metrics.get(FAILED)), Long.parseLong(metrics.get(RETRIES)),
        Long.parseLong(metrics.get(PROMPT_TOKENS)), Long.parseLong(metrics.get(COMPLETION_TOKENS)),
        Double.parseDouble(metrics.get(SECONDS)));
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A running total to add states into (one per {@code LlmCallCache.complete} call); {@link #build} gives the sum. */
  public static final class Builder {
    private LlmCallStats total = NONE;

    public Builder add(LlmCallStats other) {
      total = total.plus(other);
      return this;
    }

    public LlmCallStats build() {
      return total;
    }
  }
}
