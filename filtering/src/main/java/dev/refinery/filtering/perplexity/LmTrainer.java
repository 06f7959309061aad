package dev.refinery.filtering.perplexity;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;

import dev.refinery.core.error.RefineryException;
import dev.refinery.core.text.LmTokenizer;
import dev.refinery.core.text.StableIds;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * Trains a model from a text corpus and writes it as ARPA and binary: corpus lines -> {@link LmTokenizer}
 * tokens -> {@link KneserNeyEstimator} -> {@code <model-dir>/<model_id>/model.arpa} and {@code model.bin}.
 */
public final class LmTrainer {
  /** Bumped when tokenisation or estimation changes, so the model id changes with them. */
  static final String VERSION = "kn-1/tokenizer-1";

  private final SparkSession spark;
  private final LmTrainOptions options;

  public LmTrainer(SparkSession spark, LmTrainOptions options) {
    this.spark = spark;
    this.options = options;
  }

  /** What a training run produced. */
  public record TrainedModel(
      String modelId, String arpaPath, String binaryPath, int order, long vocabularySize, long[] counts,
      double[][] discounts, long lines, long sentences, long tokens, double seconds) {}

  public TrainedModel train() {
    long started = System.nanoTime();
    String modelId = modelId();
    Dataset<Row> lines = spark.read().text(options.corpusPaths().toArray(new String[0]));
    LmTrainOptions opts = options;
    StructType schema = new StructType().add("tokens", createArrayType(StringType, false), false);
    Dataset<Row> tokenized = lines.map(
        (MapFunction<Row, Row>) row -> RowFactory.create((Object) LmTokenizer.tokens(opts.prepare(row.getString(0)))),
        Encoders.row(schema));
    Dataset<Row> sentences = tokenized.filter(size(col("tokens")).gt(0));
    long lineCount = lines.count();
    KneserNeyEstimator.Estimate estimate =
        new KneserNeyEstimator(spark, options.order(), options.discountFallback()).estimate(sentences);
    try {
      String dir = options.modelDir() + "/" + modelId;
      String arpaPath = dir + "/model.arpa";
      String binaryPath = dir + "/model.bin";
      NgramModel model = writeArpa(estimate, arpaPath, modelId);
      writeBinary(model, binaryPath);
      double seconds = (System.nanoTime() - started) / 1e9;
      return new TrainedModel(modelId, arpaPath, binaryPath, estimate.order(), estimate.vocabulary().length,
          estimate.counts(), estimate.discounts(), lineCount, estimate.sentences(), estimate.tokens(), seconds);
    } finally {
      estimate.release();
    }
  }

  /** Streams the n-grams to the driver in (order, ids) order, writing ARPA and building the model. */
  private NgramModel writeArpa(KneserNeyEstimator.Estimate estimate, String path, String modelId) {
    String[] vocabulary = estimate.vocabulary();
    NgramModel.Builder builder = new NgramModel.Builder(estimate.order(), estimate.counts());
    try {
      FileSystem fs = LanguageModels.fileSystem(path);
      try (FSDataOutputStream stream = fs.create(new Path(path), true);
           BufferedWriter writer = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 20)) {
        String comment = "Refinery lm-train " + VERSION + ", model " + modelId + "\nModified Kneser-Ney, order "
            + estimate.order() + ", " + estimate.sentences() + " sentences, " + estimate.tokens() + " tokens";
        ArpaWriter arpa = new ArpaWriter(writer, estimate.counts(), comment);
        Iterator<Row> rows = estimate.ngrams().orderBy("order", "gram").toLocalIterator();
        while (rows.hasNext()) {
          Row row = rows.next();
          List<Integer> ids = row.getList(1);
          String[] words = new String[ids.size()];
          for (int i = 0; i < words.length; i++) {
            words[i] = vocabulary[ids.get(i)];
          }
          float prob = row.getFloat(2);
          float backoff = row.getFloat(3);
          arpa.add(words, prob, backoff);
          builder.add(words, prob, backoff);
        }
        arpa.close();
      }
    } catch (IOException e) {
      throw RefineryException.external(e, "Cannot write ARPA model %s: %s", path, e.getMessage());
    }
    return builder.build();
  }

  private static void writeBinary(NgramModel model, String path) {
    try {
      FileSystem fs = LanguageModels.fileSystem(path);
      try (FSDataOutputStream stream = fs.create(new Path(path), true)) {
        ModelBinary.write(model, Channels.newChannel(stream));
      }
    } catch (IOException e) {
      throw RefineryException.external(e, "Cannot write binary model %s: %s", path, e.getMessage());
    }
  }

  /** Hash of the corpus files (paths and sizes), the order, format, fallback and {@link #VERSION}. */
  String modelId() {
    List<String> parts = new ArrayList<>(List.of("lm", VERSION, String.valueOf(options.order()),
        options.corpusFormat().name(), String.valueOf(options.discountFallback())));
    for (String pattern : options.corpusPaths()) {
      try {
        Path path = new Path(pattern);
        FileStatus[] matches = path.getFileSystem(spark.sparkContext().hadoopConfiguration()).globStatus(path);
        if (matches == null || matches.length == 0) {
          throw RefineryException.userError("Cannot read corpus %s: no such file (lm-train.corpus-paths)", pattern);
        }
        for (FileStatus status : matches) {
          parts.add(status.getPath().getName() + ":" + status.getLen());
        }
      } catch (IOException e) {
        throw RefineryException.external(e, "Cannot list corpus %s: %s", pattern, e.getMessage());
      }
    }
    return StableIds.of(parts.toArray(new String[0]));
  }
}
