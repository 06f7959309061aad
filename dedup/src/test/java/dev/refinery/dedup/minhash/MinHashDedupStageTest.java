package dev.refinery.dedup.minhash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.stage.PipelineRun;
import dev.refinery.core.stage.StageRunner;
import dev.refinery.core.table.Lakehouse;
import dev.refinery.core.table.Tables;
import dev.refinery.core.testing.SharedSpark;
import dev.refinery.dedup.NearDupCorpus;
import dev.refinery.dedup.NearDupCorpus.Doc;
import dev.refinery.dedup.TestDocuments;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * End to end on real text: the Clough-Stevenson plagiarism corpus plus WikiText paragraphs with controlled
 * edits, against ground truth computed here by exact Jaccard over all pairs with the stage's own shingles.
 */
class MinHashDedupStageTest {
  private static final double THRESHOLD = 0.8;

  private final SparkSession spark = SharedSpark.session();

  private static List<Doc> corpus() {
    List<Doc> docs = new ArrayList<>(NearDupCorpus.clough());
    docs.addAll(NearDupCorpus.wikiText(20, 5));
    return docs;
  }

  /** Pairs of doc ids (a < b) in the same component of the exact-Jaccard >= threshold graph. */
  static Set<List<String>> groundTruthPairs(List<Doc> docs, Shingler shingler, double threshold) {
    List<long[]> shingles = docs.stream().map(d -> shingler.shingles(d.text())).toList();
    int[] parent = new int[docs.size()];
    for (int i = 0; i < parent.length; i++) {
      parent[i] = i;
    }
    for (int i = 0; i < docs.size(); i++) {
      for (int j = i + 1; j < docs.size(); j++) {
        if (Shingler.jaccard(shingles.get(i), shingles.get(j)) >= threshold) {
          parent[find(parent, i)] = find(parent, j);
        }
      }
    }
    Map<Integer, List<String>> groups = new HashMap<>();
    for (int i = 0; i < docs.size(); i++) {
      groups.computeIfAbsent(find(parent, i), k -> new ArrayList<>()).add(TestDocuments.docId(docs.get(i).id()));
    }
    return pairs(groups.values());
  }

