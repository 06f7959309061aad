package dev.refinery.filtering.classifier;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.refinery.core.error.RefineryException;
import dev.refinery.core.table.Lakehouse;
import dev.refinery.core.table.Tables;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.functions;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Scores documents with a quality classifier written by {@code quality-classifier-train}. Models are loaded
 * once per path per JVM: a model path names one model id, whose files a retraining rewrites identically.
 */
public final class QualityClassifierScores {
  private static final Map<String, PipelineModel> MODELS = new ConcurrentHashMap<>();

  private QualityClassifierScores() {}

  /**
   * {@code documents} (doc_id, text) to (doc_id, quality_score): the probability of the positive label, in
   * [0, 1]. A null text scores as the empty text.
   */
  public static Dataset<Row> score(SparkSession spark, String modelPath, Dataset<Row> documents) {
    PipelineModel model = MODELS.computeIfAbsent(modelPath, QualityClassifierScores::load);
    Dataset<Row> input = documents.select(col("doc_id"), coalesce(col("text").cast("string"), lit("")).as("text"));
    return model.transform(input)
        .select(col("doc_id"), functions.vector_to_array(col("probability"), "float64").getItem(1)
            .as("quality_score"));
  }

  /** The model path of the latest row in {@code quality_models} (by trained_at), if the table has one. */
  public static Optional<String> latestModelPath(Lakehouse lakehouse) {
    if (!lakehouse.exists(Tables.QUALITY_MODELS)) {
      return Optional.empty();
    }
    Row[] latest = (Row[]) lakehouse.read(Tables.QUALITY_MODELS)
        .orderBy(col("trained_at").desc(), col("model_id")).select("model_path").limit(1).collect();
    return latest.length == 0 ? Optional.empty() : Optional.of(latest[0].getString(0));
  }

  private static PipelineModel load(String path) {
    try {
      return PipelineModel.load(path);
    } catch (RuntimeException e) {
      throw RefineryException.external(e, "Cannot load quality classifier %s: %s", path, e.getMessage());
    }
  }
}
