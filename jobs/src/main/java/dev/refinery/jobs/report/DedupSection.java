package dev.refinery.jobs.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.refinery.core.table.Tables;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Duplicate clusters per dedup method: how many, how big, how many documents each method dropped. */
final class DedupSection {
  static final String ID = "dedup";
  static final String TITLE = "Dedup cluster sizes";
  /** Cluster sizes shown one by one; larger clusters share the last column. */
  private static final int LARGEST_SHOWN = 10;

  private DedupSection() {}

  static ReportSection build(ReportInput input) {
    if (!input.lakehouse().exists(Tables.DEDUP_CLUSTERS)) {
      return ReportSection.missing(ID, TITLE,
          "Not produced yet: dedup_clusters does not exist (stages dedup-exact, dedup-minhash, dedup-semantic).");
    }
    Dataset<Row> clusters = input.lakehouse().read(Tables.DEDUP_CLUSTERS);
    List<Row> perMethod = clusters.groupBy("method")
        .agg(countDistinct("cluster_id").as("clusters"), count(lit(1)).as("documents"),
            sum(when(col("doc_id").notEqual(col("representative")), 1).otherwise(0)).as("dropped"))
        .orderBy("method").collectAsList();
    if (perMethod.isEmpty()) {
      return ReportSection.missing(ID, TITLE, "dedup_clusters is empty: no duplicates found.");
    }
    List<String> blocks = new ArrayList<>();
    List<List<Object>> table = new ArrayList<>();
    perMethod.forEach(r -> table.add(List.of(r.getString(0), r.getLong(1), r.getLong(2), r.getLong(3))));
    blocks.add(Html.table(List.of("method", "clusters", "documents in clusters", "documents dropped"), table));

    List<Row> sizes = clusters.groupBy("method", "cluster_id").count()
        .groupBy(col("method"), col("count").as("size")).count().collectAsList();
    Map<String, Map<Long, Long>> byMethod = new TreeMap<>();
    for (Row r : sizes) {
      long size = Math.min(r.getLong(1), LARGEST_SHOWN + 1);
      byMethod.computeIfAbsent(r.getString(0), k -> new TreeMap<>()).merge(size, r.getLong(2), Long::sum);
    }
    byMethod.forEach((method, counts) -> {
      List<String> labels = new ArrayList<>();
      List<Long> values = new ArrayList<>();
      counts.forEach((size, n) -> {
        labels.add(size > LARGEST_SHOWN ? ">" + LARGEST_SHOWN : String.valueOf(size));
        values.add(n);
      });
      blocks.add("<h3>" + Html.escape(method) + "</h3>");
      blocks.add(Charts.columns(labels, values, "cluster size (documents); bars: number of clusters"));
    });
    return ReportSection.of(ID, TITLE, blocks);
  }
}
