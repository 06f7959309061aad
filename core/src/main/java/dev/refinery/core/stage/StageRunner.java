package dev.refinery.core.stage;

import static dev.refinery.core.table.Tables.PIPELINE_RUNS;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.error.ErrorType;
import dev.refinery.core.error.RefineryException;
import dev.refinery.core.table.Lakehouse;
import dev.refinery.core.table.RunSchemas;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Runs stages under the stage contract: captures input versions, labels the Spark job group, checks that
 * counts reconcile, and records one {@code pipeline_runs} row per run, including failed ones.
 */
public final class StageRunner {
  private static final Logger LOG = LoggerFactory.getLogger(StageRunner.class);

  private final SparkSession spark;
  private final RefineryConfig config;
  private final Lakehouse lakehouse;
  private final String runId;
  private final Components components;

  public StageRunner(SparkSession spark, RefineryConfig config, Lakehouse lakehouse, String runId) {
    this.spark = spark;
    this.config = config;
    this.lakehouse = lakehouse;
    this.runId = runId;
    this.components = new Components(config);
  }

  public String runId() {
    return runId;
  }

  /** Runs one stage; returns its record, or throws after recording the failure. */
  public PipelineRun run(Stage stage) {
    Instant started = Instant.now();
    long startNanos = System.nanoTime();
    Map<String, Long> inputVersions = new LinkedHashMap<>();
    String configHash = config.hash(stage.configSections().toArray(String[]::new));
    spark.sparkContext().setJobGroup(stage.name(), "refinery " + stage.name() + ": " + stage.description(), false);
    try {
      captureVersions(stage, inputVersions);
      DefaultStageContext context =
          new DefaultStageContext(spark, config, lakehouse, runId, stage.name(), inputVersions, components);
      StageResult result = stage.run(context);
      if (!result.reconciles()) {
        throw RefineryException.internal(
            "Cannot complete stage %s: counts do not reconcile: in=%d, out=%d, dropped=%d, quarantined=%d",
            stage.name(), result.rowsIn(), result.rowsOut(), result.rowsDropped(), result.rowsQuarantined());
      }
      PipelineRun run = new PipelineRun(runId, stage.name(), PipelineRun.Status.SUCCEEDED, configHash,
          inputVersions, outputVersions(stage.outputs()), result, started, elapsedMillis(startNanos), null);
      record(run);
      return run;
    } catch (RuntimeException e) {
      StageResult empty = StageResult.builder().build();
      PipelineRun failed = new PipelineRun(runId, stage.name(), PipelineRun.Status.FAILED, configHash,
          inputVersions, Map.of(), empty, started, elapsedMillis(startNanos), describe(e));
      try {
        record(failed);
      } catch (RuntimeException recordFailure) {
        e.addSuppressed(recordFailure);
      }
      throw e;
    } finally {
      spark.sparkContext().clearJobGroup();
    }
  }

  private void captureVersions(Stage stage, Map<String, Long> versions) {
    for (String table : stage.inputs()) {
      OptionalLong version = lakehouse.version(table);
      if (version.isEmpty()) {
        throw RefineryException.userError(
            "Cannot run stage %s: its input table %s does not exist at %s. Run the stage that writes it first",
            stage.name(), lakehouse.name(table), lakehouse.location(table));
      }
      versions.put(table, version.getAsLong());
    }
    for (String table : stage.optionalInputs()) {
      lakehouse.version(table).ifPresent(v -> versions.put(table, v));
    }
  }

  private Map<String, Long> outputVersions(List<String> outputs) {
    Map<String, Long> versions = new LinkedHashMap<>();
    for (String table : outputs) {
      lakehouse.version(table).ifPresent(v -> versions.put(table, v));
    }
    return versions;
  }

  private void record(PipelineRun run) {
    StageResult r = run.result();
    Row row = RowFactory.create(
        run.runId(), run.stage(), run.status().name().toLowerCase(java.util.Locale.ROOT), run.configHash(),
        scalaMap(run.inputVersions()), scalaMap(run.outputVersions()), r.rowsIn(), r.rowsOut(), r.rowsDropped(),
        scalaMap(r.droppedByReason()), r.rowsQuarantined(), Timestamp.from(run.startedAt()), run.durationMillis(),
        run.error(), scalaMap(r.metrics()));
    var frame = spark.createDataFrame(List.of(row), RunSchemas.PIPELINE_RUNS);
    lakehouse.upsert(PIPELINE_RUNS, frame, List.of("run_id", "stage"));
    LOG.info("Stage {} {} in {} ms: in={} out={} dropped={} quarantined={}", run.stage(), run.status(),
        run.durationMillis(), r.rowsIn(), r.rowsOut(), r.rowsDropped(), r.rowsQuarantined());
  }

  private static <K, V> scala.collection.Map<K, V> scalaMap(Map<K, V> map) {
    return CollectionConverters.asScala(map);
  }

  private static long elapsedMillis(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  private static String describe(Throwable e) {
    String type = e instanceof RefineryException re ? re.type().name() : ErrorType.INTERNAL_ERROR.name();
    String message = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
    return type + ": " + (message.length() > 4000 ? message.substring(0, 4000) : message);
  }
}
