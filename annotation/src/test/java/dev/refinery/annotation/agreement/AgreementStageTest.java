package dev.refinery.annotation.agreement;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.refinery.annotation.imports.ImportLabelsProvider;
import dev.refinery.annotation.metrics.KrippendorffAlpha;
import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.stage.PipelineRun;
import dev.refinery.core.stage.StageRunner;
import dev.refinery.core.table.AnnotationSchemas;
import dev.refinery.core.table.Lakehouse;
import dev.refinery.core.table.Tables;
import dev.refinery.core.testing.SharedSpark;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

class AgreementStageTest {
  private static PipelineRun run(RefineryConfig config, String runId, dev.refinery.core.stage.Stage stage) {
    SparkSession spark = SharedSpark.session();
    return new StageRunner(spark, config, new Lakehouse(spark, config), runId).run(stage);
  }

  private static Map<String, Row> byName(Row summary, String column) {
    Map<String, Row> out = new HashMap<>();
    for (Row row : summary.<Row>getList(summary.fieldIndex(column))) {
      out.put(row.getString(0) + (column.equals("cohen_kappa") ? "|" + row.getString(1) : ""), row);
    }
    return out;
  }

  /**
   * PandaLM's authors publish Cohen's kappas of 0.85 (annotators 1-2), 0.88 (1-3) and 0.86 (2-3). Unweighted
   * kappa over the three labels (1, 2, tie) reproduces them; the exact values equal statsmodels' on the
   * same tables (checked by python/annotation/parity.py's formulas in ReferenceParityTest).
   */
  @Test
  void pandaLmAnnotatorKappasMatchPublishedValues() {
    RefineryConfig config = SharedSpark.config()
        .with("import-labels.format", "pandalm")
        .with("import-labels.paths", List.of(SharedSpark.repoRoot()
            .resolve("samples/preference-annotations/pandalm/testset-v1.json").toString()))
        .with("agreement.bootstrap.resamples", 200);
    run(config, "run-1", new ImportLabelsProvider().create(config));
    PipelineRun agreement = run(config, "run-1", new AgreementProvider().create(config));

    assertThat(agreement.result().rowsIn()).isEqualTo(999);
    Lakehouse lakehouse = new Lakehouse(SharedSpark.session(), config);
    assertThat(agreement.result().rowsOut())
        .isEqualTo(lakehouse.read(Tables.AGREEMENT).filter("kept").count()).isPositive();
    Row summary = lakehouse.read(Tables.AGREEMENT_SUMMARY).first();
    Map<String, Row> cohen = byName(summary, "cohen_kappa");
    Row k12 = cohen.get("pandalm:annotator1|pandalm:annotator2");
    Row k13 = cohen.get("pandalm:annotator1|pandalm:annotator3");
    Row k23 = cohen.get("pandalm:annotator2|pandalm:annotator3");
    assertThat(k12.getDouble(3)).isCloseTo(0.8520226785167023, within(1e-9));
    assertThat(k13.getDouble(3)).isCloseTo(0.8789438112500385, within(1e-9));
    assertThat(k23.getDouble(3)).isCloseTo(0.8616614540762907, within(1e-9));
    assertThat(Math.round(k12.getDouble(3) * 100)).isEqualTo(85);
    assertThat(Math.round(k13.getDouble(3) * 100)).isEqualTo(88);
    assertThat(Math.round(k23.getDouble(3) * 100)).isEqualTo(86);
    assertThat(k12.getLong(2)).isEqualTo(999);
    assertThat(k12.getDouble(6)).isLessThan(k12.getDouble(3));
    assertThat(k12.getDouble(7)).isGreaterThan(k12.getDouble(3));

    Map<String, Row> metrics = byName(summary, "metrics");
    // Reference values from statsmodels.fleiss_kappa and krippendorff.alpha on the same labels.
    assertThat(metrics.get("fleiss_kappa").getDouble(1)).isCloseTo(0.864175364997549, within(1e-9));
    assertThat(metrics.get("alpha_nominal").getDouble(1)).isCloseTo(0.8642206851960816, within(1e-9));
    Row alpha = metrics.get("alpha_nominal");
    assertThat(alpha.getDouble(2)).isBetween(0.80, alpha.getDouble(1));
    assertThat(alpha.getDouble(3)).isBetween(alpha.getDouble(1), 0.92);
    // Unanimous items (879 of 999) are kept with agreement 1; the Dawid-Skene quality of each annotator is high.
    assertThat(lakehouse.read(Tables.AGREEMENT).filter(col("agreement_rate").equalTo(1.0)).count()).isEqualTo(879);
    for (Row quality : summary.<Row>getList(summary.fieldIndex("rater_quality"))) {
      assertThat(quality.getDouble(2)).isGreaterThan(0.9);
    }
  }