  private static int find(int[] parent, int x) {
    while (parent[x] != x) {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
    return x;
  }

  static Set<List<String>> pairs(Iterable<List<String>> groups) {
    Set<List<String>> pairs = new HashSet<>();
    for (List<String> group : groups) {
      List<String> sorted = new ArrayList<>(new TreeSet<>(group));
      for (int i = 0; i < sorted.size(); i++) {
        for (int j = i + 1; j < sorted.size(); j++) {
          pairs.add(List.of(sorted.get(i), sorted.get(j)));
        }
      }
    }
    return pairs;
  }

  private Set<List<String>> predictedPairs(Lakehouse lakehouse) {
    Map<String, List<String>> groups = new HashMap<>();
    for (Row row : lakehouse.read(Tables.DEDUP_CLUSTERS).where("method = 'minhash'")
        .select("cluster_id", "doc_id").collectAsList()) {
      groups.computeIfAbsent(row.getString(0), k -> new ArrayList<>()).add(row.getString(1));
    }
    return pairs(groups.values());
  }

  private static Set<String> clusterRows(Lakehouse lakehouse) {
    Set<String> rows = new TreeSet<>();
    lakehouse.read(Tables.DEDUP_CLUSTERS).collectAsList().forEach(r -> rows.add(r.toString()));
    return rows;
  }

  @Test
  void findsNearDuplicatesOfRealTextAgainstExactJaccardAndIsIdempotent() {
    RefineryConfig config = SharedSpark.config().with("dedup-minhash.verify", "exact");
    Lakehouse lakehouse = new Lakehouse(spark, config);
    List<Doc> docs = corpus();
    TestDocuments.writeRaw(spark, lakehouse, docs);
    MinHashDedupStage stage = (MinHashDedupStage) new MinHashDedupProvider().create(config);
    StageRunner runner = new StageRunner(spark, config, lakehouse, "run-1");

    PipelineRun first = runner.run(stage);

    Set<List<String>> truth = groundTruthPairs(docs, stage.options().shingler(), THRESHOLD);
    Set<List<String>> predicted = predictedPairs(lakehouse);
    Set<List<String>> hits = new HashSet<>(predicted);
    hits.retainAll(truth);
    double precision = (double) hits.size() / predicted.size();
    double recall = (double) hits.size() / truth.size();
    assertThat(truth).hasSizeGreaterThan(50);
    assertThat(precision).as("pair precision").isGreaterThanOrEqualTo(0.95);
    assertThat(recall).as("pair recall").isGreaterThanOrEqualTo(0.9);

    // Counts reconcile: every candidate is either clean or dropped as a MinHash duplicate.
    long duplicates = lakehouse.read(Tables.DEDUP_CLUSTERS).where("doc_id != representative").count();
    assertThat(first.result().rowsIn()).isEqualTo(docs.size());
    assertThat(first.result().droppedByReason()).isEqualTo(Map.of("duplicate_minhash", duplicates));
    assertThat(first.result().rowsOut()).isEqualTo(lakehouse.read(Tables.DOCUMENTS_CLEAN).count())
        .isEqualTo(docs.size() - duplicates);
    // Representatives: smallest doc_id of each cluster without scores.
    for (Row row : lakehouse.read(Tables.DEDUP_CLUSTERS)
        .groupBy("cluster_id", "representative").agg(org.apache.spark.sql.functions.min("doc_id"))
        .collectAsList()) {
      assertThat(row.getString(1)).isEqualTo(row.getString(2));
    }
    assertThat(first.result().metrics()).containsEntry("bands", "16").containsEntry("rows", "8");
    System.out.println("dedup-minhash metrics: " + first.result().metrics());

    Set<String> before = clusterRows(lakehouse);
    runner.run(stage);
    assertThat(clusterRows(lakehouse)).isEqualTo(before);
  }

  @Test
  void representativePrefersLowestPerplexityAndOnlyKeptDocumentsAreCandidates() {
    RefineryConfig config = SharedSpark.config();
    Lakehouse lakehouse = new Lakehouse(spark, config);
    List<Doc> docs = NearDupCorpus.wikiText(3, 9);
    TestDocuments.writeRaw(spark, lakehouse, docs);
    Map<String, Double> perplexity = new HashMap<>();
    Map<String, Boolean> kept = new HashMap<>();
    for (Doc doc : docs) {
      perplexity.put(TestDocuments.docId(doc.id()), doc.id().endsWith("edit-0.01") ? 10.0 : 100.0);
    }
    String droppedByScore = TestDocuments.docId("wiki/2/edit-0.005");
    kept.put(droppedByScore, false);
    TestDocuments.writeScored(spark, lakehouse, perplexity, kept);

    PipelineRun run = new StageRunner(spark, config, lakehouse, "run-1")
        .run(new MinHashDedupProvider().create(config));

    assertThat(run.result().rowsIn()).isEqualTo(docs.size() - 1);
    // Every cluster's representative is its member of lowest perplexity (ties: smallest doc_id).
    Map<String, List<Row>> clusters = new HashMap<>();
    for (Row row : lakehouse.read(Tables.DEDUP_CLUSTERS).collectAsList()) {
      clusters.computeIfAbsent(row.getAs("cluster_id"), k -> new ArrayList<>()).add(row);
    }
    assertThat(clusters).isNotEmpty();
    int wonOnPerplexity = 0;
    for (List<Row> members : clusters.values()) {
      String best = members.stream().map(r -> r.<String>getAs("doc_id"))
          .min(java.util.Comparator.<String, Double>comparing(perplexity::get).thenComparing(id -> id)).orElseThrow();
      assertThat(members).allSatisfy(r -> assertThat(r.<String>getAs("representative")).isEqualTo(best));
      if (perplexity.get(best) == 10.0) {
        wonOnPerplexity++;
      }
    }
    assertThat(wonOnPerplexity).isGreaterThanOrEqualTo(2);
    assertThat(lakehouse.read(Tables.DEDUP_CLUSTERS).where(
        org.apache.spark.sql.functions.col("doc_id").equalTo(droppedByScore)).count()).isZero();
    List<String> clean = lakehouse.read(Tables.DOCUMENTS_CLEAN).select("doc_id").as(
        org.apache.spark.sql.Encoders.STRING()).collectAsList();
    assertThat(clean).doesNotContain(droppedByScore).contains(TestDocuments.docId("wiki/0/edit-0.01"));
    assertThat(lakehouse.read(Tables.DOCUMENTS_CLEAN).where("perplexity = 10.0").count()).isEqualTo(3);
  }
}
