package dev.refinery.core.stage;

import static org.apache.spark.sql.functions.col;

import dev.refinery.core.table.Tables;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The documents that flow on past {@code quality-filter}. Stages after it (perplexity, dedup) declare
 * {@code filtered_documents} as an optional input; when it is present they see only its kept documents, with its
 * text (PII replaced by placeholders), and without it every raw document as it was ingested.
 */
public final class FilteredDocuments {
  private FilteredDocuments() {}

  public static boolean present(StageContext context) {
    return context.inputVersions().containsKey(Tables.FILTERED_DOCUMENTS);
  }

  /**
   * {@code documents} (rows of {@code raw_documents}, with a {@code text} column) narrowed to the kept filtered
   * documents, their {@code text} replaced by the filtered text; unchanged when the filter has not run.
   */
  public static Dataset<Row> narrow(StageContext context, Dataset<Row> documents) {
    if (!present(context)) {
      return documents;
    }
    Dataset<Row> kept = context.read(Tables.FILTERED_DOCUMENTS).where(col("kept").equalTo(true))
        .select(col("doc_id").as("filtered_doc_id"), col("text").as("filtered_text"));
    Dataset<Row> joined = documents.join(kept, documents.col("doc_id").equalTo(kept.col("filtered_doc_id")));
    List<Column> columns = new ArrayList<>();
    for (String name : documents.columns()) {
      columns.add(name.equals("text") ? joined.col("filtered_text").as("text") : documents.col(name));
    }
    return joined.select(columns.toArray(Column[]::new));
  }
}
