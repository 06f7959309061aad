package dev.refinery.benchmarks.dedup;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.model.Embedder;
import dev.refinery.core.model.EmbedderFactory;
import dev.refinery.core.table.Lakehouse;
import dev.refinery.core.testing.SharedSpark;
import dev.refinery.dedup.NearDupCorpus;
import dev.refinery.dedup.NearDupCorpus.Doc;
import dev.refinery.dedup.TestDocuments;
import dev.refinery.dedup.minhash.MinHashOptions;
import dev.refinery.dedup.minhash.Shingler;
import dev.refinery.dedup.semantic.EmbedderComponentFactory;
import dev.refinery.dedup.semantic.EmbeddingStep;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.SparkSession;

/**
 * Semantic dedup: (1) embeddings/s of the pipeline's embedding step (Spark tasks, batching, Delta write)
 * vs the same DJL/ONNX model called directly in a loop on one thread; (2) on a paraphrase-like set (the
 * Clough-Stevenson answers against their Wikipedia source: cut, light and heavy revision), the fraction of
 * semantic duplicates (cosine > 1 - eps) that MinHash at Jaccard 0.8 cannot see. Args: [documents].
 */
public final class SemanticBenchmark {
  public static void main(String[] args) {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 512;
    SparkSession spark = Bench.spark();
    CpuTime cpu = CpuTime.install(spark);
    RefineryConfig config = Bench.config().with("dedup-semantic.model-dir",
        SharedSpark.repoRoot().resolve("models/all-minilm-l6-v2").toString());
    EmbedderFactory factory = new EmbedderComponentFactory().create(config);
    Embedder embedder = factory.get();
    int batch = config.getInt("dedup-semantic.batch-size");
    List<Doc> docs = new ArrayList<>();
    List<String> paragraphs = NearDupCorpus.wikiParagraphs(30);
    for (int i = 0; i < count; i++) {
      docs.add(new Doc("wiki/p" + i, paragraphs.get(i % paragraphs.size())));
    }
    List<String> texts = docs.stream().map(Doc::text).toList();
    embedder.embed(texts.subList(0, batch)); // warm-up

    Map<String, Object> result = Bench.result("dedup-semantic");
    result.put("documents", count);
    result.put("mean_words", Bench.round(texts.stream().mapToInt(t -> t.split(" ").length).average().orElse(0), 1));
    long start = System.nanoTime();
    for (int from = 0; from < texts.size(); from += batch) {
      embedder.embed(texts.subList(from, Math.min(texts.size(), from + batch)));
    }
    double direct = (System.nanoTime() - start) / 1e9;
    result.put("direct_loop", Map.of("threads", 1, "batch_size", batch, "seconds", Bench.round(direct, 2),
        "embeddings_per_second", Bench.round(count / direct, 1)));

    Lakehouse lakehouse = new Lakehouse(spark, config);
    TestDocuments.writeRaw(spark, lakehouse, docs);
    cpu.reset();
    start = System.nanoTime();
    EmbeddingStep.Counts counts = EmbeddingStep.run(lakehouse, lakehouse.read("raw_documents"), factory, batch,
        "bench");
    double pipeline = (System.nanoTime() - start) / 1e9;
    double pipelineCpu = cpu.seconds(spark);
    int cores = Runtime.getRuntime().availableProcessors();
    Map<String, Object> step = new LinkedHashMap<>();
    step.put("spark_cores", cores);
    step.put("embedded", counts.embedded());
    step.put("seconds", Bench.round(pipeline, 2));
    step.put("embeddings_per_second", Bench.round(count / pipeline, 1));
    step.put("task_cpu_seconds", Bench.round(pipelineCpu, 2));
    step.put("embeddings_per_cpu_second", Bench.round(count / pipelineCpu, 1));
    result.put("pipeline_embedding_step", step);
    result.put("pipeline_vs_direct_wall_ratio", Bench.round(direct / pipeline, 2));

    // Paraphrase-like set.
    Shingler shingler = MinHashOptions.from(config).shingler();
    List<Doc> clough = NearDupCorpus.clough();
    Map<String, Doc> sources = new TreeMap<>();
    clough.stream().filter(d -> d.id().contains("orig_")).forEach(d -> sources.put(d.id().substring(
        d.id().length() - 5, d.id().length() - 4), d));
    Map<String, String> categories = categories();
    List<Doc> answers = clough.stream().filter(d -> !d.id().contains("orig_")).toList();
    List<String> pairTexts = new ArrayList<>();
    for (Doc answer : answers) {
      pairTexts.add(answer.text());
      pairTexts.add(sources.get(task(answer.id())).text());
    }
    float[][] vectors = embedder.embed(pairTexts);
    Map<String, Object> paraphrase = new LinkedHashMap<>();
    for (double eps : new double[] {0.05, 0.07, 0.1, 0.15}) {
      int semantic = 0;
      int missed = 0;
      Map<String, int[]> byCategory = new TreeMap<>();
      for (int i = 0; i < answers.size(); i++) {
        double cosine = dot(vectors[2 * i], vectors[2 * i + 1]);
        double jaccard = Shingler.jaccard(shingler.shingles(pairTexts.get(2 * i)),
            shingler.shingles(pairTexts.get(2 * i + 1)));
        if (cosine > 1 - eps) {
          semantic++;
          int[] c = byCategory.computeIfAbsent(categories.get(answers.get(i).id()), k -> new int[2]);
          c[0]++;
          if (jaccard < 0.8) {
            missed++;
            c[1]++;
          }
        }
      }
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("semantic_duplicates", semantic);
      row.put("missed_by_minhash_0.8", missed);
      row.put("fraction_missed", semantic == 0 ? 0 : Bench.round((double) missed / semantic, 3));
      Map<String, String> cats = new TreeMap<>();
      byCategory.forEach((k, v) -> cats.put(k, v[1] + "/" + v[0] + " missed"));
      row.put("by_category", cats);
      paraphrase.put("eps_" + eps, row);
    }
    result.put("paraphrase_set", "clough-stevenson: 95 answers vs their source (cut/light/heavy/non)");
    result.put("paraphrase", paraphrase);
    Bench.print(result, "semantic.json");
    spark.stop();
  }

  private static String task(String id) {
    int i = id.indexOf("_task");
    return id.substring(i + 5, i + 6);
  }

  private static Map<String, String> categories() {
    Map<String, String> out = new TreeMap<>();
    for (String line : NearDupCorpus.linesOf("samples/near-dup/clough-stevenson-plagiarism/file_information.csv")) {
      String[] parts = line.split(",");
      if (parts.length == 3 && !parts[0].equals("File")) {
        out.put("clough/" + parts[0], parts[2].trim());
      }
    }
    return out;
  }

  private static double dot(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += a[i] * b[i];
    }
    return sum;
  }
}
