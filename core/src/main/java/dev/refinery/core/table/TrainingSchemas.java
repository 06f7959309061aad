package dev.refinery.core.table;

import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;
import static org.apache.spark.sql.types.DataTypes.createMapType;

import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.StructType;

/**
 * Schemas of the training tables: the exported TRL sets ({@code rm_train}, {@code dpo_train}), the reference
 * model's log-probabilities ({@code ref_logprobs}) and one row per training run ({@code training_runs}).
 */
public final class TrainingSchemas {
  private TrainingSchemas() {}

  /** One chat message, TRL's conversational element {@code {role, content}}. */
  public static final StructType MESSAGE = new StructType()
      .add("role", StringType, false)
      .add("content", StringType, false);

  public static final ArrayType MESSAGES = createArrayType(MESSAGE, false);

  /**
   * The columns of {@code preference_pairs} that training reads (the synthesis and annotation stages own the
   * full table and may add columns). Key: {@code pair_id}.
   */
  public static final StructType PREFERENCE_PAIRS_READ = new StructType()
      .add("pair_id", StringType, false)
      .add("prompt", StringType, false)
      .add("prompt_messages", MESSAGES, false)
      .add("chosen", StringType, false)
      .add("rejected", StringType, false)
      .add("source", StringType, false)
      .add("principle", StringType, true);

  /** Preference pairs imported from a file (HH-RLHF transcripts); {@code preference_pairs} columns + lineage. */
  public static final StructType IMPORTED_PAIRS = PREFERENCE_PAIRS_READ
      .add("source_path", StringType, false)
      .add("source_position", LongType, false)
      .add("run_id", StringType, false)
      .add("created_at", TimestampType, false);

  /**
   * {@code rm_train} and {@code dpo_train}: TRL's standard columns ({@code prompt}, {@code chosen},
   * {@code rejected} as strings) and conversational columns ({@code *_messages}, lists of {role, content};
   * TRL reads them when renamed to prompt/chosen/rejected). Key: {@code pair_id}.
   */
  public static final StructType TRAIN_SET = new StructType()
      .add("pair_id", StringType, false)
      .add("prompt", StringType, false)
      .add("chosen", StringType, false)
      .add("rejected", StringType, false)
      .add("prompt_messages", MESSAGES, false)
      .add("chosen_messages", MESSAGES, false)
      .add("rejected_messages", MESSAGES, false)
      .add("split", StringType, false)
      .add("weight", DoubleType, false)
      .add("source", StringType, false)
      .add("principle", StringType, true)
      .add("lineage", createArrayType(new StructType()
          .add("table", StringType, false).add("version", LongType, false), false), false)
      .add("run_id", StringType, false);

  /**
   * {@code ref_logprobs}: summed log-probabilities of the chosen and rejected responses (response tokens only,
   * given the prompt) under a reference model. Key: {@code pair_id}, {@code model_id}.
   */
  public static final StructType REF_LOGPROBS = new StructType()
      .add("pair_id", StringType, false)
      .add("model_id", StringType, false)
      .add("chosen_logp", DoubleType, false)
      .add("rejected_logp", DoubleType, false)
      .add("chosen_tokens", IntegerType, false)
      .add("rejected_tokens", IntegerType, false)
      .add("truncated", BooleanType, false)
      .add("dataset_table", StringType, false)
      .add("dataset_version", LongType, false)
      .add("run_id", StringType, false);

  /** One optimiser step's metrics (averaged over the step's examples). */
  public static final StructType STEP_METRICS = new StructType()
      .add("step", IntegerType, false)
      .add("loss", DoubleType, false)
      .add("accuracy", DoubleType, false)
      .add("margin", DoubleType, false)
      .add("learning_rate", DoubleType, false)
      .add("grad_norm", DoubleType, false);

  /** {@code training_runs}: one row per training run. Key: {@code training_run_id}. */
  public static final StructType TRAINING_RUNS = new StructType()
      .add("training_run_id", StringType, false)
      .add("run_id", StringType, false)
      .add("kind", StringType, false)
      .add("status", StringType, false)
      .add("dataset_table", StringType, false)
      .add("dataset_version", LongType, false)
      .add("hyper_parameters", createMapType(StringType, StringType), false)
      .add("steps", createArrayType(STEP_METRICS, false), false)
      .add("final_metrics", createMapType(StringType, DoubleType), false)
      .add("device", StringType, false)
      .add("duration_ms", LongType, false)
      .add("checkpoint_uri", StringType, false)
      .add("started_at", TimestampType, false)
      .add("error", StringType, true);
}
