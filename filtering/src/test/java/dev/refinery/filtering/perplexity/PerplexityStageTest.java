package dev.refinery.filtering.perplexity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.stage.PipelineRun;
import dev.refinery.core.stage.StageRunner;
import dev.refinery.core.table.DocumentSchemas;
import dev.refinery.core.table.Lakehouse;
import dev.refinery.core.table.Tables;
import dev.refinery.core.testing.SharedSpark;
import dev.refinery.core.text.StableIds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

class PerplexityStageTest {
  private final SparkSession spark = SharedSpark.session();

  private static Row document(String sourceId, String text) {
    return RowFactory.create(StableIds.docId("test", sourceId), "test", sourceId, text,
        scala.collection.immutable.Map$.MODULE$.empty(), Timestamp.valueOf("2026-01-01 00:00:00"), "ingest-run");
  }

  /** raw_documents with ordinary text, the bad inputs of the issue, and web-like junk. */
  private void writeDocuments(Lakehouse lakehouse) {
    List<Row> rows = new ArrayList<>();
    List<String> wiki = TestModels.wikiLines("wikitext-2-raw.test.raw.gz", 100, 40);
    for (int i = 0; i < wiki.size(); i++) {
      if (!wiki.get(i).isBlank()) {
        rows.add(document("wiki-" + i, wiki.get(i).replace(" @-@ ", "-")));
      }
    }
    rows.add(document("empty", ""));
    rows.add(document("whitespace", "  \n\t \r\n  "));
    rows.add(document("symbols", "!!! ??? ... *** ### @@@ %%%"));
    rows.add(document("oov", "qwxz vbnmq zzxq plkjh"));
    rows.add(document("long", "the film was released in the united states . ".repeat(20_000)));
    rows.add(document("junk", "Click here!!! BUY NOW >>> $$$ 100% FREE <<< login | register | cart (0)"));
    lakehouse.upsert(Tables.RAW_DOCUMENTS, spark.createDataFrame(rows, DocumentSchemas.RAW_DOCUMENTS), List.of("doc_id"));
  }

  private static Map<String, Row> bySourceId(Lakehouse lakehouse) {
    Map<String, Row> out = new HashMap<>();
    for (Row row : lakehouse.read(Tables.SCORED_DOCUMENTS).collectAsList()) {
      out.put(row.getAs("doc_id"), row);
    }
    return out;
  }

