package dev.refinery.dedup;

import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.when;

import dev.refinery.core.stage.ReasonCounts;
import dev.refinery.core.stage.StageContext;
import dev.refinery.core.stage.StageResult;
import dev.refinery.core.table.DedupSchemas;
import dev.refinery.core.table.Tables;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Derives {@code documents_clean} in full: the candidates ({@link DedupInputs#candidates}) that are the
 * representative of their group for every method present in {@code dedup_clusters}. Every dedup stage ends
 * by calling this, so the table is right whichever subset of the methods ran, in whichever order.
 *
 * <p>Counts: rows in = candidates; rows out = clean documents; every other candidate is dropped under the
 * reason of the first method (exact, MinHash, semantic) that drops it, so in = out + dropped exactly.
 */
public final class CleanDocuments {
  private CleanDocuments() {}

  public static StageResult.Builder rebuild(StageContext context) {
    Dataset<Row> candidates = DedupInputs.candidates(context);
    Dataset<Row> clusters = context.lakehouse().read(Tables.DEDUP_CLUSTERS);
    // The first method (in DedupMethod order) that drops the document; encoded as its ordinal to take min.
    Column methodRank = lit(-1);
    for (DedupMethod method : DedupMethod.values()) {
      methodRank = when(col("method").equalTo(method.value()), lit(method.ordinal())).otherwise(methodRank);
    }
    Dataset<Row> drops = clusters.where(col("doc_id").notEqual(col("representative")))
        .groupBy("doc_id").agg(min(methodRank).as("first_method"));
    Column reason = lit(null).cast("string");
    for (DedupMethod method : DedupMethod.values()) {
      reason = when(col("first_method").equalTo(method.ordinal()), lit(method.dropReason())).otherwise(reason);
    }
    Dataset<Row> tagged = candidates.join(drops, "doc_id", "left").withColumn("reason", reason).cache();
    try {
      Map<String, Long> counts = ReasonCounts.count(tagged, "reason");
      List<String> methods = new ArrayList<>();
      for (Row row : clusters.select(array_sort(collect_set("method"))).collectAsList()) {
        methods.addAll(row.getList(0));
      }
      Dataset<Row> clean = tagged.where(col("reason").isNull()).select(
          col("doc_id"), col("source"), col("source_id"), col("text"), col("meta"), col("perplexity"),
          org.apache.spark.sql.functions.array(methods.stream().map(m -> lit(m)).toArray(Column[]::new))
              .cast("array<string>").as("dedup_methods"),
          lit(context.runId()).as("run_id"));
      context.lakehouse().overwrite(Tables.DOCUMENTS_CLEAN,
          context.spark().createDataFrame(clean.rdd(), DedupSchemas.DOCUMENTS_CLEAN));
      return ReasonCounts.toResult(counts, StageResult.builder());
    } finally {
      tagged.unpersist();
    }
  }
}
