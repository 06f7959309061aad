package dev.refinery.benchmarks.filtering;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refinery.core.config.RefineryConfig;
import dev.refinery.filtering.classifier.LabelledRecords;
import dev.refinery.filtering.classifier.QualityClassifierOptions;
import dev.refinery.filtering.classifier.QualityClassifierScores;
import dev.refinery.filtering.classifier.QualityClassifierTrainer;
import dev.refinery.filtering.perplexity.LanguageModels;
import dev.refinery.filtering.perplexity.LmTrainOptions;
import dev.refinery.filtering.perplexity.LmTrainer;
import dev.refinery.filtering.perplexity.NgramModel;
import dev.refinery.filtering.perplexity.PerplexityStage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The quality-classifier benchmark (run by {@code benchmarks/filtering/run}): trains {@code
 * quality-classifier-train}'s pipeline at its defaults on the train part of the DCLM human-labelled sample
 * (majority_data), and compares, on the same held-out rows, the ROC AUC of the classifier's positive-class
 * probability with that of -perplexity under a 5-gram trained on all WikiText here (as the perplexity benchmark
 * does). agreement_data is a subset of majority_data (every text of it is there), so it is a test set only
 * where it falls in the held-out part; that part is reported too. Prints JSON and writes it to the output file.
 *
 * <p>Arguments: DCLM folder, WikiText folder, work folder, output file, commit, command.
 */
public final class QualityClassifierBenchmark {
  private QualityClassifierBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path dclm = Path.of(args[0]).toAbsolutePath();
    Path corpusDir = Path.of(args[1]).toAbsolutePath();
    Path work = Files.createDirectories(Path.of(args[2]).toAbsolutePath());
    Path output = Path.of(args[3]);
    ObjectMapper json = new ObjectMapper();
    ObjectNode out = json.createObjectNode();
    out.put("benchmark", "quality-classifier");
    out.put("commit", args[4]);
    out.put("date", Instant.now().atOffset(ZoneOffset.UTC).toLocalDate().toString());
    out.put("command", args[5]);
    out.put("cores", Runtime.getRuntime().availableProcessors());
    out.put("load_average_at_start",
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());

    int cores = Runtime.getRuntime().availableProcessors();
    SparkSession spark = SparkSession.builder().master("local[" + cores + "]").appName("quality-classifier-bench")
        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", String.valueOf(Math.max(2, 2 * cores)))
        .getOrCreate();
    spark.sparkContext().setLogLevel("ERROR");

    // The classifier, at the defaults of conf/application.conf.
    RefineryConfig config = RefineryConfig.defaults()
        .with("lakehouse.root", work.resolve("lakehouse").toString())
        .with("quality-classifier-train.paths", List.of(dclm.resolve("majority_data.jsonl.gz").toString()))
        .with("quality-classifier-train.model-dir", work.resolve("models").toString());
    QualityClassifierOptions options = QualityClassifierOptions.from(config);
    QualityClassifierTrainer.TrainedClassifier trained = new QualityClassifierTrainer(spark, options).train();
    ObjectNode classifier = out.putObject("classifier");
    classifier.put("model_id", trained.modelId());
    classifier.put("num_features", options.numFeatures());
    classifier.put("idf", options.idf());
    classifier.put("reg_param", options.regParam());
    classifier.put("elastic_net", options.elasticNet());
    classifier.put("max_iterations", options.maxIterations());
    classifier.put("held_out_fraction", options.heldOutFraction());
    classifier.put("seed", options.seed());
    classifier.put("train_rows", trained.trainRows());
    classifier.put("train_positives", trained.trainPositives());
    classifier.put("held_out_rows", trained.heldOutRows());
    classifier.put("held_out_positives", trained.heldOutPositives());
    classifier.put("held_out_auc_mllib", round(trained.heldOutAuc().orElse(Double.NaN)));
    classifier.put("train_seconds_including_read_and_save", round(trained.seconds()));

    // The reference: -perplexity of a 5-gram trained on all WikiText in the corpus folder.
    List<String> corpus = new ArrayList<>();
    try (var files = Files.list(corpusDir)) {
      files.filter(p -> p.getFileName().toString().startsWith("wikitext")).sorted()
          .forEach(p -> corpus.add(p.toString()));
    }
    LmTrainer.TrainedModel lm = new LmTrainer(spark, new LmTrainOptions(corpus, LmTrainOptions.CorpusFormat.WIKITEXT,
        5, work.resolve("lm").toString(), List.of(0.5, 1.0, 1.5))).train();
    NgramModel model = LanguageModels.load(lm.arpaPath());
    ObjectNode perplexity = out.putObject("perplexity_model");
    perplexity.set("corpus_files", json.valueToTree(corpus.stream().map(p -> Path.of(p).getFileName().toString())
        .toList()));
    perplexity.put("order", 5);
    perplexity.put("train_seconds", round(lm.seconds()));

