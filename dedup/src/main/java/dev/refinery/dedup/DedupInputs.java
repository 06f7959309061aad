package dev.refinery.dedup;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.refinery.core.stage.FilteredDocuments;
import dev.refinery.core.stage.RowsIn;
import dev.refinery.core.stage.StageContext;
import dev.refinery.core.table.Tables;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The documents dedup works on. With {@code filtered_documents} (an optional input) only those quality-filter kept,
 * with their filtered text ({@link FilteredDocuments}). With {@code scored_documents} (another) the candidates are
 * the scored rows with {@code kept = true}, carrying their perplexity; without it, a null perplexity. Columns: doc_id, source, source_id, text, meta, perplexity.
 */
public final class DedupInputs {
  private DedupInputs() {}

  /**
   * Rows in of every dedup stage: all candidates, since each rebuilds {@code documents_clean} in full and drops
   * under the reason of the first method that removes a document ({@link CleanDocuments}).
   */
  public static final RowsIn ROWS_IN = RowsIn.table(Tables.RAW_DOCUMENTS, DedupInputs::candidates);

  public static boolean hasScores(StageContext context) {
    return context.inputVersions().containsKey(Tables.SCORED_DOCUMENTS);
  }

  /** Every candidate document (before any dedup method). */
  public static Dataset<Row> candidates(StageContext context) {
    Dataset<Row> raw = FilteredDocuments.narrow(context, context.read(Tables.RAW_DOCUMENTS)
        .select(col("doc_id"), col("source"), col("source_id"), col("text"), col("meta")));
    if (!hasScores(context)) {
      return raw.withColumn("perplexity", lit(null).cast("double"));
    }
    Dataset<Row> kept = context.read(Tables.SCORED_DOCUMENTS)
        .where(col("kept").equalTo(true))
        .select(col("doc_id"), col("perplexity").cast("double").as("perplexity"));
    return raw.join(kept, "doc_id");
  }

  /**
   * Candidates that no method before {@code method} dropped: the input of {@code method}. Reads
   * {@code dedup_clusters} at the version captured at the stage's start.
   */
  public static Dataset<Row> candidatesFor(StageContext context, DedupMethod method) {
    Dataset<Row> candidates = candidates(context);
    if (method.ordinal() == 0 || !context.inputVersions().containsKey(Tables.DEDUP_CLUSTERS)) {
      return candidates;
    }
    List<String> earlier = java.util.Arrays.stream(DedupMethod.values())
        .filter(m -> m.ordinal() < method.ordinal()).map(DedupMethod::value).toList();
    Dataset<Row> dropped = context.read(Tables.DEDUP_CLUSTERS)
        .where(col("method").isin(earlier.toArray()).and(col("doc_id").notEqual(col("representative"))))
        .select("doc_id").distinct();
    return candidates.join(dropped, candidates.col("doc_id").equalTo(dropped.col("doc_id")), "left_anti");
  }
}
