package dev.refinery.ingest;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;

import dev.refinery.core.stage.ReasonTally;
import dev.refinery.core.stage.Stage;
import dev.refinery.core.stage.RowsOut;
import dev.refinery.core.stage.StageSpec;
import dev.refinery.core.stage.StageContext;
import dev.refinery.core.stage.StageResult;
import dev.refinery.core.table.DocumentSchemas;
import dev.refinery.core.table.Tables;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code ingest}: files (JSONL, text, Parquet, WARC/WET) to {@code raw_documents}. Bad records (malformed
 * JSON, missing or empty text, invalid UTF-8, oversize, duplicate ids) go to {@code quarantine} with file,
 * line or record, and reason; the stage never aborts on bad rows. Rows are inserted by {@code doc_id}, so a
 * rerun over the same files changes nothing.
 */
final class IngestStage implements Stage {
  static final StageSpec SPEC = StageSpec.builder("ingest")
      .writes(Tables.RAW_DOCUMENTS).config("ingest")
      .description("read JSONL, text, Parquet or WARC files into raw_documents")
      .rowsOut(RowsOut.committedTo(Tables.RAW_DOCUMENTS))
      .build();

  @Override
  public StageSpec spec() {
    return SPEC;
  }

  static final String NAME = "ingest";

  private final IngestOptions options;

  IngestStage(IngestOptions options) {
    this.options = options;
  }

  @Override
  public StageResult run(StageContext context) {
    Dataset<Row> parsed = markDuplicates(new RecordParser(context.spark(), options).parse())
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      ReasonTally outcomes = outcomes(parsed);

      Dataset<Row> documentsFrame = parsed.filter(col("error").isNull().and(col("drop_reason").isNull()))
          .select(col("doc_id"), col("source"), col("source_id"), col("text"), col("meta"),
              current_timestamp().as("ingested_at"), lit(context.runId()).as("run_id"));
      context.lakehouse().createIfAbsent(Tables.RAW_DOCUMENTS, DocumentSchemas.RAW_DOCUMENTS);
      context.lakehouse().insertNew(Tables.RAW_DOCUMENTS, documentsFrame, List.of("doc_id"));

      if (outcomes.quarantined() > 0) {
        context.quarantine(parsed.filter(col("error").isNotNull())
            .select(col("file").as("source"), col("position"), col("error").as("reason"), col("raw")));
      }
      return outcomes.into(StageResult.builder())
          .metric("files", parsed.select("file").distinct().count())
          .build();
    } finally {
      parsed.unpersist();
    }
  }

  /** A record whose doc_id was already seen earlier in this run (same file listed twice, repeated ids) is rejected. */
  private static Dataset<Row> markDuplicates(Dataset<Row> parsed) {
    WindowSpec byId = Window.partitionBy("doc_id").orderBy(col("file"), col("ordinal"));
    Column isDocument = col("error").isNull().and(col("drop_reason").isNull());
    Column rank = row_number().over(byId);
    Column firstAt = first(concat(col("file"), lit(" "), col("position"))).over(byId);
    return parsed
        .withColumn("_rank", when(isDocument, rank))
        .withColumn("_first", when(isDocument, firstAt))
        .withColumn("error", when(coalesce(col("_rank"), lit(1)).gt(1),
            concat(lit("duplicate record id '"), col("source_id"), lit("' (first at "), col("_first"), lit(")")))
            .otherwise(col("error")))
        .withColumn("raw", when(coalesce(col("_rank"), lit(1)).gt(1), col("text")).otherwise(col("raw")))
        .drop("_rank", "_first");
  }

  /** Every parsed record's outcome in one pass: quarantined (an error), dropped (a reason) or a document. */
  private static ReasonTally outcomes(Dataset<Row> parsed) {
    ReasonTally tally = new ReasonTally();
    for (Row row : parsed.groupBy(col("error").isNotNull().as("quarantined"), col("drop_reason")).count()
        .collectAsList()) {
      if (row.getBoolean(0)) {
        tally.quarantine(row.getLong(2));
      } else if (row.isNullAt(1)) {
        tally.keep(row.getLong(2));
      } else {
        tally.drop(row.getString(1), row.getLong(2));
      }
    }
    return tally;
  }
}
