package dev.refinery.core.table;

import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;

import org.apache.spark.sql.types.StructType;

/** Schema of the table written by {@code quality-classifier-train}. */
public final class QualityModelSchemas {
  private QualityModelSchemas() {}

  /**
   * {@code quality_models}, key {@code model_id} (hash of the training files' names and sizes, the label
   * settings, the split and every hyper-parameter). {@code model_path} is a Spark ML {@code PipelineModel}
   * whose {@code probability[1]} is the probability of the positive label; {@code held_out_auc} is the ROC AUC
   * of that probability on the held-out rows (a hash of the text below {@code held_out_fraction}).
   */
  public static final StructType QUALITY_MODELS = new StructType()
      .add("model_id", StringType, false)
      .add("model_path", StringType, false)
      .add("train_paths", createArrayType(StringType, false), false)
      .add("train_rows", LongType, false)
      .add("train_positives", LongType, false)
      .add("held_out_rows", LongType, false)
      .add("held_out_positives", LongType, false)
      .add("held_out_auc", DoubleType, true)
      .add("threshold", DoubleType, false)
      .add("held_out_fraction", DoubleType, false)
      .add("seed", LongType, false)
      .add("num_features", IntegerType, false)
      .add("idf", BooleanType, false)
      .add("reg_param", DoubleType, false)
      .add("elastic_net", DoubleType, false)
      .add("max_iterations", IntegerType, false)
      .add("trained_at", TimestampType, false)
      .add("run_id", StringType, false);
}
