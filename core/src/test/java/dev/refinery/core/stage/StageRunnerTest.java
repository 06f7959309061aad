package dev.refinery.core.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.table.Lakehouse;
import dev.refinery.core.table.Tables;
import dev.refinery.core.testing.SharedSpark;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

class StageRunnerTest {
  private final SparkSession spark = SharedSpark.session();
  private final RefineryConfig config = SharedSpark.config();
  private final Lakehouse lakehouse = new Lakehouse(spark, config);

  /** A stage whose behaviour the test supplies. */
  private record TestStage(String name, List<String> inputs, Function<StageContext, StageResult> body)
      implements Stage {
    @Override
    public List<String> outputs() {
      return List.of(Tables.RAW_DOCUMENTS);
    }

    @Override
    public List<String> configSections() {
      return List.of("ingest");
    }

    @Override
    public String description() {
      return "test";
    }

    @Override
    public StageResult run(StageContext context) {
      return body.apply(context);
    }
  }

  @Test
  void recordsSucceededRunWithCountsVersionsAndHash() {
    TestStage stage = new TestStage("writer", List.of(), context -> {
      context.lakehouse().overwrite(Tables.RAW_DOCUMENTS, spark.range(5).toDF("id"));
      assertThat(spark.sparkContext().getLocalProperty("spark.jobGroup.id")).isEqualTo("writer");
      return StageResult.builder().rowsIn(5).rowsOut(3).dropped("too_short", 1).quarantined(1).build();
    });
    PipelineRun run = new StageRunner(spark, config, lakehouse, "run-a").run(stage);

    assertThat(run.status()).isEqualTo(PipelineRun.Status.SUCCEEDED);
    Row row = lakehouse.read(Tables.PIPELINE_RUNS).where("run_id = 'run-a'").head();
    assertThat(row.<String>getAs("stage")).isEqualTo("writer");
    assertThat(row.<String>getAs("status")).isEqualTo("succeeded");
    assertThat(row.<Long>getAs("rows_in")).isEqualTo(5L);
    assertThat(row.<Long>getAs("rows_out")).isEqualTo(3L);
    assertThat(row.<Long>getAs("rows_dropped")).isEqualTo(1L);
    assertThat(row.<Long>getAs("rows_quarantined")).isEqualTo(1L);
    assertThat(row.<String>getAs("config_hash")).isEqualTo(config.hash("ingest"));
    assertThat(row.getJavaMap(row.fieldIndex("dropped_by_reason"))).isEqualTo(Map.of("too_short", 1L));
    assertThat(row.getJavaMap(row.fieldIndex("output_versions"))).isEqualTo(Map.of(Tables.RAW_DOCUMENTS, 0L));
  }

  @Test
  void countsThatDoNotReconcileFailTheRunAndAreRecorded() {
    TestStage stage = new TestStage("leaky", List.of(),
        context -> StageResult.builder().rowsIn(10).rowsOut(9).build());
    assertThatThrownBy(() -> new StageRunner(spark, config, lakehouse, "run-b").run(stage))
        .hasMessage("Cannot complete stage leaky: counts do not reconcile: in=10, out=9, dropped=0, quarantined=0");
    Row row = lakehouse.read(Tables.PIPELINE_RUNS).where("run_id = 'run-b'").head();
    assertThat(row.<String>getAs("status")).isEqualTo("failed");
    assertThat(row.<String>getAs("error")).startsWith("INTERNAL_ERROR: Cannot complete stage leaky");
  }

  @Test
  void missingInputFailsBeforeTheStageRunsAndRecordsInputVersions() {
    TestStage consumer = new TestStage("consumer", List.of(Tables.SCORED_DOCUMENTS), context -> {
      throw new AssertionError("must not run");
    });
    assertThatThrownBy(() -> new StageRunner(spark, config, lakehouse, "run-c").run(consumer))
        .hasMessageStartingWith("Cannot run stage consumer: its input table scored_documents does not exist");
    assertThat(lakehouse.read(Tables.PIPELINE_RUNS).where("run_id = 'run-c' AND status = 'failed'").count())
        .isEqualTo(1);

    lakehouse.overwrite(Tables.SCORED_DOCUMENTS, spark.range(2).toDF("id"));
    lakehouse.overwrite(Tables.SCORED_DOCUMENTS, spark.range(4).toDF("id"));
    TestStage reader = new TestStage("reader", List.of(Tables.SCORED_DOCUMENTS), context -> {
      long rows = context.read(Tables.SCORED_DOCUMENTS).count();
      return StageResult.builder().rowsIn(rows).rowsOut(rows).build();
    });
    PipelineRun run = new StageRunner(spark, config, lakehouse, "run-d").run(reader);
    assertThat(run.inputVersions()).containsEntry(Tables.SCORED_DOCUMENTS, 1L);
    assertThat(run.result().rowsIn()).isEqualTo(4);
  }

  @Test
  void rerunWithTheSameRunIdReplacesItsRow() {
    TestStage stage = new TestStage("again", List.of(), context -> StageResult.builder().rowsIn(1).rowsOut(1).build());
    StageRunner runner = new StageRunner(spark, config, lakehouse, "run-e");
    runner.run(stage);
    runner.run(stage);
    assertThat(lakehouse.read(Tables.PIPELINE_RUNS).where("run_id = 'run-e' AND stage = 'again'").count())
        .isEqualTo(1);
  }

  @Test
  void quarantineAddsStageRunAndKeyAndIsIdempotent() {
    TestStage stage = new TestStage("quarantiner", List.of(), context -> {
      context.quarantine(spark.sql(
          "SELECT 'f.jsonl' AS source, 'line 3' AS position, 'malformed JSON' AS reason, repeat('x', 5000) AS raw"));
      return StageResult.builder().rowsIn(1).quarantined(1).build();
    });
    StageRunner runner = new StageRunner(spark, config, lakehouse, "run-f");
    runner.run(stage);
    runner.run(stage);
    List<Row> rows = lakehouse.read(Tables.QUARANTINE).collectAsList();
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0).<String>getAs("stage")).isEqualTo("quarantiner");
    assertThat(rows.get(0).<String>getAs("reason")).isEqualTo("malformed JSON");
    assertThat(rows.get(0).<String>getAs("raw")).hasSize(2000);
  }
}
