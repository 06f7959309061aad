package dev.refinery.core.table;

import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;
import static org.apache.spark.sql.types.DataTypes.createStructField;
import static org.apache.spark.sql.types.DataTypes.createStructType;

import java.util.List;
import org.apache.spark.sql.types.StructType;

/**
 * Schemas of the LLM layer: the request struct stages build ({@link #REQUEST}) and the {@code llm_calls}
 * cache table ({@link #LLM_CALLS}), keyed by {@code request_hash} = hash(model, request JSON, sample index).
 */
public final class LlmSchemas {
  private LlmSchemas() {}

  /** One chat turn: {@code role} (system, user, assistant) and {@code content}. */
  public static final StructType MESSAGE = createStructType(List.of(
      createStructField("role", StringType, false),
      createStructField("content", StringType, true)));

  /** An OpenAI-style chat request as a Spark struct; mirrors {@link dev.refinery.core.llm.ChatRequest}. */
  public static final StructType REQUEST = createStructType(List.of(
      createStructField("messages", createArrayType(MESSAGE, false), false),
      createStructField("temperature", DoubleType, false),
      createStructField("top_p", DoubleType, false),
      createStructField("max_tokens", IntegerType, false),
      createStructField("stop", createArrayType(StringType, false), false),
      createStructField("seed", LongType, false),
      createStructField("logprobs", BooleanType, false),
      createStructField("top_logprobs", IntegerType, false)));

  public static final StructType TOP_LOGPROB = createStructType(List.of(
      createStructField("token", StringType, true),
      createStructField("logprob", DoubleType, true)));

  /** A generated token with its log-probability (natural log; NaN when the engine did not report it). */
  public static final StructType TOKEN_LOGPROB = createStructType(List.of(
      createStructField("token", StringType, true),
      createStructField("logprob", DoubleType, true),
      createStructField("top", createArrayType(TOP_LOGPROB, true), true)));

  /**
   * {@code llm_calls}: one row per distinct request. {@code status} is {@code ok} or {@code failed}; failed
   * rows carry {@code error} and are called again on the next run, {@code attempts} adding up across runs.
   */
  public static final StructType LLM_CALLS = createStructType(List.of(
      createStructField("request_hash", StringType, false),
      createStructField("model", StringType, false),
      createStructField("request_json", StringType, false),
      createStructField("sample_index", IntegerType, false),
      createStructField("status", StringType, false),
      createStructField("response", StringType, true),
      createStructField("finish_reason", StringType, true),
      createStructField("logprobs", createArrayType(TOKEN_LOGPROB, true), true),
      createStructField("prompt_tokens", IntegerType, true),
      createStructField("completion_tokens", IntegerType, true),
      createStructField("latency_ms", LongType, true),
      createStructField("error", StringType, true),
      createStructField("attempts", IntegerType, false),
      createStructField("run_id", StringType, true),
      createStructField("called_at", TimestampType, true)));

  /** The columns of {@code llm_calls} that {@code LlmCallCache.complete} joins back, as the struct {@code llm}. */
  public static final List<String> RESULT_COLUMNS = List.of(
      "status", "response", "finish_reason", "logprobs", "prompt_tokens", "completion_tokens", "latency_ms",
      "error", "attempts");

  public static final String STATUS_OK = "ok";
  public static final String STATUS_FAILED = "failed";
}
