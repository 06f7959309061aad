package dev.refinery.synthesis;

import static org.apache.spark.sql.functions.col;

import dev.refinery.core.llm.ChatRequest;
import dev.refinery.core.table.LlmSchemas;
import dev.refinery.llm.LlmCallCache;
import dev.refinery.llm.LlmRequests;
import dev.refinery.synthesis.quality.Truncation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Runs a driver-side list of keyed requests through the {@link LlmCallCache} (for steps whose state is small
 * and sequential, like Self-Instruct's growing pool) and hands back the answers by key.
 */
public final class DriverCalls {
  private static final StructType SCHEMA = DataTypes.createStructType(List.of(
      DataTypes.createStructField("key", DataTypes.StringType, false),
      DataTypes.createStructField("request", LlmSchemas.REQUEST, false),
      DataTypes.createStructField("sample_index", DataTypes.IntegerType, false)));

  /**
   * The answer to one request: {@code ok} with text and the engine's finish reason ({@code stop}, or
   * {@code length} when the token budget ran out), or failed with the error.
   */
  public record Answer(boolean ok, String text, String error, String requestHash, int completionTokens,
      String finishReason) {
    /** Whether {@code kept}, read out of this answer's text, was cut off by the token budget ({@link Truncation}). */
    public boolean cutOff(String kept) {
      return Truncation.cutOff(text, kept, finishReason);
    }
  }

  private DriverCalls() {}

  public static Map<String, Answer> answer(SparkSession spark, LlmCallCache cache, Map<String, ChatRequest> requests,
      String what) {
    Map<String, Answer> answers = new LinkedHashMap<>();
    if (requests.isEmpty()) {
      return answers;
    }
    List<Row> rows = new ArrayList<>(requests.size());
    requests.forEach((key, request) -> rows.add(RowFactory.create(key, LlmRequests.toRow(request), 0)));
    List<Row> done = cache.complete(spark.createDataFrame(rows, SCHEMA), what)
        .select(col("key"), col("request_hash"), col("llm.status"), col("llm.response"), col("llm.error"),
            col("llm.completion_tokens"), col("llm.finish_reason"))
        .collectAsList();
    for (Row row : done) {
      boolean ok = LlmSchemas.STATUS_OK.equals(row.getString(2));
      answers.put(row.getString(0), new Answer(ok, ok ? row.getString(3) : null, row.getString(4), row.getString(1),
          row.isNullAt(5) ? 0 : row.getInt(5), row.getString(6)));
    }
    Map<String, Answer> ordered = new LinkedHashMap<>();
    requests.keySet().forEach(key -> ordered.put(key, answers.get(key)));
    return ordered;
  }
}
