package dev.refinery.core.llm;

import dev.refinery.core.table.LlmSchemas;
import org.apache.spark.sql.Row;

/**
 * The one policy every LLM stage applies to a call that failed after all the client's retries: the row that
 * needed the answer is <em>dropped</em> under {@link #DROP_REASON} (counted in {@code dropped_by_reason}, never
 * quarantined or lost silently), while its {@code llm_calls} row keeps the error and the attempts, and the
 * call is made again on the next run.
 */
public final class LlmFailures {
  /** The drop reason of a row whose LLM call failed for good, in every stage. */
  public static final String DROP_REASON = "llm_call_failed";

  private LlmFailures() {}

  /** True when the {@code llm} struct {@code LlmCallCache.complete} joined on holds no answer. */
  public static boolean failed(Row llm) {
    return llm == null || !LlmSchemas.STATUS_OK.equals(llm.getAs("status"));
  }
}
