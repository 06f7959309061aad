package dev.refinery.benchmarks.perplexity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refinery.core.text.LmTokenizer;
import dev.refinery.filtering.perplexity.PerplexityStage;
import dev.refinery.filtering.perplexity.NgramModel;
import dev.refinery.filtering.perplexity.LmTrainer;
import dev.refinery.filtering.perplexity.LmTrainOptions;
import dev.refinery.filtering.perplexity.LanguageModels;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.spark.sql.SparkSession;

/**
 * The perplexity benchmarks (run by {@code benchmarks/perplexity/run}); prints one JSON object:
 *
 * <ul>
 *   <li>training time of {@code lm-train}'s estimator on all WikiText files under the corpus folder, and on
 *       fractions and multiples of it (how time grows with corpus size);
 *   <li>scoring throughput in tokens/second of {@link NgramModel#score} on one core, against the KenLM
 *       Python module on the same ARPA file and sentences (the harness prints its own timing), as a ratio;
 *   <li>ROC AUC of negative perplexity against the human good/bad labels of the DCLM sample.
 * </ul>
 *
 * Arguments: corpus folder, DCLM folder, python interpreter, work folder.
 */
public final class PerplexityBenchmark {
  private PerplexityBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path corpusDir = Path.of(args[0]);
    Path dclmDir = Path.of(args[1]);
    String python = args[2];
    Path work = Files.createDirectories(Path.of(args[3]));
    int order = args.length > 4 ? Integer.parseInt(args[4]) : 5;
    ObjectMapper json = new ObjectMapper();
    ObjectNode out = json.createObjectNode();
    out.put("cores", Runtime.getRuntime().availableProcessors());
    out.put("order", order);

    List<String> corpus = new ArrayList<>();
    List<Path> files = new ArrayList<>();
    try (var stream = Files.list(corpusDir)) {
      stream.filter(p -> p.getFileName().toString().startsWith("wikitext")).sorted().forEach(files::add);
    }
    for (Path file : files) {
      corpus.addAll(readLines(file));
    }
    out.set("corpus_files", json.valueToTree(files.stream().map(p -> p.getFileName().toString()).toList()));

