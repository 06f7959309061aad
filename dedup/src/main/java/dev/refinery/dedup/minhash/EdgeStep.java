package dev.refinery.dedup.minhash;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.udf;

import dev.refinery.core.spark.Checkpoints;
import dev.refinery.core.table.DedupSchemas;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;
import scala.collection.immutable.Seq;

/**
 * Step 2 of MinHash: candidate edges ({@code minhash_edges}). Documents sharing a band's bucket are
 * candidates. A bucket of up to {@code dedup-minhash.all-pairs-max-bucket} documents gives all its pairs, so
 * verification can drop one dissimilar member without cutting the similar ones apart; a larger bucket of n
 * documents gives n - 1 edges, each document to the bucket's centre, its smallest {@code doc_key} (a star),
 * never n^2 pairs. The centre and size come from a window over the bucket, whose rows Spark buffers with
 * spilling, so a boilerplate bucket of a million documents takes one task's time but bounded memory (no
 * {@code collect_list}). Partitioning and sorting on the numeric bucket key and {@code doc_key} keeps a
 * one-long radix sort (a string key would not).
 * Edges are then verified (none / MinHash estimate / exact Jaccard) against the threshold.
 */
public final class EdgeStep {
  /** Rough bytes per candidate document id when deciding whether the ids fit in a broadcast. */
  private static final long BYTES_PER_ID = 64;

  private EdgeStep() {}

  /**
   * Candidate (src, dst) doc_id pairs with src > dst, distinct, before verification.
   *
   * @param allPairsMaxBucket buckets of at most this many documents give all their pairs, larger ones a star
   */
  public static Dataset<Row> candidates(Dataset<Row> signatures, int allPairsMaxBucket) {
    WindowSpec bucket = Window.partitionBy("bucket");
    // Members of shared buckets only: a few rows per duplicate, however large the corpus. One scan and one
    // shuffle; the window sees a bucket's rows through Spark's spillable buffer, so a huge bucket costs
    // one task time, not memory.
    Dataset<Row> sharedMembers = Checkpoints.of(signatures.select(col("doc_key"), explode(col("buckets")).as("bucket"))
        .select(col("bucket"), col("doc_key"), min("doc_key").over(bucket).as("centre"),
            count(lit(1)).over(bucket).as("size"))
        .where(col("size").gt(1)));
    Dataset<Row> stars = sharedMembers
        .where(col("size").gt(allPairsMaxBucket).and(col("doc_key").notEqual(col("centre"))))
        .select(col("doc_key"), col("centre").as("other"));
    Dataset<Row> small = sharedMembers.where(col("size").leq(allPairsMaxBucket)).select("bucket", "doc_key");
    Dataset<Row> pairs = small.join(small.withColumnRenamed("doc_key", "other"), "bucket")
        .where(col("doc_key").gt(col("other")))
        .select("doc_key", "other");
    Dataset<Row> keyEdges = stars.union(pairs).distinct();
    Dataset<Row> ids = signatures.select("doc_key", "doc_id");
    return keyEdges
        .join(ids, "doc_key")
        .join(ids.withColumnRenamed("doc_key", "other").withColumnRenamed("doc_id", "other_id"), "other")
        .select(greatest(col("doc_id"), col("other_id")).as("src"), least(col("doc_id"), col("other_id")).as("dst"));
  }

  /**
   * Keeps the candidate edges that pass {@code verify}, with their similarity: the MinHash estimate, or the
   * exact Jaccard similarity of the two shingle sets (texts joined in; shingled again on the executors, once
   * per document).
   *
   * The documents' texts or signatures are read once, for the candidates' endpoints only, and checkpointed
   * for the two joins.
   *
   * @param candidates columns src, dst; materialised (checkpointed) by the caller, as it is read more than once
   * @param candidateCount rows of {@code candidates} (the caller has counted them already)
   * @param documents columns doc_id, text (needed for {@link MinHashOptions.Verify#EXACT} only)
   */
  public static Dataset<Row> verified(Dataset<Row> candidates, long candidateCount, Dataset<Row> signatures,
      Dataset<Row> documents, MinHashOptions options, String runId) {
    Dataset<Row> scored;
    if (options.verify() == MinHashOptions.Verify.EXACT) {
      Shingler shingler = options.shingler();
      UserDefinedFunction shingles = udf((UDF1<String, long[]>) shingler::shingles,
          DataTypes.createArrayType(DataTypes.LongType, false));
      UserDefinedFunction jaccard = udf((UDF2<Seq<Long>, Seq<Long>, Double>) (a, b) ->
          Shingler.jaccard(toArray(a), toArray(b)), DataTypes.DoubleType);
      Dataset<Row> sets = Checkpoints.of(documents.select("doc_id", "text")
          .join(endpoints(candidates, candidateCount), "doc_id", "left_semi")
          .select(col("doc_id"), shingles.apply(col("text")).as("set")));
      scored = bothEnds(candidates, sets, "set")
          .select(col("src"), col("dst"), jaccard.apply(col("src_set"), col("dst_set")).as("similarity"));
    } else {
      UserDefinedFunction estimate = udf((UDF2<Seq<Long>, Seq<Long>, Double>) (a, b) ->
          MinHasher.estimate(toArray(a), toArray(b)), DataTypes.DoubleType);
      Dataset<Row> sigs = Checkpoints.of(signatures.select("doc_id", "signature")
          .join(endpoints(candidates, candidateCount), "doc_id", "left_semi"));
      scored = bothEnds(candidates, sigs, "signature")
          .select(col("src"), col("dst"), estimate.apply(col("src_signature"), col("dst_signature")).as("similarity"));
    }
    if (options.verify() != MinHashOptions.Verify.NONE) {
      scored = scored.where(col("similarity").geq(options.threshold()));
    }
    Dataset<Row> shaped = scored.select(col("src"), col("dst"), col("similarity"), lit(runId).as("run_id"));
    return shaped.sparkSession().createDataFrame(shaped.rdd(), DedupSchemas.MINHASH_EDGES);
  }

  /**
   * The distinct documents at either end of a candidate edge. Usually a small fraction of the corpus: when
   * they fit under {@code spark.sql.autoBroadcastJoinThreshold} they are broadcast, so the semi-join that
   * picks their texts or signatures streams the corpus once instead of shuffling it.
   */
  private static Dataset<Row> endpoints(Dataset<Row> candidates, long candidateCount) {
    Dataset<Row> ids = candidates.select(col("src").as("doc_id"))
        .union(candidates.select(col("dst").as("doc_id"))).distinct();
    long threshold = candidates.sparkSession().sessionState().conf().autoBroadcastJoinThreshold();
    return threshold > 0 && 2 * candidateCount * BYTES_PER_ID <= threshold ? broadcast(ids) : ids;
  }

  /** Candidates with {@code column} of both ends joined in as src_column and dst_column. */
  private static Dataset<Row> bothEnds(Dataset<Row> candidates, Dataset<Row> perDocument, String column) {
    return candidates
        .join(perDocument.withColumnRenamed("doc_id", "src").withColumnRenamed(column, "src_" + column), "src")
        .join(perDocument.withColumnRenamed("doc_id", "dst").withColumnRenamed(column, "dst_" + column), "dst");
  }

  static long[] toArray(Seq<Long> values) {
    long[] out = new long[values.size()];
    int i = 0;
    scala.collection.Iterator<Long> it = values.iterator();
    while (it.hasNext()) {
      out[i++] = it.next();
    }
    return out;
  }
}
