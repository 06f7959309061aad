package dev.refinery.benchmarks.dedup;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.udf;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.stage.PipelineRun;
import dev.refinery.core.stage.StageRunner;
import dev.refinery.core.table.Lakehouse;
import dev.refinery.core.table.Tables;
import dev.refinery.core.testing.SharedSpark;
import dev.refinery.dedup.NearDupCorpus;
import dev.refinery.dedup.NearDupCorpus.PlantedDoc;
import dev.refinery.dedup.TestDocuments;
import dev.refinery.dedup.minhash.MinHashDedupProvider;
import dev.refinery.dedup.minhash.ConnectedComponents;
import dev.refinery.dedup.minhash.EdgeStep;
import dev.refinery.dedup.minhash.MinHashOptions;
import dev.refinery.dedup.minhash.SignatureStep;
import dev.refinery.dedup.minhash.Shingler;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.ml.feature.MinHashLSH;
import org.apache.spark.ml.feature.MinHashLSHModel;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;

/**
 * Speed on documents of real length (random WikiText sentences, 10 per document; 10% of documents are
 * edited copies): Refinery's dedup-minhash stage (signatures, edges, components, every Delta write
 * included) vs Spark MLlib MinHashLSH + approxSimilarityJoin on the same documents and shingles, in the
 * same run. Recall is measured on the planted families: every pair inside a family with exact Jaccard >=
 * 0.8 should be found (same cluster for Refinery, a joined pair for MLlib).
 * Args: [documents] [mllibHashTables (0: skip MLlib)] [verify] [config.key=value ...].
 */
