package dev.refinery.dedup.semantic;

import dev.refinery.core.model.EmbedderFactory;
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
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code dedup-semantic}: SemDeDup in two steps with a Delta table between them: embeddings (cached in
 * {@code embeddings}), then k-means and in-cluster pruning ({@code dedup_clusters}, method
 * {@code semantic}); then {@code documents_clean} is rebuilt. Runs on the documents that exact and
 * MinHash dedup kept (when they ran). The embedder comes from the context ({@link EmbedderFactory}).
 */
public final class SemanticDedupStage implements Stage {
  static final StageSpec SPEC = StageSpec.builder("dedup-semantic")
      .reads(Tables.RAW_DOCUMENTS).readsIfPresent(Tables.FILTERED_DOCUMENTS, Tables.SCORED_DOCUMENTS, Tables.DEDUP_CLUSTERS)
      .writes(Tables.EMBEDDINGS, Tables.DEDUP_CLUSTERS, Tables.DOCUMENTS_CLEAN)
      .config(Representative.CONFIG_KEY, "dedup-semantic")
      .description("semantic duplicates by embeddings, k-means and in-cluster cosine (SemDeDup)")
      .rowsIn(DedupInputs.ROWS_IN).rowsOut(RowsOut.committedTo(Tables.DOCUMENTS_CLEAN))
      .build();

  @Override
  public StageSpec spec() {
    return SPEC;
  }

  private final SemanticOptions options;
  private final int batchSize;

  SemanticDedupStage(SemanticOptions options, int batchSize) {
    this.options = options;
    this.batchSize = batchSize;
  }

  @Override
  public StageResult run(StageContext context) {
    EmbedderFactory factory = context.component(EmbedderFactory.class);
    Dataset<Row> documents = DedupInputs.candidatesFor(context, DedupMethod.SEMANTIC).cache();
    try {
      context.spark().sparkContext().setJobDescription("dedup-semantic: embeddings");
      EmbeddingStep.Counts counts =
          EmbeddingStep.run(context.lakehouse(), documents, factory, batchSize, context.runId());
      Dataset<Row> vectors = documents.select("doc_id", "perplexity")
          .join(EmbeddingStep.read(context.lakehouse(), factory.modelId()), "doc_id");
      long n = counts.embedded() + counts.cached();
      int k = options.clusters(n);
      context.spark().sparkContext().setJobDescription("dedup-semantic: k-means and pruning");
      Dataset<Row> clusters = n < 2
          ? context.spark().createDataFrame(List.of(), SemDeDup.CLUSTER_ROWS)
          : SemDeDup.prune(SemDeDup.cluster(vectors, k, options), options);
      ClusterTable.replace(context, DedupMethod.SEMANTIC, clusters);
      context.spark().sparkContext().setJobDescription(null);
      return CleanDocuments.rebuild(context)
          .metric("model", factory.modelId())
          .metric("embedded", counts.embedded())
          .metric("embeddings_cached", counts.cached())
          .metric("kmeans_k", k)
          .metric("eps", options.eps())
          .metric("order", options.order().name().toLowerCase(Locale.ROOT))
          .build();
    } finally {
      documents.unpersist();
    }
  }
}
