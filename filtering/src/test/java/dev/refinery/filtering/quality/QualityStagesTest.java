package dev.refinery.filtering.quality;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.error.RefineryException;
import dev.refinery.core.stage.PipelineRun;
import dev.refinery.core.stage.StageRunner;
import dev.refinery.core.table.Lakehouse;
import dev.refinery.core.table.Tables;
import dev.refinery.core.testing.SharedSpark;
import dev.refinery.filtering.signals.DocumentSignals;
import dev.refinery.filtering.signals.QualityPresets;
import dev.refinery.filtering.signals.SignalColumn;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * quality-signals then quality-filter on real web documents: signals, language, PII, rules and reasons. The signals
 * are computed once for the class; each test runs quality-filter over them with its own rules (every run rewrites
 * all of filtered_documents, so the tests do not depend on one another's order).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QualityStagesTest {
  private final SparkSession spark = SharedSpark.session();
  private Lake shared;

  private record Lake(RefineryConfig config, Lakehouse lakehouse, Map<String, String> docs) {}

  @BeforeAll
  void computeSignals() {
    shared = computeSignals(SharedSpark.config());
  }

  /** The shared lakehouse, with {@code settings} applied to the config the filter runs with. */
  private Lake withSignals(RefineryConfig settings) {
    RefineryConfig config = settings.with("lakehouse.root", shared.config().getString("lakehouse.root"));
    return new Lake(config, new Lakehouse(spark, config), shared.docs());
  }

  private Lake computeSignals(RefineryConfig config) {
    Lakehouse lakehouse = new Lakehouse(spark, config);
    Map<String, String> docs = QualityTestDocuments.documents(12);
    QualityTestDocuments.write(spark, lakehouse, docs);
    PipelineRun signals = new StageRunner(spark, config, lakehouse, "signals-1")
        .run(new QualitySignalsStageProvider().create(config));
    assertThat(signals.status()).isEqualTo(PipelineRun.Status.SUCCEEDED);
    return new Lake(config, lakehouse, docs);
  }

  private static Map<String, Row> byDocId(Lakehouse lakehouse, String table) {
    Map<String, Row> rows = new HashMap<>();
    lakehouse.read(table).collectAsList().forEach(row -> rows.put(row.getAs("doc_id"), row));
    return rows;
  }

  private PipelineRun filter(Lake lake, RefineryConfig config) {
    return new StageRunner(spark, config, lake.lakehouse(), "filter-1")
        .run(new QualityFilterStageProvider().create(config));
  }

  @Test
  void signalsLanguageAndPiiArePerDocumentColumns() {
    Lake lake = withSignals(SharedSpark.config());
    Map<String, Row> signals = byDocId(lake.lakehouse(), Tables.DOCUMENT_SIGNALS);
    assertThat(signals).hasSize(lake.docs().size());
    assertThat(lake.lakehouse().read(Tables.DOCUMENT_SIGNALS).columns())
        .contains(DocumentSignals.COLUMNS.stream().map(SignalColumn::name).toArray(String[]::new))
        .contains("language", "language_confidence", "pii_email", "pii_total", "redacted_text");

    Row web = signals.get(QualityTestDocuments.id("web-0"));
    assertThat(web.<String>getAs("language")).isEqualTo("en");
    assertThat(web.<Double>getAs("language_confidence")).isGreaterThan(0.5);
    assertThat(web.<Integer>getAs("pii_total")).isZero();
    assertThat(web.<String>getAs("redacted_text")).isNull();
    assertThat(web.<Integer>getAs("gopher_word_count")).isGreaterThanOrEqualTo(80);
    assertThat(signals.get(QualityTestDocuments.id("german")).<String>getAs("language")).isEqualTo("de");
    assertThat(signals.get(QualityTestDocuments.id("empty")).<String>getAs("language")).isNull();

    Row mail = signals.get(QualityTestDocuments.id("with-email"));
    assertThat(mail.<Integer>getAs("pii_email")).isEqualTo(1);
    assertThat(mail.<Integer>getAs("pii_total")).isEqualTo(1);
    assertThat(mail.<String>getAs("redacted_text")).contains("Write to <EMAIL> and")
        .doesNotContain(QualityTestDocuments.EMAIL);
  }

  @Test
  void theFilterDropsByTheFirstRuleFailedAndTheRedactedTextFlowsOn() {
    Lake lake = withSignals(SharedSpark.config());
    PipelineRun run = filter(lake, lake.config());

    Map<String, Row> filtered = byDocId(lake.lakehouse(), Tables.FILTERED_DOCUMENTS);
    assertThat(filtered).hasSize(lake.docs().size());
    List<String> gopherRules = List.copyOf(QualityPresets.rules("gopher").keySet());
    assertThat(filtered.get(QualityTestDocuments.id("short")).<String>getAs("drop_reason"))
        .isEqualTo(firstFailing(lake, "short", gopherRules));
    assertThat(filtered.get(QualityTestDocuments.id("empty")).<Boolean>getAs("kept")).isFalse();
    Row repeated = filtered.get(QualityTestDocuments.id("repeated"));
    assertThat(repeated.<Boolean>getAs("kept")).isFalse();
    assertThat(repeated.<String>getAs("drop_reason")).isEqualTo(firstFailing(lake, "repeated", gopherRules));
    Row mail = filtered.get(QualityTestDocuments.id("with-email"));
    if (mail.<Boolean>getAs("kept")) {
      assertThat(mail.<String>getAs("text")).contains("<EMAIL>").doesNotContain(QualityTestDocuments.EMAIL);
    }
    assertThat(filtered.values().stream().filter(r -> r.<Boolean>getAs("kept")).count())
        .as("most real web documents pass Gopher").isGreaterThanOrEqualTo(6);
    // Counts reconcile with the table: in = kept + dropped by reason.
    assertThat(run.result().rowsIn()).isEqualTo(lake.docs().size());
    assertThat(run.result().rowsOut())
        .isEqualTo(lake.lakehouse().read(Tables.FILTERED_DOCUMENTS).where(col("kept")).count());
    assertThat(run.result().droppedByReason().values().stream().mapToLong(Long::longValue).sum())
        .isEqualTo(lake.docs().size() - run.result().rowsOut());
  }

  /** The first of {@code rules} whose predicate fails for the document, evaluated by Spark on its signals. */
  private String firstFailing(Lake lake, String sourceId, List<String> rules) {
    Map<String, String> predicates = QualityPresets.rules("gopher");
    Row signals = lake.lakehouse().read(Tables.DOCUMENT_SIGNALS)
        .where(col("doc_id").equalTo(QualityTestDocuments.id(sourceId))).head();
    var frame = spark.createDataFrame(List.of(signals), signals.schema());
    for (String rule : rules) {
      Row result = frame.selectExpr("coalesce(" + predicates.get(rule) + ", false)").head();
      if (!result.getBoolean(0)) {
        return rule;
      }
    }
    return null;
  }

  @Test
  void languageAndCustomRulesComeAfterThePresetsInOrder() {
    RefineryConfig config = SharedSpark.config()
        .with("quality-filter.presets", List.of())
        .with("quality-filter.languages", List.of("en"))
        .with("quality-filter.rules", List.of(Map.of("name", "long_enough", "keep-if", "gopher_word_count >= 100")));
    Lake lake = withSignals(config);
    filter(lake, lake.config());
    Map<String, Row> filtered = byDocId(lake.lakehouse(), Tables.FILTERED_DOCUMENTS);
    assertThat(filtered.get(QualityTestDocuments.id("german")).<String>getAs("drop_reason")).isEqualTo("language");
    long shortEnglish = lake.lakehouse().read(Tables.DOCUMENT_SIGNALS)
        .where("language = 'en' AND language_confidence >= 0.5 AND gopher_word_count < 100").count();
    assertThat(lake.lakehouse().read(Tables.FILTERED_DOCUMENTS).where("drop_reason = 'long_enough'").count())
        .isEqualTo(shortEnglish).isPositive();
    long notEnglish = lake.lakehouse().read(Tables.DOCUMENT_SIGNALS)
        .where("NOT coalesce(language = 'en' AND language_confidence >= 0.5, false)").count();
    assertThat(lake.lakehouse().read(Tables.FILTERED_DOCUMENTS).where("drop_reason = 'language'").count())
        .isEqualTo(notEnglish).isGreaterThanOrEqualTo(2); // German, empty
  }

  @Test
  void aRuleOverAnUnknownColumnFailsNamingTheRule() {
    RefineryConfig config = SharedSpark.config()
        .with("quality-filter.rules", List.of(Map.of("name", "typo", "keep-if", "gopher_wordcount > 50")));
    Lake lake = withSignals(config);
    var before = lake.lakehouse().version(Tables.FILTERED_DOCUMENTS);
    assertThatThrownBy(() -> filter(lake, lake.config())).isInstanceOf(RefineryException.class)
        .hasMessageContaining("Invalid quality-filter rule 'typo' (keep-if: gopher_wordcount > 50)")
        .hasMessageContaining("gopher_wordcount");
    assertThat(lake.lakehouse().version(Tables.FILTERED_DOCUMENTS)).isEqualTo(before);
  }

  @Test
  void optionsAreValidatedWithTheirKeys() {
    assertThatThrownBy(() -> new QualitySignalsStageProvider().create(
        SharedSpark.config().with("quality-signals.languages", List.of("english", "klingon"))))
        .isInstanceOf(RefineryException.class).hasMessageContaining("quality-signals.languages");
    assertThatThrownBy(() -> new QualityFilterStageProvider().create(
        SharedSpark.config().with("quality-filter.presets", List.of("gopher", "nope"))))
        .isInstanceOf(RefineryException.class).hasMessageContaining("quality-filter.presets").hasMessageContaining("nope");
    assertThatThrownBy(() -> new QualityFilterStageProvider().create(
        SharedSpark.config().with("quality-filter.languages", List.of("english"))))
        .isInstanceOf(RefineryException.class).hasMessageContaining("quality-filter.languages");
  }
}
