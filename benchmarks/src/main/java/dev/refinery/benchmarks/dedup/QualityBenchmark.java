package dev.refinery.benchmarks.dedup;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.stage.PipelineRun;
import dev.refinery.core.stage.StageRunner;
import dev.refinery.core.table.Lakehouse;
import dev.refinery.core.table.Tables;
import dev.refinery.core.testing.SharedSpark;
import dev.refinery.dedup.NearDupCorpus;
import dev.refinery.dedup.NearDupCorpus.Doc;
import dev.refinery.dedup.TestDocuments;
import dev.refinery.dedup.minhash.MinHashDedupProvider;
import dev.refinery.dedup.minhash.MinHashOptions;
import dev.refinery.dedup.minhash.Shingler;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * MinHash quality at threshold 0.8 against exact Jaccard ground truth (all pairs, same shingles), with
 * verify = none / estimate / exact. Truth and prediction are both transitive groups (components), scored
 * as pairs of documents in the same group; a doc-level score (is the document dropped) is given as well.
 * Args: [wikiBases] (default 60) [falsePositiveWeight] (default: the config's, 0.2).
 */
public final class QualityBenchmark {
  public static void main(String[] args) {
    int wikiBases = args.length > 0 ? Integer.parseInt(args[0]) : 60;
    SparkSession spark = Bench.spark();
    List<Doc> docs = new ArrayList<>(NearDupCorpus.clough());
    docs.addAll(NearDupCorpus.wikiText(wikiBases, 5));
    RefineryConfig base = Bench.config();
    if (args.length > 1) {
      double fp = Double.parseDouble(args[1]);
      base = base.with("dedup-minhash.false-positive-weight", fp).with("dedup-minhash.false-negative-weight", 1 - fp);
    }
    Shingler shingler = MinHashOptions.from(base).shingler();
    double threshold = 0.8;

    long t0 = System.nanoTime();
    List<long[]> shingles = docs.stream().map(d -> shingler.shingles(d.text())).toList();
    int[] parent = new int[docs.size()];
    for (int i = 0; i < parent.length; i++) {
      parent[i] = i;
    }
    long directPairs = 0;
    for (int i = 0; i < docs.size(); i++) {
      for (int j = i + 1; j < docs.size(); j++) {
        if (Shingler.jaccard(shingles.get(i), shingles.get(j)) >= threshold) {
          directPairs++;
          parent[find(parent, i)] = find(parent, j);
        }
      }
    }
    Map<Integer, List<String>> truthGroups = new HashMap<>();
    for (int i = 0; i < docs.size(); i++) {
      truthGroups.computeIfAbsent(find(parent, i), k -> new ArrayList<>()).add(TestDocuments.docId(docs.get(i).id()));
    }
    Set<List<String>> truth = PairMetrics.pairsOfGroups(truthGroups.values());
    double truthSeconds = (System.nanoTime() - t0) / 1e9;

    Map<String, Object> result = Bench.result("dedup-minhash-quality");
    result.put("documents", docs.size());
    result.put("sets", "clough-stevenson (100) + WikiText-2 paragraphs x 7 controlled edit rates (" + wikiBases
        + " bases)");
    result.put("threshold", threshold);
    result.put("ground_truth", Map.of("pairs_jaccard_at_least_threshold", directPairs,
        "pairs_in_same_component", truth.size(), "seconds_all_pairs", Bench.round(truthSeconds, 2)));
    Map<String, Object> modes = new LinkedHashMap<>();
    for (String verify : List.of("none", "estimate", "exact")) {
      RefineryConfig config = base.with("lakehouse.root", SharedSpark.newLakehouse().toString())
          .with("dedup-minhash.verify", verify);
      Lakehouse lakehouse = new Lakehouse(spark, config);
      TestDocuments.writeRaw(spark, lakehouse, docs);
      long start = System.nanoTime();
      PipelineRun run = new StageRunner(spark, config, lakehouse, "bench")
          .run(new MinHashDedupProvider().create(config));
      double seconds = (System.nanoTime() - start) / 1e9;
      Map<String, List<String>> groups = new HashMap<>();
      for (Row row : lakehouse.read(Tables.DEDUP_CLUSTERS).select("cluster_id", "doc_id").collectAsList()) {
        groups.computeIfAbsent(row.getString(0), k -> new ArrayList<>()).add(row.getString(1));
      }
      Map<String, Object> mode = new LinkedHashMap<>(PairMetrics.of(truth, PairMetrics.pairsOfGroups(groups.values()))
          .toMap());
      mode.put("stage_seconds", Bench.round(seconds, 1));
      mode.put("bands", run.result().metrics().get("bands"));
      mode.put("rows", run.result().metrics().get("rows"));
      mode.put("edges", run.result().metrics().get("edges"));
      modes.put("verify_" + verify, mode);
    }
    result.put("minhash", modes);
    result.put("goal", "pair F1 >= 0.95");
    result.put("false_positive_weight", base.getDouble("dedup-minhash.false-positive-weight"));
    Bench.print(result, args.length > 1 ? "quality-fpw-" + args[1] + ".json" : "quality.json");
    spark.stop();
  }

  private static int find(int[] parent, int x) {
    while (parent[x] != x) {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
    return x;
  }
}