    SparkSession spark = SparkSession.builder().master("local[*]").appName("perplexity-benchmark")
        .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions",
            String.valueOf(Math.max(2, Runtime.getRuntime().availableProcessors() * 2)))
        .config("spark.driver.host", "127.0.0.1").getOrCreate();
    spark.sparkContext().setLogLevel("ERROR");

    // Training time by corpus size: fractions and multiples of all WikiText here.
    ArrayNode training = out.putArray("training");
    LmTrainer.TrainedModel full = null;
    double[] scales = {0.25, 0.5, 1.0, 2.0};
    // Warm-up (JIT, Spark start-up) on a small slice, not reported.
    train(spark, work.resolve("warmup"), corpus.subList(0, corpus.size() / 20), order);
    for (double scale : scales) {
      List<String> lines = scaled(corpus, scale);
      LmTrainer.TrainedModel model = train(spark, work.resolve("scale-" + scale), lines, order);
      ObjectNode row = training.addObject();
      row.put("scale", scale);
      row.put("lines", model.lines());
      row.put("tokens", model.tokens());
      row.put("ngrams", Arrays.stream(model.counts()).sum());
      row.put("seconds", round(model.seconds()));
      row.put("tokens_per_second", Math.round(model.tokens() / model.seconds()));
      String lmplz = System.getenv("REFINERY_LMPLZ");
      if (lmplz != null && !lmplz.isBlank()) {
        // Baseline: KenLM's lmplz (single machine, C++) on the same tokens.
        Path tokenized = work.resolve("scale-" + scale).resolve("tokenized.txt");
        List<String> lines2 = new ArrayList<>();
        for (String line : lines) {
          String[] tokens = LmTokenizer.tokens(new LmTrainOptions(List.of("x"), LmTrainOptions.CorpusFormat.WIKITEXT,
              order, "", List.of()).prepare(line));
          if (tokens.length > 0) {
            lines2.add(String.join(" ", tokens));
          }
        }
        Files.write(tokenized, lines2, StandardCharsets.UTF_8);
        Path arpa = work.resolve("scale-" + scale).resolve("lmplz.arpa");
        long start = System.nanoTime();
        Process process = new ProcessBuilder(lmplz, "-o", String.valueOf(order), "--discount_fallback", "-S", "20%",
            "-T", work.toString()).redirectInput(tokenized.toFile()).redirectOutput(arpa.toFile())
            .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (process.waitFor() != 0) {
          throw new IOException("lmplz failed");
        }
        double lmplzSeconds = (System.nanoTime() - start) / 1e9;
        row.put("lmplz_seconds", round(lmplzSeconds));
        row.put("ratio_refinery_over_lmplz_seconds", round(model.seconds() / lmplzSeconds));
        row.set("arpa_vs_lmplz", json.readTree(run(python, "python/perplexity/compare_arpa.py", model.arpaPath(),
            arpa.toString())).deepCopy());
        ((ObjectNode) row.get("arpa_vs_lmplz")).remove(List.of("a", "b", "per_order"));
      }
      if (scale == 1.0) {
        full = model;
      }
    }
    out.put("model_arpa", full.arpaPath());
    out.set("full_counts", json.valueToTree(full.counts()));
    out.set("full_discounts", json.valueToTree(full.discounts()));

    // Scoring throughput on the same sentences, one core each.
    List<String> sentences = new ArrayList<>();
    for (String line : readLines(corpusDir.resolve("wikitext-2.valid.txt.gz"))) {
      for (String[] tokens : LmTokenizer.sentences(line)) {
        sentences.add(String.join(" ", tokens));
      }
    }
    for (String line : readLines(corpusDir.resolve("wikitext-2-raw.test.raw.gz"))) {
      for (String[] tokens : LmTokenizer.sentences(line)) {
        sentences.add(String.join(" ", tokens));
      }
    }
    Path sentenceFile = work.resolve("sentences.txt");
    Files.write(sentenceFile, sentences, StandardCharsets.UTF_8);
    NgramModel model = LanguageModels.load(full.arpaPath());
    List<String[]> split = sentences.stream().map(s -> s.split(" ")).toList();
    long tokens = split.stream().mapToLong(s -> s.length + 1).sum();
    double best = Double.MAX_VALUE;
    double checksum = 0;
    for (int round = 0; round < 5; round++) {
      long start = System.nanoTime();
      double total = 0;
      for (String[] s : split) {
        total += model.score(s).log10Prob();
      }
      best = Math.min(best, (System.nanoTime() - start) / 1e9);
      checksum = total;
    }
    // Tokenizing the raw lines too (what the stage does per document), for reference.
    long tokenizeStart = System.nanoTime();
    long tokenizedTokens = 0;
    for (String s : sentences) {
      tokenizedTokens += LmTokenizer.tokens(s).length;
    }
    double tokenizeSeconds = (System.nanoTime() - tokenizeStart) / 1e9;
    String kenlmJson = run(python, "python/perplexity/kenlm_score.py", full.arpaPath(), sentenceFile.toString(), "--bench");
    JsonNode kenlm = json.readTree(kenlmJson);
    ObjectNode scoring = out.putObject("scoring");
    scoring.put("sentences", sentences.size());
    scoring.put("tokens", tokens);
    scoring.put("refinery_seconds", round(best));
    scoring.put("refinery_tokens_per_second", Math.round(tokens / best));
    scoring.put("refinery_tokenize_tokens_per_second", Math.round(tokenizedTokens / tokenizeSeconds));
    scoring.put("kenlm_seconds", round(kenlm.get("seconds").asDouble()));
    scoring.put("kenlm_tokens_per_second", Math.round(kenlm.get("tokens_per_second").asDouble()));
    scoring.put("ratio_refinery_over_kenlm", round(tokens / best / kenlm.get("tokens_per_second").asDouble()));
    scoring.put("checksum_difference", Math.abs(checksum - kenlm.get("checksum").asDouble()));

    // ROC AUC of -perplexity against human labels (1 = good).
    ObjectNode auc = out.putObject("dclm_roc_auc");
    for (String name : new String[] {"majority_data.jsonl.gz", "agreement_data.jsonl.gz"}) {
      List<double[]> scored = new ArrayList<>();
      for (String line : readLines(dclmDir.resolve(name))) {
        JsonNode doc = json.readTree(line);
        NgramModel.SentenceScore score = PerplexityStage.scoreText(model, doc.get("text").asText());
        double perplexity = score.tokens() == 0 ? Double.POSITIVE_INFINITY : score.perplexity();
        scored.add(new double[] {-perplexity, doc.get("label").asInt()});
      }
      ObjectNode row = auc.putObject(name.replace(".jsonl.gz", ""));
      row.put("documents", scored.size());
      row.put("positives", scored.stream().filter(s -> s[1] == 1).count());
      row.put("roc_auc", round(rocAuc(scored)));
    }
    spark.stop();
    System.out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(out));
  }

  private static LmTrainer.TrainedModel train(SparkSession spark, Path dir, List<String> lines, int order)
      throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve("corpus.txt");
    Files.write(file, lines, StandardCharsets.UTF_8);
    LmTrainOptions options = new LmTrainOptions(List.of(file.toString()), LmTrainOptions.CorpusFormat.WIKITEXT, order,
        dir.resolve("models").toString(), List.of(0.5, 1.0, 1.5));
    return new LmTrainer(spark, options).train();
  }

  private static List<String> scaled(List<String> corpus, double scale) {
    if (scale <= 1) {
      return corpus.subList(0, (int) (corpus.size() * scale));
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < (int) scale; i++) {
      out.addAll(corpus);
    }
    return out;
  }

  /** Mann-Whitney AUC with ties counted half. Rows are (score, label). */
  public static double rocAuc(List<double[]> rows) {
    List<double[]> sorted = new ArrayList<>(rows);
    sorted.sort((a, b) -> Double.compare(a[0], b[0]));
    double rankSumPositive = 0;
    long positives = 0;
    int i = 0;
    while (i < sorted.size()) {
      int j = i;
      while (j < sorted.size() && sorted.get(j)[0] == sorted.get(i)[0]) {
        j++;
      }
      double averageRank = (i + 1 + j) / 2.0;
      for (int k = i; k < j; k++) {
        if (sorted.get(k)[1] == 1) {
          rankSumPositive += averageRank;
          positives++;
        }
      }
      i = j;
    }
    long negatives = sorted.size() - positives;
    return (rankSumPositive - positives * (positives + 1) / 2.0) / (positives * (double) negatives);
  }

  private static List<String> readLines(Path file) throws IOException {
    List<String> out = new ArrayList<>();
    var in = Files.newInputStream(file);
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(
        file.toString().endsWith(".gz") ? new GZIPInputStream(in) : in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        out.add(line);
      }
    }
    return out;
  }

  private static String run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IOException("Command failed: " + String.join(" ", command));
    }
    return output;
  }

  private static double round(double value) {
    return Math.round(value * 1e4) / 1e4;
  }
}
