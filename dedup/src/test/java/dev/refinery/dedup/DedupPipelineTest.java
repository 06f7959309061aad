package dev.refinery.dedup;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.stage.PipelineRun;
import dev.refinery.core.stage.StageCatalog;
import dev.refinery.core.stage.StageRunner;
import dev.refinery.core.table.Lakehouse;
import dev.refinery.core.table.Tables;
import dev.refinery.core.testing.SharedSpark;
import dev.refinery.dedup.NearDupCorpus.Doc;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * The three dedup stages in pipeline order on real text with the real MiniLM model: each method's
 * clusters, the embeddings cache, documents_clean, reconciled counts, and idempotence.
 */
class DedupPipelineTest {
  private final SparkSession spark = SharedSpark.session();

  private static List<Doc> corpus() {
    List<Doc> docs = new ArrayList<>();
    // Clough task a: the Wikipedia source and the 19 answers (cut / light / heavy / non).
    NearDupCorpus.clough().stream().filter(d -> d.id().contains("taska")).forEach(docs::add);
    docs.addAll(NearDupCorpus.wikiText(4, 3));
    // Exact duplicates up to case and spacing.
    docs.add(new Doc("copy/wiki0", "  " + docs.get(docs.size() - 32).text().toUpperCase() + "\n"));
    docs.add(new Doc("copy/orig-a", NearDupCorpus.clough().stream()
        .filter(d -> d.id().equals("clough/orig_taska.txt")).findFirst().orElseThrow().text().replace(" ", "  ")));
    return docs;
  }

  @Test
  void exactThenMinHashThenSemanticBuildDocumentsClean() {
    RefineryConfig config = SharedSpark.config()
        .with("dedup-semantic.model-dir", SharedSpark.repoRoot().resolve("models/all-minilm-l6-v2").toString())
        .with("dedup-semantic.target-cluster-size", 10)
        .with("dedup-semantic.kmeans-max-iterations", 5);
    Lakehouse lakehouse = new Lakehouse(spark, config);
    List<Doc> docs = corpus();
    TestDocuments.writeRaw(spark, lakehouse, docs);
    StageRunner runner = new StageRunner(spark, config, lakehouse, "run-1");
    var stages = StageCatalog.discover().resolve(List.of("dedup-exact", "dedup-minhash", "dedup-semantic"), config);
    assertThat(stages).extracting(s -> s.name()).containsExactly("dedup-exact", "dedup-minhash", "dedup-semantic");

    List<PipelineRun> runs = new ArrayList<>();
    stages.forEach(stage -> runs.add(runner.run(stage)));

    Map<String, Long> nonRepresentatives = new HashMap<>();
    for (Row row : lakehouse.read(Tables.DEDUP_CLUSTERS).where("doc_id != representative")
        .groupBy("method").count().collectAsList()) {
      nonRepresentatives.put(row.getString(0), row.getLong(1));
    }
    // Expected exact drops: the two planted copies plus edits that happened to change nothing.
    Map<String, Integer> sameText = new HashMap<>();
    docs.forEach(d -> sameText.merge(TextNormalization.BASIC.apply(d.text()), 1, Integer::sum));
    long exactDuplicates = sameText.values().stream().mapToLong(n -> n - 1).sum();
    assertThat(exactDuplicates).isGreaterThanOrEqualTo(2);
    assertThat(nonRepresentatives.get("exact")).isEqualTo(exactDuplicates);
    assertThat(nonRepresentatives.get("minhash")).isPositive();
    assertThat(nonRepresentatives.get("semantic")).isPositive();

    // Each stage's counts: in = all candidates, dropped by the first method that drops a document.
    PipelineRun semantic = runs.get(2);
    assertThat(semantic.result().rowsIn()).isEqualTo(docs.size());
    assertThat(semantic.result().droppedByReason()).isEqualTo(Map.of(
        "duplicate_exact", exactDuplicates, "duplicate_minhash", nonRepresentatives.get("minhash"),
        "duplicate_semantic", nonRepresentatives.get("semantic")));
    long clean = lakehouse.read(Tables.DOCUMENTS_CLEAN).count();
    assertThat(semantic.result().rowsOut()).isEqualTo(clean);
    assertThat(runs.get(0).result().droppedByReason()).isEqualTo(Map.of("duplicate_exact", exactDuplicates));

    // documents_clean = candidates that are representatives for every method.
    Set<String> dropped = new TreeSet<>(lakehouse.read(Tables.DEDUP_CLUSTERS).where("doc_id != representative")
        .select("doc_id").as(Encoders.STRING()).collectAsList());
    Set<String> cleanIds = new TreeSet<>(lakehouse.read(Tables.DOCUMENTS_CLEAN).select("doc_id")
        .as(Encoders.STRING()).collectAsList());
    assertThat(cleanIds).doesNotContainAnyElementsOf(dropped).hasSize(docs.size() - dropped.size());
    assertThat(lakehouse.read(Tables.DOCUMENTS_CLEAN).select("dedup_methods").first().<String>getList(0))
        .containsExactly("exact", "minhash", "semantic");
    // Later methods only see what earlier ones kept.
    assertThat(lakehouse.read(Tables.DEDUP_CLUSTERS).groupBy("doc_id").count().where("count > 1")
        .join(lakehouse.read(Tables.DEDUP_CLUSTERS).where("doc_id != representative"), "doc_id")
        .where(col("method").equalTo("exact")).count()).isZero();

    // SemDeDup's rule: every semantic duplicate is within 1 - eps of its (kept) representative.
    Map<String, float[]> vectors = new HashMap<>();
    for (Row row : lakehouse.read(Tables.EMBEDDINGS).collectAsList()) {
      List<Float> values = row.getList(row.fieldIndex("embedding"));
      float[] v = new float[values.size()];
      for (int i = 0; i < v.length; i++) {
        v[i] = values.get(i);
      }
      vectors.put(row.getAs("doc_id"), v);
    }
    for (Row row : lakehouse.read(Tables.DEDUP_CLUSTERS).where("method = 'semantic' AND doc_id != representative")
        .collectAsList()) {
      double cosine = 0;
      float[] a = vectors.get(row.<String>getAs("doc_id"));
      float[] b = vectors.get(row.<String>getAs("representative"));
      for (int i = 0; i < a.length; i++) {
        cosine += a[i] * b[i];
      }
      assertThat(cosine).isGreaterThan(1 - 0.07).isCloseTo(row.<Double>getAs("similarity"),
          org.assertj.core.api.Assertions.within(1e-4));
      assertThat(dropped).doesNotContain(row.<String>getAs("representative"));
    }
    assertThat(semantic.result().metrics()).containsEntry("embedded", String.valueOf(vectors.size()));

    // Rerun: nothing re-embedded, identical clusters and clean documents.
    Set<String> clustersBefore = rows(lakehouse, Tables.DEDUP_CLUSTERS);
    PipelineRun again = runner.run(stages.get(2));
    assertThat(again.result().metrics()).containsEntry("embedded", "0");
    assertThat(rows(lakehouse, Tables.DEDUP_CLUSTERS)).isEqualTo(clustersBefore);
    assertThat(again.result().droppedByReason()).isEqualTo(semantic.result().droppedByReason());
    assertThat(lakehouse.read(Tables.DOCUMENTS_CLEAN).count()).isEqualTo(clean);
  }

  private static Set<String> rows(Lakehouse lakehouse, String table) {
    Set<String> out = new TreeSet<>();
    lakehouse.read(table).collectAsList().forEach(r -> out.add(r.toString()));
    return out;
  }
}
