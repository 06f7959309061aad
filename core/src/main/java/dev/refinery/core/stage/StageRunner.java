package dev.refinery.core.stage;

import static dev.refinery.core.table.Tables.PIPELINE_RUNS;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.error.ErrorType;
import dev.refinery.core.error.RefineryException;
import dev.refinery.core.table.Lakehouse;
import dev.refinery.core.table.RunSchemas;
import dev.refinery.core.table.Tables;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Runs stages under the stage contract.
 *
 * <ul>
 *   <li>Captures the versions of the inputs (the stage reads that snapshot) and of the outputs.
 *   <li>Labels the Spark job group with the stage, and tags every Delta commit the stage makes with this
 *       attempt's id ({@code userMetadata}), so its own commits can be told from anyone else's.
 *   <li>Counts rows itself: rows in from the declared input through the candidate filter, rows out from the
 *       commit metrics of this attempt's writes to the declared output, rows quarantined from its commits to
 *       {@code quarantine}. The stage supplies its drop reasons. A mismatch fails the stage with the numbers.
 *   <li>On any failure restores every output to its starting version (Delta RESTORE), unless another writer
 *       committed to it meanwhile, which it reports instead of undoing. {@code llm_calls} is never restored: it
 *       is the cache of answers already paid for.
 *   <li>Records one {@code pipeline_runs} row per run, succeeded or failed.
 * </ul>
 */
public final class StageRunner {
  private static final Logger LOG = LoggerFactory.getLogger(StageRunner.class);
  /** Delta writes this session conf into every commit's {@code userMetadata}. */
  static final String COMMIT_TAG_CONF = Lakehouse.COMMIT_TAG_CONF;

  /** The LLM's identity: what changes its answers, not how fast they come (concurrency, timeouts). */
  static final List<String> LLM_IDENTITY = List.of("llm.provider", "llm.model-id", "llm.local.model-path",
      "llm.local.context-size", "llm.openai.base-url", "llm.openai.model");

  private final SparkSession spark;
  private final RefineryConfig config;
  private final Lakehouse lakehouse;
  private final String runId;
  private final Components components;
  private final java.util.function.Consumer<String> afterWrite;

  public StageRunner(SparkSession spark, RefineryConfig config, Lakehouse lakehouse, String runId) {
    this(spark, config, lakehouse, runId, table -> { });
  }

  private StageRunner(SparkSession spark, RefineryConfig config, Lakehouse lakehouse, String runId,
      java.util.function.Consumer<String> afterWrite) {
    this.spark = spark;
    this.config = config;
    this.lakehouse = lakehouse;
    this.runId = runId;
    this.components = new Components(config);
    this.afterWrite = afterWrite;
  }

  /**
   * A runner that calls {@code hook} with the table's name after each write a stage makes: how the stage
   * contract test injects a failure after the first write. Not for production wiring.
   */
  public StageRunner afterEachWrite(java.util.function.Consumer<String> hook) {
    return new StageRunner(spark, config, lakehouse, runId, hook);
  }

  public String runId() {
    return runId;
  }

  /** The config hash of a stage: its own sections, plus the LLM's identity when it calls one. */
  public String configHash(StageSpec spec) {
    List<String> sections = new ArrayList<>(spec.configSections());
    if (spec.usesLlm()) {
      sections.addAll(LLM_IDENTITY);
    }
    return config.hash(sections.toArray(String[]::new));
  }

  /** Runs one stage; returns its record, or throws after restoring its outputs and recording the failure. */
  public PipelineRun run(Stage stage) {
    StageSpec spec = stage.spec();
    Instant started = Instant.now();
    long startNanos = System.nanoTime();
    String attempt = "refinery run=" + runId + " stage=" + spec.name() + " attempt="
        + UUID.randomUUID().toString().substring(0, 8);
    Map<String, Long> inputVersions = new LinkedHashMap<>();
    Map<String, OptionalLong> startVersions = new LinkedHashMap<>();
    String configHash = configHash(spec);
    String previousTag = spark.conf().getOption(COMMIT_TAG_CONF).getOrElse(() -> null);
    try (JobGroup group = JobGroup.of(spark, spec.name(), "refinery " + spec.name() + ": " + spec.description());
        StageCheckpoints checkpoints = StageCheckpoints.open(spark, lakehouse, attempt)) {
      spark.conf().set(COMMIT_TAG_CONF, attempt);
      try {
        captureInputs(spec, inputVersions);
        for (String table : restorable(spec)) {
          startVersions.put(table, lakehouse.version(table));
        }
        Lakehouse writes = lakehouse.writableOnly(spec.name(), writable(spec), afterWrite);
        DefaultStageContext context =
            new DefaultStageContext(spark, config, writes, runId, spec, inputVersions, components);
        long rowsIn = spec.rowsIn() instanceof RowsIn.FromTable ? context.candidates().count() : -1;
        StageResult reported = stage.run(context);
        StageResult counted = count(spec, reported, rowsIn, startVersions, attempt, writes);
        if (!counted.reconciles()) {
          throw RefineryException.internal(
              "Cannot complete stage %s: counts do not reconcile: rows in %d (%s) != rows out %d (%s) + dropped %d"
                  + " + quarantined %d", spec.name(), counted.rowsIn(), describe(spec.rowsIn()), counted.rowsOut(),
              describe(spec.rowsOut()), counted.rowsDropped(), counted.rowsQuarantined());
        }
        PipelineRun run = new PipelineRun(runId, spec.name(), PipelineRun.Status.SUCCEEDED, configHash,
            inputVersions, outputVersions(spec.outputs()), counted, started, elapsedMillis(startNanos), null);
        record(run);
        return run;
      } catch (RuntimeException e) {
        Map<String, String> restored = restoreOutputs(startVersions, attempt, e);
        StageResult empty = new StageResult(0, 0, Map.of(), 0, restored);
        PipelineRun failed = new PipelineRun(runId, spec.name(), PipelineRun.Status.FAILED, configHash,
            inputVersions, outputVersions(spec.outputs()), empty, started, elapsedMillis(startNanos), describe(e));
        try {
          record(failed);
        } catch (RuntimeException recordFailure) {
          e.addSuppressed(recordFailure);
        }
        throw e;
      } finally {
        restoreConf(COMMIT_TAG_CONF, previousTag);
      }
    }
  }

