package dev.refinery.dedup.minhash;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.when;

import dev.refinery.core.spark.Checkpoints;
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
 * {@code dedup-minhash}: near-duplicates by MinHash-LSH, in three steps with a Delta table after each:
 * signatures ({@code minhash_signatures}), verified candidate edges ({@code minhash_edges}), connected
 * components ({@code dedup_clusters}, method {@code minhash}); then {@code documents_clean} is rebuilt.
 * Each step reads the previous step's table back, so each can be inspected and sized on its own.
 */
public final class MinHashDedupStage implements Stage {
  static final StageSpec SPEC = StageSpec.builder("dedup-minhash")
      .reads(Tables.RAW_DOCUMENTS).readsIfPresent(Tables.FILTERED_DOCUMENTS, Tables.SCORED_DOCUMENTS, Tables.DEDUP_CLUSTERS)
      .writes(Tables.MINHASH_SIGNATURES, Tables.MINHASH_EDGES, Tables.DEDUP_CLUSTERS, Tables.DOCUMENTS_CLEAN)
      .config(Representative.CONFIG_KEY, "dedup-minhash")
      .description("near duplicates by MinHash-LSH and connected components")
      .rowsIn(DedupInputs.ROWS_IN).rowsOut(RowsOut.committedTo(Tables.DOCUMENTS_CLEAN))
      .build();

  @Override
  public StageSpec spec() {
    return SPEC;
  }

  private final MinHashOptions options;

  MinHashDedupStage(MinHashOptions options) {
    this.options = options;
  }

  public MinHashOptions options() {
    return options;
  }

  @Override
  public StageResult run(StageContext context) {
    var lakehouse = context.lakehouse();
    long start = System.nanoTime();
    Dataset<Row> documents = DedupInputs.candidatesFor(context, DedupMethod.MINHASH);

    context.spark().sparkContext().setJobDescription("dedup-minhash: signatures");
    lakehouse.overwrite(Tables.MINHASH_SIGNATURES,
        SignatureStep.signatures(documents, options.shingler(), options.hasher(), options.lsh(), context.runId()));
    Dataset<Row> signatures = lakehouse.read(Tables.MINHASH_SIGNATURES);
    long signed = System.nanoTime();

    context.spark().sparkContext().setJobDescription("dedup-minhash: candidate edges");
    Dataset<Row> candidates = Checkpoints.of(EdgeStep.candidates(signatures, options.allPairsMaxBucket()));
    long candidateCount = candidates.count();
    lakehouse.overwrite(Tables.MINHASH_EDGES,
        EdgeStep.verified(candidates, candidateCount, signatures, documents, options, context.runId()));
    Dataset<Row> edges = lakehouse.read(Tables.MINHASH_EDGES);
    long edged = System.nanoTime();

    context.spark().sparkContext().setJobDescription("dedup-minhash: connected components");
    ConnectedComponents.Result components = ConnectedComponents.run(edges, options.maxRounds());
    ClusterTable.replace(context, DedupMethod.MINHASH, clusters(components.components(), edges, documents));
    context.spark().sparkContext().setJobDescription(null);
    long clustered = System.nanoTime();

    StageResult.Builder result = CleanDocuments.rebuild(context);
    return result
        .metric("num_perm", options.numPermutations())
        .metric("bands", options.lsh().bands())
        .metric("rows", options.lsh().rows())
        .metric("threshold", options.threshold())
        .metric("verify", options.verify().name().toLowerCase(Locale.ROOT))
        .metric("candidate_edges", candidateCount)
        .metric("edges", edges.count())
        .metric("components_rounds", components.rounds())
        .metric("signatures_ms", (signed - start) / 1_000_000)
        .metric("edges_ms", (edged - signed) / 1_000_000)
        .metric("components_ms", (clustered - edged) / 1_000_000)
        .metric("clean_ms", (System.nanoTime() - clustered) / 1_000_000)
        .build();
  }

  /** Components to cluster rows: representative by the configured rank, similarity from the doc's edges. */
  private Dataset<Row> clusters(Dataset<Row> components, Dataset<Row> edges, Dataset<Row> documents) {
    Dataset<Row> ranked = components
        .join(documents.select("doc_id", "perplexity"), "doc_id")
        .withColumn("rank", options.representative().rankKey());
    Dataset<Row> perComponent = ranked.groupBy("component").agg(
        min("rank").getField("doc_id").as("representative"), count(lit(1)).as("cluster_size"));
    Dataset<Row> similarity = edges.select(col("src").as("doc_id"), col("similarity"))
        .union(edges.select(col("dst").as("doc_id"), col("similarity")))
        .groupBy("doc_id").agg(max("similarity").as("similarity"));
    return ranked.join(perComponent, "component").join(similarity, "doc_id")
        .select(col("doc_id"), col("component").as("cluster_id"), col("representative"),
            when(col("doc_id").equalTo(col("representative")), lit(1.0)).otherwise(col("similarity"))
                .as("similarity"),
            col("cluster_size"));
  }
}
