package dev.refinery.filtering.perplexity;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.StringType;

import dev.refinery.core.error.RefineryException;
import dev.refinery.core.stage.FilteredDocuments;
import dev.refinery.core.stage.ReasonCounts;
import dev.refinery.core.stage.Stage;
import dev.refinery.core.stage.RowsIn;
import dev.refinery.core.stage.StageSpec;
import dev.refinery.core.stage.StageContext;
import dev.refinery.core.stage.StageResult;
import dev.refinery.core.table.Tables;
import dev.refinery.core.text.LmTokenizer;
import dev.refinery.core.text.StableIds;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code perplexity}: scores every document of {@code raw_documents} with an n-gram model and writes
 * {@code scored_documents} (MERGE on {@code doc_id}); when {@code quality-filter} has run, only the documents it
 * kept, with their filtered text.
 *
 * <p>A document is scored line by line ({@link LmTokenizer#sentences}), each line as a KenLM sentence
 * ({@code <s>} context, {@code </s>} predicted); log10 probabilities and token counts ({@code </s>}
 * included) are summed over lines, and perplexity = 10^(-log10 p / tokens), as CCNet does. Documents
 * without tokens (empty, whitespace only) get log10_prob 0, n_tokens 0, no perplexity and no bucket, and
 * drop as {@code no_tokens}. The others fall in head / middle / tail by the run's percentiles or fixed
 * thresholds; buckets outside {@code perplexity.keep-buckets} drop as {@code bucket_<name>}.
 *
 * <p>The model is loaded once per executor JVM ({@link LanguageModels}), not per task or row.
 */
public final class PerplexityStage implements Stage {
  static final StageSpec SPEC = StageSpec.builder("perplexity")
      .reads(Tables.RAW_DOCUMENTS).readsIfPresent(Tables.LM_MODELS, Tables.FILTERED_DOCUMENTS)
      .writes(Tables.SCORED_DOCUMENTS).config("perplexity")
      .description("score documents with the n-gram language model and bucket them by perplexity")
      // Every document is written with its score and a kept flag; rows out are the kept ones.
      .rowsIn(RowsIn.table(Tables.RAW_DOCUMENTS, PerplexityStage::documents))
      .build();

  @Override
  public StageSpec spec() {
    return SPEC;
  }

  static final StructType SCORES = new StructType()
      .add("doc_id", StringType, false)
      .add("log10_prob", DoubleType, false)
      .add("n_tokens", IntegerType, false)
      .add("n_oov", IntegerType, false)
      .add("perplexity", DoubleType, true);

  private final PerplexityOptions options;

  PerplexityStage(PerplexityOptions options) {
    this.options = options;
  }

  /** What is scored: every raw document, or only those quality-filter kept, with their filtered text. */
  static Dataset<Row> documents(StageContext context) {
    return FilteredDocuments.narrow(context, context.read(Tables.RAW_DOCUMENTS).select("doc_id", "text"));
  }

  /** The model to use: the configured path, or the latest {@code lm_models} row. */
  record ModelChoice(String modelId, String path) {}

  ModelChoice chooseModel(StageContext context) {
    if (options.modelPath().isPresent()) {
      String path = options.modelPath().get();
      return new ModelChoice(StableIds.of("lm-file", path), path);
    }
    if (!context.lakehouse().exists(Tables.LM_MODELS)) {
      throw RefineryException.userError(
          "Cannot score documents: no language model. Run lm-train first or set perplexity.model-path to an ARPA file");
    }
    List<Row> latest = context.lakehouse().read(Tables.LM_MODELS)
        .orderBy(col("trained_at").desc(), col("model_id")).limit(1).collectAsList();
    if (latest.isEmpty()) {
      throw RefineryException.userError("Cannot score documents: table lm_models is empty. Run lm-train first");
    }
    Row row = latest.get(0);
    String binary = row.getAs("binary_path");
    return new ModelChoice(row.getAs("model_id"), binary != null ? binary : row.getAs("arpa_path"));
  }

  @Override
  public StageResult run(StageContext context) {
    ModelChoice model = chooseModel(context);
    // Fail on the driver with a clear message before any task starts (and warm the driver's cache).
    LanguageModels.get(model.path());
    String path = model.path();
    Dataset<Row> documents = documents(context);
    Dataset<Row> scores = documents.mapPartitions(
            (MapPartitionsFunction<Row, Row>) rows -> score(rows, path), Encoders.row(SCORES))
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      double[] cuts = cutPoints(scores);
      Column perplexity = col("perplexity");
      Column bucket = when(perplexity.isNull(), lit(null).cast(StringType))
          .when(perplexity.lt(cuts[0]), lit("head"))
          .when(perplexity.lt(cuts[1]), lit("middle"))
          .otherwise(lit("tail"));
      Dataset<Row> bucketed = scores.withColumn("bucket", bucket);
      Column reason = when(col("perplexity").isNull(), lit("no_tokens"))
          .when(col("bucket").isin(options.keepBuckets().toArray()), lit(null).cast(StringType))
          .otherwise(concat(lit("bucket_"), col("bucket")));
      Dataset<Row> out = bucketed.withColumn("drop_reason", reason)
          .withColumn("kept", col("drop_reason").isNull())
          .withColumn("model_id", lit(model.modelId()))
          .withColumn("run_id", lit(context.runId()))
          .select("doc_id", "log10_prob", "n_tokens", "n_oov", "perplexity", "bucket", "kept", "drop_reason",
              "model_id", "run_id");
      Map<String, Long> counts = ReasonCounts.count(out, "drop_reason");
      context.lakehouse().upsert(Tables.SCORED_DOCUMENTS, out, List.of("doc_id"));
      return ReasonCounts.toResult(counts, StageResult.builder())
          .metric("model_id", model.modelId())
          .metric("model_path", model.path())
          .metric("bucket_mode", options.bucketMode().name().toLowerCase(Locale.ROOT))
          .metric("head_below", cuts[0])
          .metric("tail_from", cuts[1])
          .build();
    } finally {
      scores.unpersist();
    }
  }

  /** Perplexities below cuts[0] are head, below cuts[1] middle, the rest tail. */
  double[] cutPoints(Dataset<Row> scores) {
    if (options.bucketMode() == PerplexityOptions.BucketMode.THRESHOLDS) {
      return options.thresholds().clone();
    }
    double[] probabilities = {options.percentiles()[0] / 100.0, options.percentiles()[1] / 100.0};
    double[] cuts = scores.filter(col("perplexity").isNotNull()).stat()
        .approxQuantile("perplexity", probabilities, options.quantileRelativeError());
    if (cuts.length < 2) {
      // No document has tokens: nothing gets a bucket.
      return new double[] {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY};
    }
    return cuts;
  }

  /** Scores one partition with the JVM's cached model. */
  static Iterator<Row> score(Iterator<Row> rows, String modelPath) {
    NgramModel model = LanguageModels.get(modelPath);
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return rows.hasNext();
      }

      @Override
      public Row next() {
        Row row = rows.next();
        NgramModel.SentenceScore score = scoreText(model, row.getString(1));
        Double perplexity = score.tokens() == 0 ? null : score.perplexity();
        return RowFactory.create(row.getString(0), score.log10Prob(), score.tokens(), score.oov(), perplexity);
      }
    };
  }

  /** A document's score: the sum over its non-empty lines. A null text scores like an empty one. */
  public static NgramModel.SentenceScore scoreText(NgramModel model, String text) {
    List<String[]> sentences = text == null ? new ArrayList<>() : LmTokenizer.sentences(text);
    return model.score(sentences);
  }
}