  private void restoreConf(String key, String previous) {
    if (previous == null) {
      spark.conf().unset(key);
    } else {
      spark.conf().set(key, previous);
    }
  }

  private StageResult count(StageSpec spec, StageResult reported, long measuredIn,
      Map<String, OptionalLong> startVersions, String attempt, Lakehouse writes) {
    long in = measuredIn >= 0 ? measuredIn : reported.rowsIn();
    long out = spec.rowsOut() instanceof RowsOut.CommittedTo committed
        ? rowsWritten(committed.table(), startVersions.get(committed.table()), attempt, writes)
        : reported.rowsOut();
    long quarantined = rowsWritten(Tables.QUARANTINE, startVersions.get(Tables.QUARANTINE), attempt, writes);
    return new StageResult(in, out, reported.droppedByReason(), quarantined, reported.metrics());
  }

  /** Rows this attempt gave to writes of {@code table}: from its commits' metrics, plus writes that made none. */
  private long rowsWritten(String table, OptionalLong startVersion, String attempt, Lakehouse writes) {
    return lakehouse.commitsAfter(table, startVersion).stream()
        .filter(commit -> commit.userMetadata().equals(attempt))
        .mapToLong(Lakehouse.Commit::rowsWritten)
        .sum() + writes.rowsWrittenWithoutCommit(table);
  }

  /**
   * Puts every output back as it was at the start: RESTORE to the starting version, or delete a table this
   * attempt created. A table another writer committed to meanwhile is left alone, and the result says so.
   */
  private Map<String, String> restoreOutputs(Map<String, OptionalLong> startVersions, String attempt,
      RuntimeException failure) {
    Map<String, String> restored = new LinkedHashMap<>();
    for (Map.Entry<String, OptionalLong> entry : startVersions.entrySet()) {
      String table = entry.getKey();
      OptionalLong start = entry.getValue();
      try {
        List<Lakehouse.Commit> commits = lakehouse.commitsAfter(table, start);
        if (commits.isEmpty()) {
          continue;
        }
        List<Long> foreign = commits.stream().filter(c -> !c.userMetadata().equals(attempt))
            .map(Lakehouse.Commit::version).toList();
        String key = "restored." + table;
        if (!foreign.isEmpty()) {
          restored.put(key, "not restored: another writer committed version(s) " + foreign
              + " after this stage started");
          LOG.warn("Cannot restore table {}: another writer committed version(s) {} since version {}",
              lakehouse.name(table), foreign, start.isPresent() ? start.getAsLong() : "(new table)");
        } else if (start.isPresent()) {
          lakehouse.restore(table, start.getAsLong());
          restored.put(key, "restored to version " + start.getAsLong());
        } else {
          lakehouse.delete(table);
          restored.put(key, "deleted (created by this run)");
        }
      } catch (RuntimeException restoreFailure) {
        failure.addSuppressed(restoreFailure);
        restored.put("restored." + table, "restore failed: " + restoreFailure.getMessage());
      }
    }
    if (!restored.isEmpty()) {
      LOG.info("After the failure: {}", restored);
    }
    return restored;
  }

  /** Outputs and quarantine; not llm_calls, whose answers stay paid for whatever happens to the stage. */
  private static Set<String> restorable(StageSpec spec) {
    Set<String> tables = new LinkedHashSet<>(spec.outputs());
    tables.add(Tables.QUARANTINE);
    tables.remove(Tables.LLM_CALLS);
    return tables;
  }

  private static Set<String> writable(StageSpec spec) {
    Set<String> tables = new LinkedHashSet<>(spec.outputs());
    tables.add(Tables.QUARANTINE);
    if (spec.usesLlm()) {
      tables.add(Tables.LLM_CALLS);
    }
    return tables;
  }

  private void captureInputs(StageSpec spec, Map<String, Long> versions) {
    for (String table : spec.requiredInputs()) {
      OptionalLong version = lakehouse.version(table);
      if (version.isEmpty()) {
        throw RefineryException.userError(
            "Cannot run stage %s: its input table %s does not exist at %s. Run the stage that writes it first",
            spec.name(), lakehouse.name(table), lakehouse.location(table));
      }
      versions.put(table, version.getAsLong());
    }
    for (String table : spec.optionalInputs()) {
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

  private static String describe(RowsIn counting) {
    return counting instanceof RowsIn.FromTable t ? "counted from " + t.table() : "reported by the stage";
  }

  private static String describe(RowsOut counting) {
    return counting instanceof RowsOut.CommittedTo t ? "committed to " + t.table() : "reported by the stage";
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
