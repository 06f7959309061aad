package dev.refinery.jobs.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.stage.PipelineRun;
import dev.refinery.core.stage.StageRunner;
import dev.refinery.core.table.Lakehouse;
import dev.refinery.core.table.Tables;
import dev.refinery.core.testing.SharedSpark;
import dev.refinery.filtering.quality.QualityFilterStageProvider;
import dev.refinery.filtering.quality.QualitySignalsStageProvider;
import dev.refinery.ingest.IngestStageProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quality section on what the real stages wrote: ingest of real C4 pages plus a German page, a page with an
 * email address and a one-line advert, then quality-signals and quality-filter (Gopher preset). Every figure the
 * section shows is checked against the tables.
 */
class QualitySectionTest {
  private static final String GERMAN = "Die Stadt liegt am Ufer des Flusses und ist seit dem Mittelalter ein wichtiger"
      + " Handelsort. Im Sommer kommen viele Besucher, um die alte Kirche, das Rathaus und die engen Gassen der"
      + " Altstadt zu sehen. Die meisten Einwohner arbeiten heute in kleinen Betrieben oder in Schulen.";

  private final SparkSession spark = SharedSpark.session();
  @TempDir Path dir;

  @Test
  void showsLanguagesDropReasonsPiiAndSignalDistributionsOfTheStagesOutput() throws Exception {
    Path extra = dir.resolve("extra.jsonl");
    Files.writeString(extra, String.join("\n",
        "{\"id\": \"german\", \"text\": \"" + GERMAN + "\"}",
        "{\"id\": \"advert\", \"text\": \"Buy now.\"}",
        "{\"id\": \"email\", \"text\": \"" + GERMAN.replace("Schulen.", "Schulen. Schreiben Sie an"
            + " jane.doe@example.com.") + "\"}") + "\n");
    RefineryConfig config = SharedSpark.config().with("ingest.paths", List.of(
        SharedSpark.repoRoot().resolve("samples/web-sample/olmo-c4/c4-sample.02.json.gz").toString(),
        extra.toString()));
    Lakehouse lakehouse = new Lakehouse(spark, config);
    for (var provider : List.of(new IngestStageProvider(), new QualitySignalsStageProvider(),
        new QualityFilterStageProvider())) {
      PipelineRun run = new StageRunner(spark, config, lakehouse, "quality-report").run(provider.create(config));
      assertThat(run.status()).isEqualTo(PipelineRun.Status.SUCCEEDED);
    }
    ReportInput input = new ReportInput(spark, lakehouse, Optional.empty(), List.of());

    ReportSection section = QualitySection.build(input);

    assertThat(section.available()).isTrue();
    String html = String.join("\n", section.blocks());
    long documents = lakehouse.read(Tables.DOCUMENT_SIGNALS).count();
    long kept = lakehouse.read(Tables.FILTERED_DOCUMENTS).where("kept").count();
    assertThat(documents).isEqualTo(13);
    assertThat(kept).isBetween(1L, documents - 1);
    assertThat(html).contains(documents + " documents with signals: quality-filter kept " + kept);
    for (Row language : lakehouse.read(Tables.DOCUMENT_SIGNALS).groupBy("language").count().collectAsList()) {
      String name = language.isNullAt(0) ? "unknown" : language.getString(0);
      assertThat(cellAfter(html, name)).as("documents in %s", name)
          .isEqualTo(language.getLong(1));
    }
    assertThat(cellAfter(html, "de")).isEqualTo(2);
    for (Row reason : lakehouse.read(Tables.FILTERED_DOCUMENTS).where("NOT kept").groupBy("drop_reason").count()
        .collectAsList()) {
      assertThat(cellAfter(html, reason.getString(0))).as("documents dropped by %s", reason.getString(0))
          .isEqualTo(reason.getLong(1));
    }
    assertThat(lakehouse.read(Tables.FILTERED_DOCUMENTS).where("doc_id IN (SELECT doc_id FROM "
        + "delta.`" + lakehouse.location(Tables.RAW_DOCUMENTS) + "` WHERE source_id = 'advert')").head()
        .<String>getAs("drop_reason")).isNotNull();
    assertThat(cellAfter(html, "email")).as("email occurrences").isEqualTo(1);
    // Nine signal histograms; quality_score has no values without a trained classifier, and says why.
    assertThat(count(html, "<svg class=\"chart histogram\"")).isEqualTo(9);
    assertThat(html).contains("quality_score: no values (no quality-classifier-train model");
    assertThat(html).contains("<title>kept: ").contains("<title>dropped: ");
  }

  @Test
  void saysWhichStageToRunWhenThereAreNoSignals() {
    Lakehouse empty = new Lakehouse(spark, SharedSpark.config());
    ReportSection section = QualitySection.build(new ReportInput(spark, empty, Optional.empty(), List.of()));
    assertThat(section.available()).isFalse();
    assertThat(String.join("", section.blocks())).contains("stage quality-signals");
  }

  /** The number in the table cell right after the first cell holding exactly {@code label}. */
  private static long cellAfter(String html, String label) {
    Matcher m = Pattern.compile("<td>" + Pattern.quote(Html.escape(label)) + "</td><td class=\"num\">([0-9,]+)</td>")
        .matcher(html);
    assertThat(m.find()).as("a row for %s in%n%s", label, html).isTrue();
    return Long.parseLong(m.group(1).replace(",", ""));
  }

  private static int count(String html, String needle) {
    int n = 0;
    for (int i = html.indexOf(needle); i >= 0; i = html.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }
}
