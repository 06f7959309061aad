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
  private static final String INPUT = Tables.SCORED_DOCUMENTS;
  private static final String OUTPUT = Tables.RAW_DOCUMENTS;

  private final SparkSession spark = SharedSpark.session();
  private final RefineryConfig config = SharedSpark.config();
  private final Lakehouse lakehouse = new Lakehouse(spark, config);

  /** A stage whose declaration and behaviour the test supplies. */
  private record TestStage(StageSpec spec, Function<StageContext, StageResult> body) implements Stage {
    @Override
    public StageResult run(StageContext context) {
      return body.apply(context);
    }
  }

  /** Reads ids below 5 of INPUT, writes into OUTPUT; counts from the tables. */
  private static StageSpec.Builder counted(String name) {
    return StageSpec.builder(name).reads(INPUT).writes(OUTPUT).config("ingest").description("test")
        .rowsIn(RowsIn.table(INPUT, context -> context.read(INPUT).where("id < 5")))
        .rowsOut(RowsOut.committedTo(OUTPUT));
  }

  private void seedInput(int rows) {
    lakehouse.overwrite(INPUT, spark.range(rows).toDF("id"));
  }

  private Row runRow(String runId) {
    return lakehouse.read(Tables.PIPELINE_RUNS).where("run_id = '" + runId + "'").head();
  }

  @Test
  void countsRowsInOutAndQuarantinedFromTheTablesNotFromTheStage() {
    seedInput(8);
    TestStage stage = new TestStage(counted("writer").build(), context -> {
      assertThat(spark.sparkContext().getLocalProperty("spark.jobGroup.id")).isEqualTo("writer");
      Upserts.write(context, "id < 3");
      context.quarantine(spark.sql(
          "SELECT 'f.jsonl' AS source, 'line 4' AS position, 'malformed JSON' AS reason, 'x' AS raw"));
      // Rows in and out the stage claims are ignored where the spec counts them from the tables.
      return StageResult.builder().rowsIn(999).rowsOut(999).quarantined(999).dropped("too_short", 1).build();
    });

    PipelineRun run = new StageRunner(spark, config, lakehouse, "run-a").run(stage);

    assertThat(run.status()).isEqualTo(PipelineRun.Status.SUCCEEDED);
    Row row = runRow("run-a");
    assertThat(row.<String>getAs("stage")).isEqualTo("writer");
    assertThat(row.<String>getAs("status")).isEqualTo("succeeded");
    assertThat(row.<Long>getAs("rows_in")).isEqualTo(5L);
    assertThat(row.<Long>getAs("rows_out")).isEqualTo(3L);
    assertThat(row.<Long>getAs("rows_dropped")).isEqualTo(1L);
    assertThat(row.<Long>getAs("rows_quarantined")).isEqualTo(1L);
    assertThat(row.<String>getAs("config_hash")).isEqualTo(config.hash("ingest"));
    assertThat(row.getJavaMap(row.fieldIndex("dropped_by_reason"))).isEqualTo(Map.of("too_short", 1L));
    assertThat(row.getJavaMap(row.fieldIndex("output_versions"))).isEqualTo(Map.of(OUTPUT, 0L));
    assertThat(spark.sparkContext().getLocalProperty("spark.jobGroup.id")).isNull();
  }

  @Test
  void aRerunThatInsertsNothingNewStillCountsWhatItWrote() {
    seedInput(5);
    TestStage stage = new TestStage(counted("again").build(), context -> {
      Upserts.write(context, "id < 5");
      return StageResult.builder().build();
    });
    StageRunner runner = new StageRunner(spark, config, lakehouse, "run-b");
    runner.run(stage);
    PipelineRun second = runner.run(stage);

    assertThat(second.result().rowsOut()).isEqualTo(5);
    assertThat(lakehouse.read(OUTPUT).count()).isEqualTo(5);
    assertThat(lakehouse.read(Tables.PIPELINE_RUNS).where("run_id = 'run-b' AND stage = 'again'").count())
        .isEqualTo(1);
  }

  @Test
  void countsThatDoNotReconcileFailWithTheFourNumbersAndRestoreTheOutput() {
    seedInput(5);
    lakehouse.overwrite(OUTPUT, spark.range(100, 102).toDF("id"));
    long before = lakehouse.version(OUTPUT).getAsLong();
    TestStage leaky = new TestStage(counted("leaky").build(), context -> {
      Upserts.write(context, "id < 3");
      return StageResult.builder().dropped("too_short", 1).build();
    });

    assertThatThrownBy(() -> new StageRunner(spark, config, lakehouse, "run-c").run(leaky))
        .hasMessage("Cannot complete stage leaky: counts do not reconcile: rows in 5 (counted from scored_documents)"
            + " != rows out 3 (committed to raw_documents) + dropped 1 + quarantined 0");

    assertThat(lakehouse.read(OUTPUT).orderBy("id").collectAsList()).extracting(r -> r.getLong(0))
        .containsExactly(100L, 101L);
    assertThat(lakehouse.history(OUTPUT).head().<String>getAs("operation")).isEqualTo("RESTORE");
    Row row = runRow("run-c");
    assertThat(row.<String>getAs("status")).isEqualTo("failed");
    assertThat(row.<String>getAs("error")).startsWith("INTERNAL_ERROR: Cannot complete stage leaky");
    assertThat(row.getJavaMap(row.fieldIndex("metrics")))
        .containsEntry("restored." + OUTPUT, "restored to version " + before);
  }

  @Test
  void aFailureAfterTheFirstWriteDeletesATableTheRunCreatedAndRestoresQuarantine() {
    seedInput(5);
    TestStage crashing = new TestStage(counted("crashing").build(), context -> {
      Upserts.write(context, "id < 3");
      context.quarantine(spark.sql("SELECT 'f' AS source, 'line 1' AS position, 'bad' AS reason, 'x' AS raw"));
      throw new IllegalStateException("injected failure");
    });

    assertThatThrownBy(() -> new StageRunner(spark, config, lakehouse, "run-d").run(crashing))
        .hasMessage("injected failure");

    assertThat(lakehouse.exists(OUTPUT)).isFalse();
    assertThat(lakehouse.exists(Tables.QUARANTINE)).isFalse();
    Row row = runRow("run-d");
    assertThat(row.getJavaMap(row.fieldIndex("metrics")))
        .containsEntry("restored." + OUTPUT, "deleted (created by this run)");
  }

  @Test
  void aConcurrentWritersCommitIsNotUndoneAndIsReported() {
    seedInput(5);
    lakehouse.overwrite(OUTPUT, spark.range(100, 102).toDF("id"));
    TestStage racing = new TestStage(counted("racing").build(), context -> {
      Upserts.write(context, "id < 3");
      // Another writer commits to the same table while the stage runs.
      String mine = spark.conf().get(StageRunner.COMMIT_TAG_CONF);
      spark.conf().set(StageRunner.COMMIT_TAG_CONF, "someone else");
      lakehouse.upsert(OUTPUT, spark.range(200, 201).toDF("id"), List.of("id"));
      spark.conf().set(StageRunner.COMMIT_TAG_CONF, mine);
      throw new IllegalStateException("injected failure");
    });

    assertThatThrownBy(() -> new StageRunner(spark, config, lakehouse, "run-e").run(racing))
        .hasMessage("injected failure");

    assertThat(lakehouse.read(OUTPUT).count()).isEqualTo(6);
    Row row = runRow("run-e");
    long foreign = lakehouse.version(OUTPUT).getAsLong();
    assertThat(row.getJavaMap(row.fieldIndex("metrics"))).containsEntry("restored." + OUTPUT,
        "not restored: another writer committed version(s) [" + foreign + "] after this stage started");
  }

  @Test
  void writingATableThatIsNotADeclaredOutputFails() {
    seedInput(5);
    TestStage sneaky = new TestStage(counted("sneaky").build(), context -> {
      context.lakehouse().overwrite(Tables.EMBEDDINGS, spark.range(1).toDF("id"));
      return StageResult.builder().build();
    });

    assertThatThrownBy(() -> new StageRunner(spark, config, lakehouse, "run-f").run(sneaky))
        .hasMessage("Cannot write table embeddings from stage sneaky: it is not one of the stage's declared outputs"
            + " (quarantine, raw_documents)");
    assertThat(lakehouse.exists(Tables.EMBEDDINGS)).isFalse();
  }

  @Test
  void missingInputFailsBeforeTheStageRunsAndTheStageReadsTheCapturedVersion() {
    StageSpec spec = StageSpec.builder("consumer").reads(INPUT).writes(OUTPUT).description("test").build();
    TestStage consumer = new TestStage(spec, context -> {
      throw new AssertionError("must not run");
    });
    assertThatThrownBy(() -> new StageRunner(spark, config, lakehouse, "run-g").run(consumer))
        .hasMessageStartingWith("Cannot run stage consumer: its input table scored_documents does not exist");
    assertThat(lakehouse.read(Tables.PIPELINE_RUNS).where("run_id = 'run-g' AND status = 'failed'").count())
        .isEqualTo(1);

    seedInput(2);
    seedInput(4);
    TestStage reader = new TestStage(spec, context -> {
      long rows = context.read(INPUT).count();
      return StageResult.builder().rowsIn(rows).rowsOut(rows).build();
    });
    PipelineRun run = new StageRunner(spark, config, lakehouse, "run-h").run(reader);
    assertThat(run.inputVersions()).containsEntry(INPUT, 1L);
    assertThat(run.result().rowsIn()).isEqualTo(4);
  }

  @Test
  void quarantineAddsStageRunAndKeyAndIsIdempotent() {
    StageSpec spec = StageSpec.builder("quarantiner").writes(OUTPUT).description("test").build();
    TestStage stage = new TestStage(spec, context -> {
      context.quarantine(spark.sql(
          "SELECT 'f.jsonl' AS source, 'line 3' AS position, 'malformed JSON' AS reason, repeat('x', 5000) AS raw"));
      return StageResult.builder().rowsIn(1).build();
    });
    StageRunner runner = new StageRunner(spark, config, lakehouse, "run-i");
    runner.run(stage);
    PipelineRun second = runner.run(stage);

    assertThat(second.result().rowsQuarantined()).isEqualTo(1);
    List<Row> rows = lakehouse.read(Tables.QUARANTINE).collectAsList();
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0).<String>getAs("stage")).isEqualTo("quarantiner");
    assertThat(rows.get(0).<String>getAs("reason")).isEqualTo("malformed JSON");
    assertThat(rows.get(0).<String>getAs("raw")).hasSize(2000);
  }

  @Test
  void theConfigHashOfAnLlmStageCoversTheModelButNotItsThroughputSettings() {
    StageSpec llmStage = StageSpec.builder("asks").writes(OUTPUT).config("cai").usesLlm().build();
    StageSpec plain = StageSpec.builder("plain").writes(OUTPUT).config("cai").build();
    String hash = new StageRunner(spark, config, lakehouse, "r").configHash(llmStage);

    assertThat(new StageRunner(spark, config.with("llm.concurrency", 4), lakehouse, "r").configHash(llmStage))
        .isEqualTo(hash);
    assertThat(new StageRunner(spark, config.with("llm.local.model-path", "other.gguf"), lakehouse, "r")
        .configHash(llmStage)).isNotEqualTo(hash);
    assertThat(new StageRunner(spark, config.with("llm.local.model-path", "other.gguf"), lakehouse, "r")
        .configHash(plain)).isEqualTo(new StageRunner(spark, config, lakehouse, "r").configHash(plain));
  }

  /** Upserts the INPUT rows matching a condition into OUTPUT through the stage's write handle. */
  private static final class Upserts {
    static void write(StageContext context, String condition) {
      context.lakehouse().upsert(OUTPUT, context.read(INPUT).where(condition), List.of("id"));
    }
  }
}
