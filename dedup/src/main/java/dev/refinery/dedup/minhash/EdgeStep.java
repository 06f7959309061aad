package dev.refinery.dedup.minhash;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.posexplode;
import static org.apache.spark.sql.functions.udf;

import dev.refinery.core.table.DedupSchemas;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import scala.collection.immutable.Seq;

/**
 * Step 2 of MinHash: candidate edges ({@code minhash_edges}). Each signature is cut into bands; documents
 * sharing a band's bucket are candidates. A bucket of n documents gives n - 1 edges, each document to the
 * bucket's smallest {@code doc_id} (a star), never n^2 pairs. The bucket minimum is a partial aggregate and
 * the edges come from joining each (band, bucket, doc) row to its bucket's single minimum row, so a
 * boilerplate bucket of a million documents streams through one task without being materialised.
 * Edges are then verified (none / MinHash estimate / exact Jaccard) against the threshold.
 */
public final class EdgeStep {
  private EdgeStep() {}

  /** Candidate (src, dst) pairs with src > dst, distinct, before verification. */
  public static Dataset<Row> candidates(Dataset<Row> signatures, LshParameters lsh) {
    int bands = lsh.bands();
    int rows = lsh.rows();
    UserDefinedFunction bandKeys = udf((UDF1<Seq<Long>, long[]>) signature -> {
      long[] values = toArray(signature);
      return MinHasher.bandKeys(values, bands, rows);
    }, DataTypes.createArrayType(DataTypes.LongType, false));
    Dataset<Row> buckets = signatures.where(col("n_shingles").gt(0))
        .select(col("doc_id"), posexplode(bandKeys.apply(col("signature"))).as(new String[] {"band", "bucket"}));
    Dataset<Row> minimum = buckets.groupBy("band", "bucket")
        .agg(min("doc_id").as("dst"), count(lit(1)).as("size"))
        .where(col("size").gt(1))
        .drop("size");
    return buckets.join(minimum, scalaSeq("band", "bucket"))
        .where(col("doc_id").notEqual(col("dst")))
        .select(col("doc_id").as("src"), col("dst"))
        .distinct();
  }

  /**
   * Keeps the candidate edges that pass {@code verify}, with their similarity: the MinHash estimate, or the
   * exact Jaccard similarity of the two shingle sets (texts joined in; shingled again on the executors).
   *
   * @param documents columns doc_id, text (needed for {@link MinHashOptions.Verify#EXACT} only)
   */
  public static Dataset<Row> verified(Dataset<Row> candidates, Dataset<Row> signatures, Dataset<Row> documents,
      MinHashOptions options, String runId) {
    Dataset<Row> scored;
    if (options.verify() == MinHashOptions.Verify.EXACT) {
      Shingler shingler = options.shingler();
      UserDefinedFunction jaccard = udf((UDF2<String, String, Double>) (a, b) ->
          Shingler.jaccard(shingler.shingles(a), shingler.shingles(b)), DataTypes.DoubleType);
      Dataset<Row> texts = documents.select("doc_id", "text");
      scored = candidates
          .join(texts.withColumnRenamed("doc_id", "src").withColumnRenamed("text", "src_text"), "src")
          .join(texts.withColumnRenamed("doc_id", "dst").withColumnRenamed("text", "dst_text"), "dst")
          .select(col("src"), col("dst"), jaccard.apply(col("src_text"), col("dst_text")).as("similarity"));
    } else {
      UserDefinedFunction estimate = udf((UDF2<Seq<Long>, Seq<Long>, Double>) (a, b) ->
          MinHasher.estimate(toArray(a), toArray(b)), DataTypes.DoubleType);
      Dataset<Row> sigs = signatures.select("doc_id", "signature");
      scored = candidates
          .join(sigs.withColumnRenamed("doc_id", "src").withColumnRenamed("signature", "src_sig"), "src")
          .join(sigs.withColumnRenamed("doc_id", "dst").withColumnRenamed("signature", "dst_sig"), "dst")
          .select(col("src"), col("dst"), estimate.apply(col("src_sig"), col("dst_sig")).as("similarity"));
    }
    if (options.verify() != MinHashOptions.Verify.NONE) {
      scored = scored.where(col("similarity").geq(options.threshold()));
    }
    Dataset<Row> shaped = scored.select(col("src"), col("dst"), col("similarity"), lit(runId).as("run_id"));
    return shaped.sparkSession().createDataFrame(shaped.rdd(), DedupSchemas.MINHASH_EDGES);
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

  private static Seq<String> scalaSeq(String... names) {
    return scala.jdk.javaapi.CollectionConverters.asScala(List.of(names)).toSeq();
  }
}
