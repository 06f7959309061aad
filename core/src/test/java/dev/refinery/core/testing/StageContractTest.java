package dev.refinery.core.testing;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.xxhash64;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.stage.PipelineRun;
import dev.refinery.core.stage.Stage;
import dev.refinery.core.stage.StageProvider;
import dev.refinery.core.stage.StageRunner;
import dev.refinery.core.stage.StageSpec;
import dev.refinery.core.table.Lakehouse;
import dev.refinery.core.table.Tables;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The stage contract, checked the same way for every stage: each stage's test extends this class and says how
 * to build the stage and seed its inputs. The inputs are seeded and the stage run once per class (a stage run
 * costs seconds of Spark and Delta work); the tests then check, in any order, that
 *
 * <ul>
 *   <li>the stage produced output (rows out &gt; 0), and its counts reconcile against the tables;
 *   <li>a rerun leaves the output tables with identical rows (an order-independent hash of every column but
 *       {@code run_id} and the {@code *_at} timestamps);
 *   <li>it wrote no table outside its declared outputs and the bookkeeping tables;
 *   <li>a failure injected right after its first write leaves every output as it was.
 * </ul>
 *
 * <p>The rerun and the failing run share the first run's lakehouse: neither may change the outputs' rows, so each
 * test's assertions hold whichever ran before it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class StageContractTest {
  protected final SparkSession spark = SharedSpark.session();
  protected RefineryConfig config;
  protected Lakehouse lakehouse;
  private PipelineRun first;
  private Map<String, OptionalLong> versionsBefore;
  private Map<String, OptionalLong> versionsAfterFirstRun;

  /** The provider of the stage under test. */
  protected abstract StageProvider provider();

  /** The stage's config; {@code base} has a fresh lakehouse. */
  protected RefineryConfig configure(RefineryConfig base) {
    return base;
  }

  /**
   * Outputs that are a log with one row set per run, keyed by {@code run_id} (e.g. {@code agreement_summary}): a
   * rerun must leave their earlier rows as they were and add its own, instead of leaving them identical.
   */
  protected Set<String> runLogTables() {
    return Set.of();
  }

  /** Writes the stage's input tables (small, real data). */
  protected abstract void seedInputs();

  @BeforeAll
  void runOnce() {
    config = configure(SharedSpark.config());
    lakehouse = new Lakehouse(spark, config);
    seedInputs();
    versionsBefore = versions();
    first = runner("contract-1").run(stage());
    versionsAfterFirstRun = versions();
  }

  private Stage stage() {
    return provider().create(config);
  }

  private StageRunner runner(String runId) {
    return new StageRunner(spark, config, lakehouse, runId);
  }

  private StageSpec spec() {
    return provider().spec();
  }

  @Test
  void producesOutputAndCountsThatReconcileAgainstTheTables() {
    assertThat(first.status()).isEqualTo(PipelineRun.Status.SUCCEEDED);
    assertThat(first.result().rowsOut()).as("rows out of %s", spec().name()).isPositive();
    Row recorded = lakehouse.read(Tables.PIPELINE_RUNS)
        .where(col("run_id").equalTo("contract-1").and(col("stage").equalTo(spec().name()))).head();
    assertThat(recorded.<Long>getAs("rows_in")).isEqualTo(recorded.<Long>getAs("rows_out")
        + recorded.<Long>getAs("rows_dropped") + recorded.<Long>getAs("rows_quarantined"));
  }

  @Test
  void aRerunLeavesIdenticalTables() {
    Map<String, Long> before = hashes();

    PipelineRun again = runner("contract-2").run(stage());

    assertThat(hashesWithout("contract-2")).isEqualTo(before);
    for (String table : runLogTables()) {
      assertThat(lakehouse.read(table).where(col("run_id").equalTo("contract-2")).count())
          .as("rows the rerun logged in %s", table).isPositive();
    }
    assertThat(again.result().rowsIn()).isEqualTo(first.result().rowsIn());
    assertThat(again.result().rowsOut()).isEqualTo(first.result().rowsOut());
  }

  @Test
  void writesOnlyItsDeclaredOutputs() {
    Set<String> allowed = new TreeSet<>(spec().outputs());
    allowed.addAll(Set.of(Tables.QUARANTINE, Tables.PIPELINE_RUNS, Tables.LLM_CALLS));
    Set<String> changed = new TreeSet<>();
    versionsAfterFirstRun.forEach((table, version) -> {
      if (!version.equals(versionsBefore.get(table))) {
        changed.add(table);
      }
    });
    assertThat(allowed).containsAll(changed);
  }

  @Test
  void aFailureAfterItsFirstWriteLeavesTheOutputsAsTheyWere() {
    Map<String, Long> before = hashes();
    StageRunner failing = runner("contract-3").afterEachWrite(table -> {
      throw new IllegalStateException("injected failure after writing " + table);
    });

    assertThatThrownBy(() -> failing.run(stage())).hasMessageStartingWith("injected failure after writing");

    assertThat(hashes()).isEqualTo(before);
    Row recorded = lakehouse.read(Tables.PIPELINE_RUNS)
        .where(col("run_id").equalTo("contract-3").and(col("stage").equalTo(spec().name()))).head();
    assertThat(recorded.<String>getAs("status")).isEqualTo("failed");
  }

  /** Every known table's latest version (empty when absent). */
  private Map<String, OptionalLong> versions() {
    Map<String, OptionalLong> versions = new LinkedHashMap<>();
    for (String table : Tables.ALL) {
      versions.put(table, lakehouse.version(table));
    }
    return versions;
  }

  /** An order-independent hash of each output's rows, without run ids and timestamps. */
  private Map<String, Long> hashes() {
    return hashesWithout(null);
  }

  /** As {@link #hashes()}, leaving out the rows run {@code runId} logged in the {@link #runLogTables()}. */
  private Map<String, Long> hashesWithout(String runId) {
    Map<String, Long> hashes = new LinkedHashMap<>();
    for (String table : spec().outputs()) {
      if (table.equals(Tables.LLM_CALLS) || !lakehouse.exists(table)) {
        continue;
      }
      Dataset<Row> rows = lakehouse.read(table);
      if (runId != null && runLogTables().contains(table)) {
        rows = rows.where(col("run_id").notEqual(runId));
      }
      // Maps cannot be hashed (equal maps may differ in order): hash their sorted entries.
      Column[] stable = Arrays.stream(rows.schema().fields())
          .filter(f -> !f.name().equals("run_id") && !f.name().endsWith("_at"))
          .map(f -> f.dataType() instanceof org.apache.spark.sql.types.MapType
              ? org.apache.spark.sql.functions.array_sort(org.apache.spark.sql.functions.map_entries(col("`" + f.name() + "`")))
              : col("`" + f.name() + "`"))
          .toArray(Column[]::new);
      // Reduced below 2^31 before summing, so the sum cannot overflow (Spark's ANSI mode would fail on it).
      Row total = rows.select(pmod(xxhash64(stable), lit(Integer.MAX_VALUE)).as("h"))
          .agg(coalesce(sum(col("h")), lit(0L)), count(lit(1))).head();
      hashes.put(table, total.getLong(0) * 31 + total.getLong(1));
    }
    return hashes;
  }
}
