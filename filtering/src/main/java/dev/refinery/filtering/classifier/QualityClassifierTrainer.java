package dev.refinery.filtering.classifier;

import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.StringType;

import dev.refinery.core.error.RefineryException;
import dev.refinery.core.text.StableIds;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.feature.HashingTF;
import org.apache.spark.ml.feature.IDF;
import org.apache.spark.ml.feature.NGram;
import org.apache.spark.ml.feature.RegexTokenizer;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * Trains the quality classifier: text -> lower-cased word tokens -> unigrams + bigrams -> HashingTF -> (IDF) ->
 * LogisticRegression, on the train part of the labelled records, and measures ROC AUC of the positive-class
 * probability on the held-out part. The model is saved to {@code <model-dir>/<model_id>}.
 */
public final class QualityClassifierTrainer {
  /** Bumped when the pipeline's shape changes, so the model id changes with it. */
  static final String VERSION = "hashed-ngrams-lr-1";
  /** Words: maximal runs of letters and digits (any script). */
  static final String WORD_PATTERN = "[\\p{L}\\p{N}]+";

  static final StructType RECORDS = new StructType().add("text", StringType, false).add("label", DoubleType, false);

  private final SparkSession spark;
  private final QualityClassifierOptions options;

  public QualityClassifierTrainer(SparkSession spark, QualityClassifierOptions options) {
    this.spark = spark;
    this.options = options;
  }

  /** What a training run produced; {@code heldOutAuc} is empty when the held-out part lacks either class. */
  public record TrainedClassifier(
      String modelId, String modelPath, PipelineModel model, LabelledRecords.Read read, long trainRows,
      long trainPositives, long heldOutRows, long heldOutPositives, OptionalDouble heldOutAuc, double seconds) {}

  /** Reads the labelled files (on the driver). */
  public LabelledRecords.Read read() {
    return LabelledRecords.read(options, spark.sparkContext().hadoopConfiguration());
  }

  public TrainedClassifier train() {
    return train(read());
  }

  public TrainedClassifier train(LabelledRecords.Read read) {
    long started = System.nanoTime();
    List<Row> train = new ArrayList<>();
    List<Row> heldOut = new ArrayList<>();
    long trainPositives = 0;
    long heldOutPositives = 0;
    for (LabelledRecords.Labelled record : read.records()) {
      Row row = RowFactory.create(record.text(), record.label());
      if (record.heldOut()) {
        heldOut.add(row);
        heldOutPositives += record.label() > 0 ? 1 : 0;
      } else {
        train.add(row);
        trainPositives += record.label() > 0 ? 1 : 0;
      }
    }
    if (trainPositives == 0 || trainPositives == train.size()) {
      throw RefineryException.userError(
          "Cannot train quality classifier: the train part has %d records, %d with positive-label '%s'; it needs"
              + " both labels. Check quality-classifier-train.paths, label-field and the labels",
          train.size(), trainPositives, options.positiveLabel());
    }
    String modelId = modelId(read.fingerprint());
    String modelPath = options.modelDir() + "/" + modelId;
    PipelineModel model = pipeline().fit(spark.createDataFrame(train, RECORDS));
    OptionalDouble auc = OptionalDouble.empty();
    if (heldOutPositives > 0 && heldOutPositives < heldOut.size()) {
      Dataset<Row> scored = model.transform(spark.createDataFrame(heldOut, RECORDS));
      auc = OptionalDouble.of(new BinaryClassificationEvaluator().setLabelCol("label")
          .setRawPredictionCol("probability").setMetricName("areaUnderROC").evaluate(scored));
    }
    try {
      model.write().overwrite().save(modelPath);
    } catch (java.io.IOException | RuntimeException e) {
      throw RefineryException.external(e, "Cannot save quality classifier %s: %s", modelPath, e.getMessage());
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    return new TrainedClassifier(modelId, modelPath, model, read, train.size(), trainPositives, heldOut.size(),
        heldOutPositives, auc, seconds);
  }

  Pipeline pipeline() {
    List<PipelineStage> stages = new ArrayList<>();
    stages.add(new RegexTokenizer().setInputCol("text").setOutputCol("words").setGaps(false)
        .setPattern(WORD_PATTERN).setToLowercase(true));
    stages.add(new NGram().setN(2).setInputCol("words").setOutputCol("bigrams"));
    stages.add(new SQLTransformer().setStatement("SELECT *, concat(words, bigrams) AS terms FROM __THIS__"));
    stages.add(new HashingTF().setInputCol("terms").setOutputCol(options.idf() ? "term_counts" : "features")
        .setNumFeatures(options.numFeatures()));
    if (options.idf()) {
      stages.add(new IDF().setInputCol("term_counts").setOutputCol("features"));
    }
    stages.add(new LogisticRegression().setLabelCol("label").setFeaturesCol("features")
        .setRegParam(options.regParam()).setElasticNetParam(options.elasticNet())
        .setMaxIter(options.maxIterations()).setThreshold(options.threshold()));
    return new Pipeline().setStages(stages.toArray(PipelineStage[]::new));
  }

  /** Hash of the files (names and sizes), the label settings, the split and every hyper-parameter. */
  public String modelId(List<String> fingerprint) {
    List<String> parts = new ArrayList<>(List.of("quality-classifier", VERSION, options.format().name(),
        options.textField(), options.labelField(), options.positiveLabel(), options.negativeLabel(),
        String.valueOf(options.heldOutFraction()), String.valueOf(options.seed()),
        String.valueOf(options.numFeatures()), String.valueOf(options.idf()), String.valueOf(options.regParam()),
        String.valueOf(options.elasticNet()), String.valueOf(options.maxIterations()),
        String.valueOf(options.threshold())));
    parts.addAll(fingerprint);
    return StableIds.of(parts.toArray(new String[0]));
  }
}
