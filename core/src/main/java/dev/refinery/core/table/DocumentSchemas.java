package dev.refinery.core.table;

import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.createMapType;

import org.apache.spark.sql.types.StructType;

/** Schemas of the document tables. Stages that add document tables add their schema here. */
public final class DocumentSchemas {
  private DocumentSchemas() {}

  /** Key: {@code doc_id} = hash(source, source_id). */
  public static final StructType RAW_DOCUMENTS = new StructType()
      .add("doc_id", StringType, false)
      .add("source", StringType, false)
      .add("source_id", StringType, false)
      .add("text", StringType, false)
      .add("meta", createMapType(StringType, StringType), false)
      .add("ingested_at", TimestampType, false)
      .add("run_id", StringType, false);
}
