package dev.refinery.dedup;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.refinery.core.stage.StageContext;
import dev.refinery.core.table.DedupSchemas;
import dev.refinery.core.table.Tables;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Writes one method's rows of {@code dedup_clusters}. A method's clusters are derived in full on every run,
 * so its rows are replaced as a whole ({@code replaceWhere method = ...}): a document that stopped being a
 * duplicate loses its row, and the other methods' rows are untouched. A rerun writes the same rows.
 */
public final class ClusterTable {
  private ClusterTable() {}

  /**
   * @param clusters columns doc_id, cluster_id, representative, similarity, cluster_size
   */
  public static void replace(StageContext context, DedupMethod method, Dataset<Row> clusters) {
    Dataset<Row> rows = clusters.select(
        col("doc_id"),
        lit(method.value()).as("method"),
        col("cluster_id"),
        col("representative"),
        col("similarity").cast("double"),
        col("cluster_size").cast("long"),
        lit(context.runId()).as("run_id"));
    Dataset<Row> shaped = context.spark().createDataFrame(rows.rdd(), DedupSchemas.DEDUP_CLUSTERS);
    context.lakehouse().createIfAbsent(Tables.DEDUP_CLUSTERS, DedupSchemas.DEDUP_CLUSTERS);
    context.lakehouse().replaceWhere(Tables.DEDUP_CLUSTERS, shaped, "method = '" + method.value() + "'");
  }
}
