package dev.refinery.core.table;

import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;
import static org.apache.spark.sql.types.DataTypes.createStructField;
import static org.apache.spark.sql.types.DataTypes.createStructType;

import java.util.List;
import org.apache.spark.sql.types.StructType;

/** Schemas of the synthesis stages' tables: {@code instructions} (self-instruct) and {@code cai_revisions} (cai). */
public final class SynthesisSchemas {
  private SynthesisSchemas() {}

  /**
   * {@code instructions}, keyed by {@code instruction_id} (hash of the instruction text). {@code origin} is
   * {@code seed} or {@code generated}; {@code round} is 0 for seeds. {@code max_rouge_l} is the highest
   * ROUGE-L F-measure against the pool when the instruction was accepted, {@code most_similar} that pool
   * instruction. {@code request_hash} points at the {@code llm_calls} row that generated it.
   */
  public static final StructType INSTRUCTIONS = createStructType(List.of(
      createStructField("instruction_id", StringType, false),
      createStructField("instruction", StringType, false),
      createStructField("input", StringType, false),
      createStructField("output", StringType, false),
      createStructField("is_classification", BooleanType, false),
      createStructField("origin", StringType, false),
      createStructField("round", IntegerType, false),
      createStructField("max_rouge_l", DoubleType, true),
      createStructField("most_similar", StringType, true),
      createStructField("request_hash", StringType, true),
      createStructField("model", StringType, true),
      createStructField("run_id", StringType, false),
      createStructField("created_at", TimestampType, false)));

  /** One critique/revision round of a CAI prompt. */
  public static final StructType CAI_ROUND = createStructType(List.of(
      createStructField("round", IntegerType, false),
      createStructField("principle", StringType, false),
      createStructField("critique_request", StringType, false),
      createStructField("critique", StringType, false),
      createStructField("revision_request", StringType, false),
      createStructField("revision", StringType, false)));

  /**
   * {@code cai_revisions}, keyed by {@code prompt_id} (hash of the prompt text): the red-team prompt, the
   * model's initial response, every critique/revision round, and the final response.
   */
  public static final StructType CAI_REVISIONS = createStructType(List.of(
      createStructField("prompt_id", StringType, false),
      createStructField("prompt", StringType, false),
      createStructField("prompt_source", StringType, false),
      createStructField("initial_response", StringType, false),
      createStructField("rounds", createArrayType(CAI_ROUND, false), false),
      createStructField("final_response", StringType, false),
      createStructField("model", StringType, false),
      createStructField("run_id", StringType, false),
      createStructField("created_at", TimestampType, false)));
}
