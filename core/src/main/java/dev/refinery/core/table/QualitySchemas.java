package dev.refinery.core.table;

import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.StringType;

import org.apache.spark.sql.types.StructType;

/**
 * Schemas of the tables written by {@code quality-filter}. ({@code document_signals}' schema has one column per
 * signal, so it lives with the stage that computes them: {@code QualitySignalsStage.SCHEMA} in filtering.)
 */
public final class QualitySchemas {
  private QualitySchemas() {}

  /**
   * {@code filtered_documents}, key {@code doc_id}: every document quality-filter looked at, with its text as it
   * flows on (PII replaced by typed placeholders when quality-signals redacted any), {@code kept}, and
   * {@code drop_reason}: the name of the first rule it failed, null when kept.
   */
  public static final StructType FILTERED_DOCUMENTS = new StructType()
      .add("doc_id", StringType, false)
      .add("text", StringType, false)
      .add("kept", BooleanType, false)
      .add("drop_reason", StringType, true)
      .add("run_id", StringType, false);
}
