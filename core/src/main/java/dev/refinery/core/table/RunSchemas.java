package dev.refinery.core.table;

import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.createMapType;

import org.apache.spark.sql.types.StructType;

/** Schemas of the bookkeeping tables every stage writes: {@code pipeline_runs} and {@code quarantine}. */
public final class RunSchemas {
  private RunSchemas() {}

  /** One row per (run, stage): the stage contract's record. Key: {@code run_id}, {@code stage}. */
  public static final StructType PIPELINE_RUNS = new StructType()
      .add("run_id", StringType, false)
      .add("stage", StringType, false)
      .add("status", StringType, false)
      .add("config_hash", StringType, false)
      .add("input_versions", createMapType(StringType, LongType), false)
      .add("output_versions", createMapType(StringType, LongType), false)
      .add("rows_in", LongType, false)
      .add("rows_out", LongType, false)
      .add("rows_dropped", LongType, false)
      .add("dropped_by_reason", createMapType(StringType, LongType), false)
      .add("rows_quarantined", LongType, false)
      .add("started_at", TimestampType, false)
      .add("duration_ms", LongType, false)
      .add("error", StringType, true)
      .add("metrics", createMapType(StringType, StringType), false);

  /** Rows a stage could not use. Key: {@code quarantine_id} = hash(stage, source, position). */
  public static final StructType QUARANTINE = new StructType()
      .add("quarantine_id", StringType, false)
      .add("stage", StringType, false)
      .add("source", StringType, false)
      .add("position", StringType, false)
      .add("reason", StringType, false)
      .add("raw", StringType, true)
      .add("run_id", StringType, false)
      .add("quarantined_at", TimestampType, false);
}
