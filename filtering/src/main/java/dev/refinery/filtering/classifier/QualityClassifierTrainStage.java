package dev.refinery.filtering.classifier;

import dev.refinery.core.stage.Stage;
import dev.refinery.core.stage.StageContext;
import dev.refinery.core.stage.StageResult;
import dev.refinery.core.stage.StageSpec;
import dev.refinery.core.table.QualityModelSchemas;
import dev.refinery.core.table.Tables;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code quality-classifier-train}: trains the hashed n-gram logistic-regression quality classifier on labelled
 * files, saves it as a Spark ML PipelineModel and records it, with its held-out ROC AUC, in {@code
 * quality_models} (insert-only MERGE on model_id; a rerun with the same files and settings finds the model
 * recorded and saved, and keeps it). Rows in are the labelled records read; rows out are the records used
 * (train plus held-out), as lm-train counts sentences; records with a missing field or an unknown label are
 * quarantined with file and line.
 */
public final class QualityClassifierTrainStage implements Stage {
  static final StageSpec SPEC = StageSpec.builder("quality-classifier-train")
      .writes(Tables.QUALITY_MODELS).config("quality-classifier-train")
      .description("train a hashed n-gram logistic-regression quality classifier (Spark MLlib) on labelled files")
      .build();

  private static final StructType QUARANTINE_ROWS = new StructType()
      .add("source", DataTypes.StringType).add("position", DataTypes.StringType)
      .add("reason", DataTypes.StringType).add("raw", DataTypes.StringType);

  @Override
  public StageSpec spec() {
    return SPEC;
  }

  private final QualityClassifierOptions options;

  QualityClassifierTrainStage(QualityClassifierOptions options) {
    this.options = options;
  }

  @Override
  public StageResult run(StageContext context) {
    var spark = context.spark();
    QualityClassifierTrainer trainer = new QualityClassifierTrainer(spark, options);
    LabelledRecords.Read read = trainer.read();
    List<Row> rejected = new ArrayList<>();
    for (LabelledRecords.Rejected r : read.rejected()) {
      rejected.add(RowFactory.create(r.source(), r.position(), r.reason(), r.raw()));
    }
    if (!rejected.isEmpty()) {
      context.quarantine(spark.createDataFrame(rejected, QUARANTINE_ROWS));
    }
    String modelId = trainer.modelId(read.fingerprint());
    List<Row> recorded = recorded(context, modelId);
    if (!recorded.isEmpty()) {
      // Same files, split and settings: the recorded model is this model. Retraining would only perturb the
      // last digits of the weights and AUC (floating-point order of Spark's aggregations), so a rerun keeps it.
      // The recorded row goes through the same insert-only MERGE (a no-op), so a rerun writes as a first run does.
      context.lakehouse().insertNew(Tables.QUALITY_MODELS,
          spark.createDataFrame(recorded, QualityModelSchemas.QUALITY_MODELS), List.of("model_id"));
      long used = read.records().size();
      return StageResult.builder().rowsIn(read.read()).rowsOut(used).quarantined(rejected.size())
          .metric("model_id", modelId).metric("models", 1).metric("reused", "true").build();
    }
    QualityClassifierTrainer.TrainedClassifier trained = trainer.train(read);
    Row row = RowFactory.create(trained.modelId(), trained.modelPath(), options.paths().toArray(new String[0]),
        trained.trainRows(), trained.trainPositives(), trained.heldOutRows(), trained.heldOutPositives(),
        trained.heldOutAuc().isPresent() ? trained.heldOutAuc().getAsDouble() : null, options.threshold(),
        options.heldOutFraction(), options.seed(), options.numFeatures(), options.idf(), options.regParam(),
        options.elasticNet(), options.maxIterations(), Timestamp.from(Instant.now()),
        context.runId());
    // Insert-only MERGE on model_id.
    context.lakehouse().insertNew(Tables.QUALITY_MODELS,
        spark.createDataFrame(List.of(row), QualityModelSchemas.QUALITY_MODELS), List.of("model_id"));
    return StageResult.builder()
        .rowsIn(read.read())
        .rowsOut(trained.trainRows() + trained.heldOutRows())
        .quarantined(rejected.size())
        .metric("model_id", trained.modelId())
        .metric("model_path", trained.modelPath())
        .metric("models", 1)
        .metric("train_rows", trained.trainRows())
        .metric("held_out_rows", trained.heldOutRows())
        .metric("held_out_auc", trained.heldOutAuc().isPresent()
            ? String.format(Locale.ROOT, "%.4f", trained.heldOutAuc().getAsDouble()) : "n/a")
        .metric("training_seconds", String.format(Locale.ROOT, "%.2f", trained.seconds()))
        .build();
  }

  /** This model's row in quality_models, if it is there and its saved files still are; else empty. */
  private static List<Row> recorded(StageContext context, String modelId) {
    if (!context.lakehouse().exists(Tables.QUALITY_MODELS)) {
      return List.of();
    }
    List<Row> rows = context.lakehouse().read(Tables.QUALITY_MODELS)
        .where(org.apache.spark.sql.functions.col("model_id").equalTo(modelId))
        .select(java.util.Arrays.stream(QualityModelSchemas.QUALITY_MODELS.fieldNames())
            .map(org.apache.spark.sql.functions::col).toArray(org.apache.spark.sql.Column[]::new))
        .collectAsList();
    if (rows.isEmpty()) {
      return List.of();
    }
    org.apache.hadoop.fs.Path metadata = new org.apache.hadoop.fs.Path(rows.get(0).<String>getAs("model_path"), "metadata");
    try {
      boolean saved = metadata.getFileSystem(context.spark().sparkContext().hadoopConfiguration()).exists(metadata);
      return saved ? rows : List.of();
    } catch (java.io.IOException e) {
      return List.of();
    }
  }
}