  @Test
  void trainsThenScoresDocumentsWithBucketsAndReasons() throws Exception {
    Path corpus = Files.createTempFile("corpus-", ".txt");
    Files.write(corpus, TestModels.wikiLines("wikitext-2-raw.test.raw.gz", 0, 60));
    RefineryConfig config = SharedSpark.config()
        .with("lm-train.corpus-paths", List.of(corpus.toString()))
        .with("lm-train.order", 2);
    Lakehouse lakehouse = new Lakehouse(spark, config);
    writeDocuments(lakehouse);

    PipelineRun train = new StageRunner(spark, config, lakehouse, "run-1").run(new LmTrainStageProvider().create(config));
    assertThat(train.result().rowsIn()).isEqualTo(60);
    Row model = lakehouse.read(Tables.LM_MODELS).head();
    assertThat((int) model.getAs("order")).isEqualTo(2);
    assertThat(Files.exists(Path.of((String) model.getAs("arpa_path")))).isTrue();
    assertThat(((String) model.getAs("binary_path"))).startsWith(lakehouse.root() + "/models/lm/");

    int loadsBefore = LanguageModels.loads();
    PerplexityStage stage = (PerplexityStage) new PerplexityStageProvider().create(config);
    PipelineRun run = new StageRunner(spark, config, lakehouse, "run-2").run(stage);
    // One load in this JVM (driver and local executor share it), however many partitions were scored.
    assertThat(LanguageModels.loads() - loadsBefore).isEqualTo(1);

    long documents = lakehouse.read(Tables.RAW_DOCUMENTS).count();
    assertThat(run.result().rowsIn()).isEqualTo(documents);
    assertThat(run.result().rowsOut() + run.result().droppedByReason().values().stream().mapToLong(Long::longValue).sum())
        .isEqualTo(documents);
    assertThat(run.result().droppedByReason()).containsEntry("no_tokens", 2L).containsKey("bucket_tail");

    Map<String, Row> scored = bySourceId(lakehouse);
    assertThat(scored).hasSize((int) documents);
    Row empty = scored.get(StableIds.docId("test", "empty"));
    assertThat((int) empty.getAs("n_tokens")).isZero();
    assertThat((Double) empty.getAs("perplexity")).isNull();
    assertThat((String) empty.getAs("bucket")).isNull();
    assertThat((String) empty.getAs("drop_reason")).isEqualTo("no_tokens");
    assertThat((boolean) empty.getAs("kept")).isFalse();
    assertThat((String) scored.get(StableIds.docId("test", "whitespace")).getAs("drop_reason")).isEqualTo("no_tokens");

    // Symbols are tokens: scored, with a perplexity and a bucket.
    Row symbols = scored.get(StableIds.docId("test", "symbols"));
    assertThat((int) symbols.getAs("n_tokens")).isEqualTo(22);
    assertThat((Double) symbols.getAs("perplexity")).isPositive();
    // Out-of-vocabulary only: every word is <unk>, the worst bucket.
    Row oov = scored.get(StableIds.docId("test", "oov"));
    assertThat((int) oov.getAs("n_oov")).isEqualTo(4);
    assertThat((String) oov.getAs("bucket")).isEqualTo("tail");
    // A very long single-line document is scored in full.
    Row longDoc = scored.get(StableIds.docId("test", "long"));
    assertThat((int) longDoc.getAs("n_tokens")).isEqualTo(9 * 20_000 + 1);
    assertThat((Double) longDoc.getAs("perplexity")).isLessThan((Double) oov.getAs("perplexity"));

    // Percentile buckets: 30% head, 30% middle, 40% tail of the scored documents (approximately).
    long scoredCount = scored.values().stream().filter(r -> r.getAs("bucket") != null).count();
    long head = scored.values().stream().filter(r -> "head".equals(r.getAs("bucket"))).count();
    assertThat(head).isBetween((long) (scoredCount * 0.2), (long) (scoredCount * 0.4));
    for (Row row : scored.values()) {
      assertThat((boolean) row.getAs("kept")).isEqualTo(row.getAs("drop_reason") == null);
      double perplexity = row.getAs("perplexity") == null ? Double.NaN : row.getAs("perplexity");
      if ((int) row.getAs("n_tokens") > 0) {
        assertThat(perplexity).isCloseTo(Math.pow(10, -(double) row.getAs("log10_prob") / (int) row.getAs("n_tokens")),
            org.assertj.core.api.Assertions.within(1e-9 * perplexity));
      }
    }

    // Rerun: same rows (MERGE on doc_id), same counts.
    PipelineRun again = new StageRunner(spark, config, lakehouse, "run-2").run(stage);
    assertThat(again.result().rowsOut()).isEqualTo(run.result().rowsOut());
    assertThat(lakehouse.read(Tables.SCORED_DOCUMENTS).count()).isEqualTo(documents);
    assertThat(lakehouse.read(Tables.SCORED_DOCUMENTS).except(
        spark.createDataFrame(new ArrayList<>(scored.values()), lakehouse.read(Tables.SCORED_DOCUMENTS).schema())).count())
        .isZero();

    // Fixed thresholds and a KenLM ARPA file given by path.
    RefineryConfig fixed = config.with("perplexity.bucket-mode", "thresholds")
        .with("perplexity.thresholds", List.of(100.0, 1000.0))
        .with("perplexity.keep-buckets", List.of("head", "middle", "tail"))
        .with("perplexity.model-path", TestModels.resource("test.arpa"));
    PipelineRun withFile = new StageRunner(spark, fixed, lakehouse, "run-3").run(new PerplexityStageProvider().create(fixed));
    assertThat(withFile.result().droppedByReason()).containsOnlyKeys("no_tokens");
    for (Row row : bySourceId(lakehouse).values()) {
      Double perplexity = row.getAs("perplexity");
      String expected = perplexity == null ? null : perplexity < 100 ? "head" : perplexity < 1000 ? "middle" : "tail";
      assertThat((String) row.getAs("bucket")).isEqualTo(expected);
    }
  }

