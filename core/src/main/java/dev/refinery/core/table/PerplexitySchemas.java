package dev.refinery.core.table;

import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;

import org.apache.spark.sql.types.StructType;

/** Schemas of the tables written by {@code lm-train} and {@code perplexity}. */
public final class PerplexitySchemas {
  private PerplexitySchemas() {}

  /**
   * {@code lm_models}, key {@code model_id} (hash of the corpus files, their sizes, the order and the
   * tokenizer version). {@code discounts} holds D1, D2, D3+ of each order, lowest order first.
   */
  public static final StructType LM_MODELS = new StructType()
      .add("model_id", StringType, false)
      .add("arpa_path", StringType, false)
      .add("binary_path", StringType, true)
      .add("order", IntegerType, false)
      .add("vocab_size", LongType, false)
      .add("ngram_counts", createArrayType(LongType, false), false)
      .add("discounts", createArrayType(createArrayType(DoubleType, false), false), false)
      .add("corpus_paths", createArrayType(StringType, false), false)
      .add("sentences", LongType, false)
      .add("tokens", LongType, false)
      .add("training_seconds", DoubleType, false)
      .add("trained_at", TimestampType, false)
      .add("run_id", StringType, false);

  /**
   * {@code scored_documents}, key {@code doc_id}. {@code n_tokens} counts words plus one {@code </s>} per
   * scored line (KenLM's convention); {@code perplexity} = 10^(-log10_prob / n_tokens), null when the
   * document has no tokens. {@code bucket} is head, middle or tail (null without tokens).
   */
  public static final StructType SCORED_DOCUMENTS = new StructType()
      .add("doc_id", StringType, false)
      .add("log10_prob", DoubleType, false)
      .add("n_tokens", IntegerType, false)
      .add("n_oov", IntegerType, false)
      .add("perplexity", DoubleType, true)
      .add("bucket", StringType, true)
      .add("kept", BooleanType, false)
      .add("drop_reason", StringType, true)
      .add("model_id", StringType, false)
      .add("run_id", StringType, false);
}
