package dev.refinery.core.table;

import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;

import org.apache.spark.sql.types.StructType;

/**
 * Schemas of the annotation tables: {@code judgments} (written by {@code judge} and {@code import-labels}),
 * {@code agreement} and {@code agreement_summary} (written by {@code agreement}).
 *
 * <p>Labels are always relative to the stored pair: {@code A} is the pair's {@code chosen} column,
 * {@code B} its {@code rejected} column, {@code tie} neither; {@code order_shown} says which was presented
 * first. {@code p_a} is the rater's probability that A is better (1, 0 or 0.5 for a hard human label).
 */
public final class AnnotationSchemas {
  private AnnotationSchemas() {}

  /** Key: {@code pair_id}, {@code rater_id}. */
  public static final StructType JUDGMENTS = new StructType()
      .add("pair_id", StringType, false)
      .add("rater_id", StringType, false)
      // ai | human
      .add("rater_kind", StringType, false)
      // The rater without the presentation order (model + principle for AI raters): position bias pairs
      // the AB and BA raters of one group.
      .add("rater_group", StringType, false)
      // A | B | tie
      .add("label", StringType, false)
      .add("p_a", DoubleType, true)
      // AB (chosen shown first) | BA
      .add("order_shown", StringType, false)
      // human | logprobs | parsed-text
      .add("label_source", StringType, false)
      .add("model", StringType, true)
      .add("principle", StringType, true)
      // The llm_calls row that produced an AI judgment.
      .add("request_hash", StringType, true)
      // The label as the source wrote it (e.g. PandaLM's 0/1/2, the model's answer text).
      .add("raw_label", StringType, true)
      // Where the judgment came from: the judge stage, or the imported file's source name.
      .add("source", StringType, false)
      .add("run_id", StringType, false)
      .add("judged_at", TimestampType, false);

  /** Key: {@code pair_id}. One row per judged pair; {@code kept} pairs pass the agreement gate. */
  public static final StructType AGREEMENT = new StructType()
      .add("pair_id", StringType, false)
      .add("n_raters", IntegerType, false)
      .add("n_a", IntegerType, false)
      .add("n_b", IntegerType, false)
      .add("n_tie", IntegerType, false)
      // Majority label (A | B | tie; equal A and B counts give tie), or Dawid-Skene's when configured.
      .add("aggregated_label", StringType, false)
      // Share of raters who gave the aggregated label.
      .add("agreement_rate", DoubleType, false)
      // Entropy of the label distribution divided by log(3): 0 = unanimous, 1 = uniform.
      .add("entropy", DoubleType, false)
      // Mean p_a over raters.
      .add("soft_score", DoubleType, true)
      .add("ds_label", StringType, true)
      .add("ds_p_a", DoubleType, true)
      .add("ds_p_tie", DoubleType, true)
      .add("ds_p_b", DoubleType, true)
      .add("kept", BooleanType, false)
      // Null when kept: too-few-raters | low-agreement | tie | prefers-rejected.
      .add("reason", StringType, true)
      .add("weight", DoubleType, false)
      .add("run_id", StringType, false)
      .add("computed_at", TimestampType, false);

  private static final StructType METRIC = new StructType()
      .add("metric", StringType, false)
      .add("value", DoubleType, true)
      .add("ci_lower", DoubleType, true)
      .add("ci_upper", DoubleType, true);

  private static final StructType COHEN = new StructType()
      .add("rater_a", StringType, false)
      .add("rater_b", StringType, false)
      .add("n", LongType, false)
      .add("kappa", DoubleType, true)
      .add("kappa_linear", DoubleType, true)
      .add("kappa_quadratic", DoubleType, true)
      .add("ci_lower", DoubleType, true)
      .add("ci_upper", DoubleType, true);

  private static final StructType RATER_QUALITY = new StructType()
      .add("rater_id", StringType, false)
      .add("n", LongType, false)
      .add("ds_accuracy", DoubleType, true)
      // Rows: true label, columns: said label, both in the order of the summary's `labels`.
      .add("confusion", createArrayType(createArrayType(DoubleType, false), false), true);

  private static final StructType POSITION_BIAS = new StructType()
      .add("rater_group", StringType, false)
      .add("n_both_orders", LongType, false)
      .add("flip_rate", DoubleType, true)
      .add("n_decisive", LongType, false)
      .add("first_position_win_rate", DoubleType, true);

  private static final StructType LENGTH_BIAS = new StructType()
      .add("rater_id", StringType, false)
      .add("n", LongType, false)
      // Pearson correlation between p_a and len(chosen) - len(rejected) in characters.
      .add("correlation", DoubleType, true);

  /** Key: {@code run_id}. Dataset-level agreement of one run of the {@code agreement} stage. */
  public static final StructType AGREEMENT_SUMMARY = new StructType()
      .add("run_id", StringType, false)
      .add("n_pairs", LongType, false)
      .add("n_judgments", LongType, false)
      .add("raters", createArrayType(StringType, false), false)
      .add("labels", createArrayType(StringType, false), false)
      .add("bootstrap_resamples", IntegerType, false)
      .add("confidence_level", DoubleType, false)
      // fleiss_kappa, alpha_nominal, alpha_ordinal, alpha_interval, alpha_ratio
      .add("metrics", createArrayType(METRIC, false), false)
      .add("cohen_kappa", createArrayType(COHEN, false), false)
      .add("rater_quality", createArrayType(RATER_QUALITY, false), false)
      .add("ds_iterations", IntegerType, false)
      .add("ds_converged", BooleanType, false)
      .add("position_bias", createArrayType(POSITION_BIAS, false), false)
      .add("length_bias", createArrayType(LENGTH_BIAS, false), false)
      .add("computed_at", TimestampType, false);
}