  @Test
  void afterQualityFilterOnlyKeptDocumentsAreScoredWithTheirFilteredText() {
    RefineryConfig config = SharedSpark.config().with("perplexity.model-path", TestModels.resource("test.arpa"));
    Lakehouse lakehouse = new Lakehouse(spark, config);
    writeDocuments(lakehouse);
    // quality-filter kept the wiki lines, with one line's text replaced, and dropped everything else.
    List<Row> filtered = new ArrayList<>();
    String replaced = "the film was released in the united states .";
    long keptCount = 0;
    String replacedId = null;
    for (Row raw : lakehouse.read(Tables.RAW_DOCUMENTS).collectAsList()) {
      String sourceId = raw.getAs("source_id");
      boolean kept = sourceId.startsWith("wiki-");
      keptCount += kept ? 1 : 0;
      if (kept && replacedId == null) {
        replacedId = raw.getAs("doc_id");
      }
      String text = raw.getAs("doc_id").equals(replacedId) ? replaced : raw.getAs("text");
      filtered.add(RowFactory.create(raw.getAs("doc_id"), text, kept, kept ? null : "gopher_min_words", "f-1"));
    }
    lakehouse.overwrite(Tables.FILTERED_DOCUMENTS,
        spark.createDataFrame(filtered, dev.refinery.core.table.QualitySchemas.FILTERED_DOCUMENTS));

    PipelineRun run = new StageRunner(spark, config, lakehouse, "run-1")
        .run(new PerplexityStageProvider().create(config));

    assertThat(run.result().rowsIn()).isEqualTo(keptCount);
    Map<String, Row> scored = bySourceId(lakehouse);
    assertThat(scored).hasSize((int) keptCount).containsKey(replacedId)
        .doesNotContainKey(StableIds.docId("test", "junk"));
    // The replaced document was scored on its filtered text: 9 words + </s>.
    assertThat(scored.get(replacedId).<Integer>getAs("n_tokens")).isEqualTo(10);
  }

  @Test
  void withoutAModelTheStageSaysWhatToDo() {
    RefineryConfig config = SharedSpark.config();
    Lakehouse lakehouse = new Lakehouse(spark, config);
    writeDocuments(lakehouse);
    PerplexityStage stage = (PerplexityStage) new PerplexityStageProvider().create(config);
    assertThatThrownBy(() -> new StageRunner(spark, config, lakehouse, "run-1").run(stage))
        .hasMessageContaining("Cannot score documents: no language model. Run lm-train first");
  }

  @Test
  void optionsAreValidatedWithTheirKeys() {
    RefineryConfig config = SharedSpark.config();
    assertThatThrownBy(() -> new PerplexityStageProvider().create(config.with("perplexity.percentiles", List.of(60, 30))))
        .hasMessageContaining("Invalid config key 'perplexity.percentiles'");
    assertThatThrownBy(() -> new PerplexityStageProvider().create(config.with("perplexity.keep-buckets", List.of("top"))))
        .hasMessageContaining("Invalid config key 'perplexity.keep-buckets'");
    assertThatThrownBy(() -> new LmTrainStageProvider().create(config.with("lm-train.order", 0)))
        .hasMessageContaining("Invalid config key 'lm-train.order'");
    assertThatThrownBy(() -> new LmTrainStageProvider().create(config.with("lm-train.discount-fallback", List.of(0.5))))
        .hasMessageContaining("Invalid config key 'lm-train.discount-fallback'");
    LmTrainOptions defaults = LmTrainOptions.from(config);
    assertThat(defaults.order()).isEqualTo(5);
    assertThat(defaults.corpusPaths()).containsExactly("samples/reference-corpus/wikitext-2-raw.test.raw.gz");
    PerplexityOptions perplexity = PerplexityOptions.from(config);
    assertThat(perplexity.percentiles()).containsExactly(30, 60);
    assertThat(perplexity.keepBuckets()).containsExactly("head", "middle");
    assertThat(perplexity.modelPath()).isEmpty();
  }
}