    // Every majority_data record, its split, and both scores.
    List<LabelledRecords.Labelled> records =
        LabelledRecords.read(options, spark.sparkContext().hadoopConfiguration()).records();
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < records.size(); i++) {
      rows.add(RowFactory.create("r" + i, records.get(i).text()));
    }
    var documents = spark.createDataFrame(rows, new StructType().add("doc_id", DataTypes.StringType)
        .add("text", DataTypes.StringType));
    Map<String, Double> quality = new HashMap<>();
    for (Row row : QualityClassifierScores.score(spark, trained.modelPath(), documents).collectAsList()) {
      quality.put(row.getString(0), row.getDouble(1));
    }
    List<double[]> classifierHeldOut = new ArrayList<>();
    List<double[]> perplexityHeldOut = new ArrayList<>();
    List<double[]> perplexityAll = new ArrayList<>();
    Map<String, double[]> heldOutScores = new HashMap<>();
    for (int i = 0; i < records.size(); i++) {
      LabelledRecords.Labelled record = records.get(i);
      NgramModel.SentenceScore score = PerplexityStage.scoreText(model, record.text());
      double negativePerplexity = score.tokens() == 0 ? Double.NEGATIVE_INFINITY : -score.perplexity();
      perplexityAll.add(new double[] {negativePerplexity, record.label()});
      if (record.heldOut()) {
        double q = quality.get("r" + i);
        classifierHeldOut.add(new double[] {q, record.label()});
        perplexityHeldOut.add(new double[] {negativePerplexity, record.label()});
        heldOutScores.put(record.text(), new double[] {q, negativePerplexity});
      }
    }
    ObjectNode heldOut = out.putObject("majority_held_out");
    heldOut.put("rows", classifierHeldOut.size());
    heldOut.put("positives", classifierHeldOut.stream().filter(r -> r[1] == 1).count());
    heldOut.put("classifier_roc_auc", round(rocAuc(classifierHeldOut)));
    heldOut.put("negative_perplexity_roc_auc", round(rocAuc(perplexityHeldOut)));
    ObjectNode all = out.putObject("majority_all_rows");
    all.put("rows", perplexityAll.size());
    all.put("negative_perplexity_roc_auc", round(rocAuc(perplexityAll)));

    // agreement_data: only its rows in majority's held-out part are unseen by the classifier.
    QualityClassifierOptions agreementOptions = QualityClassifierOptions.from(config.with(
        "quality-classifier-train.paths", List.of(dclm.resolve("agreement_data.jsonl.gz").toString())));
    LabelledRecords.Read agreement =
        LabelledRecords.read(agreementOptions, spark.sparkContext().hadoopConfiguration());
    Set<String> majorityTexts = new HashSet<>();
    records.forEach(r -> majorityTexts.add(r.text()));
    List<double[]> agreementClassifier = new ArrayList<>();
    List<double[]> agreementPerplexity = new ArrayList<>();
    long inMajority = 0;
    for (LabelledRecords.Labelled record : agreement.records()) {
      inMajority += majorityTexts.contains(record.text()) ? 1 : 0;
      double[] scores = heldOutScores.get(record.text());
      if (scores != null) {
        agreementClassifier.add(new double[] {scores[0], record.label()});
        agreementPerplexity.add(new double[] {scores[1], record.label()});
      }
    }
    ObjectNode agreed = out.putObject("agreement_held_out");
    agreed.put("records", agreement.records().size());
    agreed.put("rejected", agreement.rejected().size());
    agreed.put("records_also_in_majority", inMajority);
    agreed.put("rows_in_majority_held_out", agreementClassifier.size());
    agreed.put("positives", agreementClassifier.stream().filter(r -> r[1] == 1).count());
    agreed.put("classifier_roc_auc", round(rocAuc(agreementClassifier)));
    agreed.put("negative_perplexity_roc_auc", round(rocAuc(agreementPerplexity)));
    spark.stop();

    String text = json.writerWithDefaultPrettyPrinter().writeValueAsString(out);
    Files.createDirectories(output.toAbsolutePath().getParent());
    Files.writeString(output, text + "\n");
    System.out.println(text);
  }

  /** Mann-Whitney AUC with ties counted half: the perplexity benchmark's, so both AUCs are scored alike. */
  static double rocAuc(List<double[]> rows) {
    return dev.refinery.benchmarks.perplexity.PerplexityBenchmark.rocAuc(rows);
  }

  private static double round(double value) {
    return Math.round(value * 10000) / 10000.0;
  }
}
