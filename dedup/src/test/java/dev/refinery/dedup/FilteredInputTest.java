package dev.refinery.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.stage.PipelineRun;
import dev.refinery.core.stage.StageCatalog;
import dev.refinery.core.stage.StageRunner;
import dev.refinery.core.table.Lakehouse;
import dev.refinery.core.table.QualitySchemas;
import dev.refinery.core.table.Tables;
import dev.refinery.core.testing.SharedSpark;
import dev.refinery.dedup.NearDupCorpus.Doc;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** Dedup after quality-filter: only kept documents are candidates, and they carry the filtered (redacted) text. */
class FilteredInputTest {
  private final SparkSession spark = SharedSpark.session();

  @Test
  void dedupSeesOnlyKeptDocumentsWithTheirRedactedText() {
    RefineryConfig config = SharedSpark.config();
    Lakehouse lakehouse = new Lakehouse(spark, config);
    String body = "Please write to %s about the delayed order, and we will refund the shipping within a week.";
    List<Doc> docs = List.of(
        new Doc("mail/alice", body.formatted("alice.smith@example.com")),
        new Doc("mail/bob", body.formatted("bob@example.org")),
        new Doc("spam/one", "buy buy buy buy buy"));
    TestDocuments.writeRaw(spark, lakehouse, docs);
    String redacted = body.formatted("<EMAIL>");
    lakehouse.overwrite(Tables.FILTERED_DOCUMENTS, spark.createDataFrame(List.of(
        RowFactory.create(TestDocuments.docId("mail/alice"), redacted, true, null, "filter-run"),
        RowFactory.create(TestDocuments.docId("mail/bob"), redacted, true, null, "filter-run"),
        RowFactory.create(TestDocuments.docId("spam/one"), "buy buy buy buy buy", false, "gopher_min_words",
            "filter-run")), QualitySchemas.FILTERED_DOCUMENTS));

    PipelineRun run = new StageRunner(spark, config, lakehouse, "run-1")
        .run(StageCatalog.discover().resolve(List.of("dedup-exact"), config).get(0));

    // The two mails differ only in their address: once redacted they are exact duplicates.
    assertThat(run.result().rowsIn()).isEqualTo(2);
    assertThat(run.result().droppedByReason()).containsEntry("duplicate_exact", 1L);
    List<Row> clean = lakehouse.read(Tables.DOCUMENTS_CLEAN).select("doc_id", "text").collectAsList();
    assertThat(clean).hasSize(1);
    assertThat(clean.get(0).getString(1)).isEqualTo(redacted).doesNotContain("@example");
    assertThat(clean.get(0).getString(0)).isNotEqualTo(TestDocuments.docId("spam/one"));
  }
}