public final class SpeedBenchmark {
  public static void main(String[] args) {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int tables = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    String verify = args.length > 2 ? args[2] : "exact";
    SparkSession spark = Bench.spark();
    CpuTime cpu = CpuTime.install(spark);
    List<PlantedDoc> planted = NearDupCorpus.sentenceDocuments(count, 10, 0.1, 0.1, 11);
    RefineryConfig config = Bench.config().with("dedup-minhash.verify", verify);
    for (int i = 3; i < args.length; i++) {
      String[] setting = args[i].split("=", 2);
      config = config.with(setting[0], setting[1]);
    }
    Shingler shingler = MinHashOptions.from(config).shingler();

    // Ground truth on the planted families (original + its copies): pairs with exact Jaccard >= 0.8.
    Map<String, List<PlantedDoc>> families = new HashMap<>();
    long words = 0;
    for (PlantedDoc doc : planted) {
      families.computeIfAbsent(doc.copyOf() == null ? doc.id() : doc.copyOf(), k -> new ArrayList<>()).add(doc);
      words += doc.text().split(" ").length;
    }
    Set<List<String>> truth = new HashSet<>();
    for (List<PlantedDoc> family : families.values()) {
      for (int i = 0; i < family.size(); i++) {
        for (int j = i + 1; j < family.size(); j++) {
          if (Shingler.jaccard(shingler.shingles(family.get(i).text()), shingler.shingles(family.get(j).text()))
              >= 0.8) {
            String a = TestDocuments.docId(family.get(i).id());
            String b = TestDocuments.docId(family.get(j).id());
            truth.add(a.compareTo(b) < 0 ? List.of(a, b) : List.of(b, a));
          }
        }
      }
    }
    Lakehouse lakehouse = new Lakehouse(spark, config);
    List<NearDupCorpus.Doc> docs = planted.stream().map(d -> new NearDupCorpus.Doc(d.id(), d.text())).toList();
    TestDocuments.writeRaw(spark, lakehouse, docs);
    Dataset<Row> raw = lakehouse.read(Tables.RAW_DOCUMENTS).select("doc_id", "text").cache();
    raw.count();

    Map<String, Object> result = Bench.result("dedup-minhash-speed");
    result.put("documents", count);
    result.put("mean_words_per_document", Bench.round((double) words / count, 1));
    result.put("true_pairs", truth.size());

    // Refinery.
    cpu.reset();
    long start = System.nanoTime();
    PipelineRun run = new StageRunner(spark, config, lakehouse, "bench").run(new MinHashDedupProvider().create(config));
    double refinerySeconds = (System.nanoTime() - start) / 1e9;
    double refineryCpu = cpu.seconds(spark);
    Map<String, List<String>> groups = new HashMap<>();
    for (Row row : lakehouse.read(Tables.DEDUP_CLUSTERS).select("cluster_id", "doc_id").collectAsList()) {
      groups.computeIfAbsent(row.getString(0), k -> new ArrayList<>()).add(row.getString(1));
    }
    Set<List<String>> found = PairMetrics.pairsOfGroups(groups.values());
    found.retainAll(truth);
    Map<String, Object> refinery = new LinkedHashMap<>();
    refinery.put("verify", verify);
    refinery.put("wall_seconds", Bench.round(refinerySeconds, 1));
    refinery.put("task_cpu_seconds", Bench.round(refineryCpu, 1));
    refinery.put("docs_per_second", Bench.round(count / refinerySeconds, 0));
    refinery.put("docs_per_cpu_second", Bench.round(count / refineryCpu, 0));
    refinery.put("recall", Bench.round((double) found.size() / truth.size(), 4));
    refinery.put("stage_metrics", run.result().metrics());
    result.put("refinery_minhash", refinery);

    // The same production steps with nothing written: local checkpoints instead of Delta tables between them
    // and no documents_clean, so the figure is the algorithm's alone, like MLlib's below.
    cpu.reset();
    start = System.nanoTime();
    MinHashOptions options = MinHashOptions.from(config);
    Dataset<Row> signatures = SignatureStep.signatures(raw, shingler, options.hasher(), options.lsh(), "bench")
        .localCheckpoint();
    Dataset<Row> candidates = EdgeStep.candidates(signatures, options.allPairsMaxBucket()).localCheckpoint();
    Dataset<Row> edges = EdgeStep.verified(candidates, candidates.count(), signatures, raw, options, "bench").localCheckpoint();
    List<Row> members = ConnectedComponents.run(edges, options.maxRounds()).components().collectAsList();
    double stepsSeconds = (System.nanoTime() - start) / 1e9;
    double stepsCpu = cpu.seconds(spark);
    Map<String, List<String>> stepGroups = new HashMap<>();
    members.forEach(row -> stepGroups.computeIfAbsent(row.getString(1), k -> new ArrayList<>()).add(row.getString(0)));
    Set<List<String>> stepFound = PairMetrics.pairsOfGroups(stepGroups.values());
    stepFound.retainAll(truth);
    Map<String, Object> steps = new LinkedHashMap<>();
    steps.put("wall_seconds", Bench.round(stepsSeconds, 1));
    steps.put("task_cpu_seconds", Bench.round(stepsCpu, 1));
    steps.put("docs_per_second", Bench.round(count / stepsSeconds, 0));
    steps.put("recall", Bench.round((double) stepFound.size() / truth.size(), 4));
    result.put("refinery_minhash_steps_no_delta", steps);
    if (tables == 0) {
      Bench.print(result, "speed-" + count + "-refinery-only.json");
      spark.stop();
      return;
    }

    // Spark MLlib MinHashLSH on the same shingles (hashed to 2^30 indices).
    cpu.reset();
    start = System.nanoTime();
    UserDefinedFunction features = udf((UDF1<String, org.apache.spark.ml.linalg.Vector>) text -> {
      long[] hashes = shingler.shingles(text);
      int[] indices = new int[hashes.length];
      for (int i = 0; i < hashes.length; i++) {
        indices[i] = (int) (hashes[i] & ((1 << 30) - 1));
      }
      indices = java.util.Arrays.stream(indices).sorted().distinct().toArray();
      double[] ones = new double[indices.length];
      java.util.Arrays.fill(ones, 1.0);
      return Vectors.sparse(1 << 30, indices, ones);
    }, SQLDataTypes.VectorType());
    Dataset<Row> vectors = raw.select(col("doc_id"), features.apply(col("text")).as("features"));
    MinHashLSHModel model = new MinHashLSH().setNumHashTables(tables).setSeed(42).setInputCol("features")
        .setOutputCol("hashes").fit(vectors);
    List<Row> pairs = model.approxSimilarityJoin(vectors, vectors, 0.2, "distance")
        .where(col("datasetA.doc_id").lt(col("datasetB.doc_id")))
        .select(col("datasetA.doc_id"), col("datasetB.doc_id")).collectAsList();
    double mllibSeconds = (System.nanoTime() - start) / 1e9;
    double mllibCpu = cpu.seconds(spark);
    Set<List<String>> mllibFound = new HashSet<>();
    pairs.forEach(r -> mllibFound.add(List.of(r.getString(0), r.getString(1))));
    long mllibPairs = mllibFound.size();
    mllibFound.retainAll(truth);
    Map<String, Object> mllib = new LinkedHashMap<>();
    mllib.put("num_hash_tables", tables);
    mllib.put("wall_seconds", Bench.round(mllibSeconds, 1));
    mllib.put("task_cpu_seconds", Bench.round(mllibCpu, 1));
    mllib.put("docs_per_second", Bench.round(count / mllibSeconds, 0));
    mllib.put("docs_per_cpu_second", Bench.round(count / mllibCpu, 0));
    mllib.put("pairs_returned", mllibPairs);
    mllib.put("recall", Bench.round((double) mllibFound.size() / truth.size(), 4));
    result.put("mllib_minhashlsh", mllib);
    result.put("speedup_wall", Bench.round(mllibSeconds / refinerySeconds, 2));
    result.put("speedup_wall_steps_no_delta", Bench.round(mllibSeconds / stepsSeconds, 2));
    result.put("speedup_cpu", Bench.round(mllibCpu / refineryCpu, 2));
    result.put("goal", ">= 10x faster at equal or better recall; >= 1000 docs/s per core");
    Bench.print(result, "speed-" + count + ".json");
    spark.stop();
  }
}
