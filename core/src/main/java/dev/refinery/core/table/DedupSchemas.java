package dev.refinery.core.table;

import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.FloatType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;
import static org.apache.spark.sql.types.DataTypes.createMapType;

import org.apache.spark.sql.types.StructType;

/** Schemas of the deduplication tables (written by the dedup-exact, dedup-minhash and dedup-semantic stages). */
public final class DedupSchemas {
  private DedupSchemas() {}

  /**
   * One row per document that belongs to a duplicate group of size two or more, per method
   * ({@code exact}, {@code minhash}, {@code semantic}). Key: {@code doc_id}, {@code method}. Documents
   * in no group have no row. A document is dropped by a method when {@code doc_id != representative}.
   * {@code similarity}: 1.0 for exact; for MinHash the Jaccard similarity (exact or estimated, per
   * {@code dedup-minhash.verify}) of the document's edge into its component (1.0 for the representative);
   * for semantic the cosine similarity to the kept item it duplicates (1.0 for kept items).
   */
  public static final StructType DEDUP_CLUSTERS = new StructType()
      .add("doc_id", StringType, false)
      .add("method", StringType, false)
      .add("cluster_id", StringType, false)
      .add("representative", StringType, false)
      .add("similarity", DoubleType, false)
      .add("cluster_size", LongType, false)
      .add("run_id", StringType, false);

  /**
   * MinHash signatures. Key: {@code doc_id}. {@code signature} has {@code dedup-minhash.num-perm} values;
   * {@code buckets} one LSH bucket key per band (salted with the band, so one key space for all bands; empty
   * for a document without shingles). {@code doc_key}: a number unique within this run's table (task and
   * row), so buckets are grouped and joined on numbers rather than strings; not stable across runs.
   */
  public static final StructType MINHASH_SIGNATURES = new StructType()
      .add("doc_id", StringType, false)
      .add("doc_key", LongType, false)
      .add("signature", createArrayType(LongType, false), false)
      .add("buckets", createArrayType(LongType, false), false)
      .add("n_shingles", IntegerType, false)
      .add("run_id", StringType, false);

  /**
   * Candidate edges from LSH buckets, each a document to its bucket's centre (the member with the smallest
   * {@code doc_key}: a star), after verification. Key: {@code src}, {@code dst} ({@code src > dst}).
   */
  public static final StructType MINHASH_EDGES = new StructType()
      .add("src", StringType, false)
      .add("dst", StringType, false)
      .add("similarity", DoubleType, false)
      .add("run_id", StringType, false);

  /** Sentence embeddings, L2-normalised. Key: {@code doc_id}, {@code model}. */
  public static final StructType EMBEDDINGS = new StructType()
      .add("doc_id", StringType, false)
      .add("model", StringType, false)
      .add("text_hash", StringType, false)
      .add("embedding", createArrayType(FloatType, false), false)
      .add("run_id", StringType, false);

  /**
   * Documents that survive filtering and every dedup method that ran. Key: {@code doc_id}. Lineage:
   * {@code source}, {@code source_id}, {@code perplexity} (null when no scores), {@code dedup_methods}
   * (the methods present in {@code dedup_clusters} when it was derived).
   */
  public static final StructType DOCUMENTS_CLEAN = new StructType()
      .add("doc_id", StringType, false)
      .add("source", StringType, false)
      .add("source_id", StringType, false)
      .add("text", StringType, false)
      .add("meta", createMapType(StringType, StringType), false)
      .add("perplexity", DoubleType, true)
      .add("dedup_methods", createArrayType(StringType, false), false)
      .add("run_id", StringType, false);
}
