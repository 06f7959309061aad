package dev.refinery.jobs.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refinery.core.error.RefineryException;
import dev.refinery.core.table.Lakehouse;
import dev.refinery.core.table.RunSchemas;
import dev.refinery.core.table.Tables;
import dev.refinery.core.testing.SharedSpark;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import scala.jdk.javaapi.CollectionConverters;

/** Which pipeline_runs rows the funnel shows, on a real (tiny) pipeline_runs Delta table. */
class RunReportTest {
  private final SparkSession spark = SharedSpark.session();
  private Lakehouse lakehouse;

  /** The demo's run r1 (ingest, perplexity, cai), then a rerun of cai alone as r2. */
  @BeforeEach
  void demoThenRerunOfCai() {
    lakehouse = new Lakehouse(spark, SharedSpark.config());
    List<Row> rows = new ArrayList<>();
    rows.add(run("r1", "ingest", "2026-01-01T10:00:00Z", 10, 9));
    rows.add(run("r1", "perplexity", "2026-01-01T10:01:00Z", 9, 8));
    rows.add(run("r1", "cai", "2026-01-01T10:02:00Z", 3, 3));
    rows.add(run("r2", "cai", "2026-01-02T09:00:00Z", 3, 2));
    lakehouse.upsert(Tables.PIPELINE_RUNS, spark.createDataFrame(rows, RunSchemas.PIPELINE_RUNS),
        List.of("run_id", "stage"));
  }

  @Test
  void funnelTakesTheLatestRunOfEachStage() {
    // In pipeline order (StageGraph): cai reads no table, so it sorts first by name.
    assertThat(stagesAndRuns(RunReport.latestRunOfEachStage(lakehouse)))
        .containsExactly("cai@r2", "ingest@r1", "perplexity@r1");

    RunReport report = RunReport.collect(spark, lakehouse, Optional.empty());
    assertThat(report.runId()).isEmpty();
    assertThat(report.funnelRuns()).containsExactly("r2", "r1");
    assertThat(report.describe()).isEqualTo("the latest run of each stage (runs r2, r1)");
    String funnel = String.join("\n", report.sections().get(0).blocks());
    assertThat(funnel).contains("ingest: 9 of 10 rows kept").contains("perplexity: 8 of 9 rows kept")
        .contains("cai: 2 of 3 rows kept").doesNotContain("cai: 3 of 3 rows kept");
  }

  @Test
  void runOptionSelectsOneRun() {
    RunReport first = RunReport.collect(spark, lakehouse, Optional.of("r1"));
    assertThat(first.describe()).isEqualTo("run r1");
    String funnel = String.join("\n", first.sections().get(0).blocks());
    assertThat(funnel).contains("ingest: 9 of 10 rows kept").contains("cai: 3 of 3 rows kept");

    RunReport rerun = RunReport.collect(spark, lakehouse, Optional.of("r2"));
    String rerunFunnel = String.join("\n", rerun.sections().get(0).blocks());
    assertThat(rerunFunnel).contains("cai: 2 of 3 rows kept").doesNotContain("ingest");

    assertThatThrownBy(() -> RunReport.collect(spark, lakehouse, Optional.of("r3")))
        .isInstanceOf(RefineryException.class)
        .hasMessage("Cannot report run 'r3': pipeline_runs has no rows for it (latest run: r2)");
  }

  @Test
  void noPipelineRunsYet() {
    Lakehouse empty = new Lakehouse(spark, SharedSpark.config());
    RunReport report = RunReport.collect(spark, empty, Optional.empty());
    assertThat(report.funnelRuns()).isEmpty();
    assertThat(report.describe()).isEqualTo("(no runs yet)");
    assertThat(report.sections().get(0).available()).isFalse();
  }

  private static List<String> stagesAndRuns(List<Row> rows) {
    return rows.stream().map(r -> r.getAs("stage") + "@" + r.getAs("run_id")).toList();
  }

  private static Row run(String runId, String stage, String startedAt, long in, long out) {
    scala.collection.Map<String, Long> none = CollectionConverters.asScala(Map.<String, Long>of());
    return RowFactory.create(runId, stage, "succeeded", "hash", none, none, in, out, in - out,
        CollectionConverters.asScala(Map.of("filtered", in - out)), 0L, Timestamp.from(Instant.parse(startedAt)),
        1000L, null, CollectionConverters.asScala(Map.<String, String>of()));
  }
}
