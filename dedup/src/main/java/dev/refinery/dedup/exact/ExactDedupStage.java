package dev.refinery.dedup.exact;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.udf;

import dev.refinery.core.stage.RowsOut;
import dev.refinery.core.stage.Stage;
import dev.refinery.core.stage.StageContext;
import dev.refinery.core.stage.StageResult;
import dev.refinery.core.stage.StageSpec;
import dev.refinery.core.table.Tables;
import dev.refinery.dedup.CleanDocuments;
import dev.refinery.dedup.ClusterTable;
import dev.refinery.dedup.DedupInputs;
import dev.refinery.dedup.DedupMethod;
import dev.refinery.dedup.Representative;
import dev.refinery.dedup.TextNormalization;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;

/**
 * {@code dedup-exact}: groups documents whose normalised text has the same SHA-256, keeps one
 * representative per group, and rebuilds {@code documents_clean}. One aggregation and one join; a group of
 * any size is handled by Spark's partial aggregation, so a million copies of one boilerplate page are fine.
 */
public final class ExactDedupStage implements Stage {
  static final StageSpec SPEC = StageSpec.builder("dedup-exact")
      .reads(Tables.RAW_DOCUMENTS).readsIfPresent(Tables.FILTERED_DOCUMENTS, Tables.SCORED_DOCUMENTS, Tables.DEDUP_CLUSTERS)
      .writes(Tables.DEDUP_CLUSTERS, Tables.DOCUMENTS_CLEAN).config(Representative.CONFIG_KEY, "dedup-exact")
      .description("exact duplicates by hash of normalised text")
      .rowsIn(DedupInputs.ROWS_IN).rowsOut(RowsOut.committedTo(Tables.DOCUMENTS_CLEAN))
      .build();

  @Override
  public StageSpec spec() {
    return SPEC;
  }

  private final ExactDedupOptions options;

  ExactDedupStage(ExactDedupOptions options) {
    this.options = options;
  }

  @Override
  public StageResult run(StageContext context) {
    TextNormalization normalization = options.normalization();
    UserDefinedFunction normalise =
        udf((UDF1<String, String>) normalization::apply, DataTypes.StringType);
    Dataset<Row> hashed = DedupInputs.candidatesFor(context, DedupMethod.EXACT)
        .select(col("doc_id"), col("perplexity"),
            substring(sha2(normalise.apply(col("text")), 256), 1, 32).as("text_hash"))
        .withColumn("rank", options.representative().rankKey());
    Dataset<Row> groups = hashed.groupBy("text_hash")
        .agg(count(lit(1)).as("cluster_size"), min("rank").getField("doc_id").as("representative"))
        .where(col("cluster_size").gt(1));
    Dataset<Row> clusters = hashed.join(groups, "text_hash").select(
        col("doc_id"), col("text_hash").as("cluster_id"), col("representative"), lit(1.0).as("similarity"),
        col("cluster_size"));
    ClusterTable.replace(context, DedupMethod.EXACT, clusters);
    return CleanDocuments.rebuild(context)
        .metric("normalization", dev.refinery.core.config.RefineryConfig.configName(normalization))
        .metric("representative", dev.refinery.core.config.RefineryConfig.configName(options.representative()))
        .build();
  }
}