  @Test
  void gatesPairsAndMeasuresPositionBias() {
    RefineryConfig config = SharedSpark.config().with("agreement.bootstrap.resamples", 50);
    Lakehouse lakehouse = new Lakehouse(SharedSpark.session(), config);
    String[][] votes = {
        // pair, rater, group, order, label
        {"p1", "g1:AB", "g1", "AB", "A"}, {"p1", "g1:BA", "g1", "BA", "A"}, {"p1", "h1", "h1", "AB", "A"},
        {"p2", "g1:AB", "g1", "AB", "A"}, {"p2", "g1:BA", "g1", "BA", "B"}, {"p2", "h1", "h1", "AB", "B"},
        {"p3", "g1:AB", "g1", "AB", "A"}, {"p3", "g1:BA", "g1", "BA", "tie"}, {"p3", "h1", "h1", "AB", "B"},
        {"p4", "h1", "h1", "AB", "A"}};
    List<Row> rows = new ArrayList<>();
    Timestamp now = Timestamp.from(Instant.now());
    for (String[] v : votes) {
      double p = v[4].equals("A") ? 1 : v[4].equals("B") ? 0 : 0.5;
      rows.add(RowFactory.create(v[0], v[1], v[1].startsWith("h") ? "human" : "ai", v[2], v[4], p, v[3],
          "human", null, null, null, v[4], "test", "run-0", now));
    }
    lakehouse.upsert(Tables.JUDGMENTS, SharedSpark.session().createDataFrame(rows, AnnotationSchemas.JUDGMENTS),
        List.of("pair_id", "rater_id"));

    PipelineRun first = run(config, "run-1", new AgreementProvider().create(config));
    assertThat(first.result().rowsIn()).isEqualTo(4);
    assertThat(first.result().rowsOut()).isEqualTo(2);
    assertThat(first.result().droppedByReason()).containsOnly(Map.entry("tie", 1L), Map.entry("too-few-raters", 1L));

    Map<String, Row> pairs = new HashMap<>();
    lakehouse.read(Tables.AGREEMENT).collectAsList().forEach(r -> pairs.put(r.getAs("pair_id"), r));
    assertThat(pairs.get("p2").<String>getAs("aggregated_label")).isEqualTo("B");
    assertThat(pairs.get("p2").<Double>getAs("agreement_rate")).isCloseTo(2.0 / 3, within(1e-12));
    assertThat(pairs.get("p2").<Double>getAs("soft_score")).isCloseTo(1.0 / 3, within(1e-12));
    assertThat(pairs.get("p3").<String>getAs("reason")).isEqualTo("tie");
    assertThat(pairs.get("p3").<Double>getAs("entropy")).isCloseTo(1.0, within(1e-12));
    assertThat(pairs.get("p1").<Double>getAs("entropy")).isEqualTo(0.0);
    assertThat(pairs.get("p1").<Boolean>getAs("kept")).isTrue();
    assertThat(pairs.get("p4").<String>getAs("reason")).isEqualTo("too-few-raters");

    Row summary = lakehouse.read(Tables.AGREEMENT_SUMMARY).first();
    Map<String, Row> position = byName(summary, "position_bias");
    // g1 judged p1..p3 in both orders and flipped on p2 and p3; 4 of its 5 decisive verdicts chose the first shown.
    assertThat(position.get("g1").getLong(1)).isEqualTo(3);
    assertThat(position.get("g1").getDouble(2)).isCloseTo(2.0 / 3, within(1e-12));
    assertThat(position.get("g1").getLong(3)).isEqualTo(5);
    assertThat(position.get("g1").getDouble(4)).isCloseTo(0.8, within(1e-12));
    assertThat(position.get("h1").getDouble(4)).isCloseTo(0.5, within(1e-12));

    // Dataset metrics equal the pure functions on the same reliability data (raters g1:AB, g1:BA, h1).
    double n = Double.NaN;
    double[][] data = {{1, 1, 1, n}, {1, 3, 2, n}, {1, 3, 3, 1}};
    Map<String, Row> metrics = byName(summary, "metrics");
    for (KrippendorffAlpha.Level level : KrippendorffAlpha.Level.values()) {
      assertThat(metrics.get("alpha_" + level.name().toLowerCase(java.util.Locale.ROOT)).getDouble(1))
          .isCloseTo(KrippendorffAlpha.alpha(data, level), within(1e-12));
    }

    // A rerun overwrites the derived table and reproduces the bootstrap intervals exactly.
    run(config, "run-2", new AgreementProvider().create(config));
    assertThat(lakehouse.read(Tables.AGREEMENT).count()).isEqualTo(4);
    List<Row> summaries = lakehouse.read(Tables.AGREEMENT_SUMMARY).orderBy("run_id").collectAsList();
    assertThat(summaries).hasSize(2);
    assertThat(summaries.get(1).getList(summaries.get(1).fieldIndex("metrics")))
        .isEqualTo(summaries.get(0).getList(summaries.get(0).fieldIndex("metrics")));
  }
}
