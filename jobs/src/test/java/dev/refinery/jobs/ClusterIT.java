package dev.refinery.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.table.Lakehouse;
import dev.refinery.core.table.Tables;
import dev.refinery.core.testing.SharedSpark;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Refinery on a real Spark standalone cluster: {@code bin/cluster up} starts a master and two 1-core workers on
 * 127.0.0.1 from the project's own Spark install (each worker declaring one GPU for scheduling), and the stages
 * run through the real {@code spark-submit} in executors of their own. One executor is killed with -9 in the
 * middle of {@code dedup-minhash}; Spark reruns its tasks, and the stage's checkpoints (reliable on a cluster)
 * survive the loss. The deterministic tables must then equal a local-mode run's, row for row.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterIT {
  /** Ports of their own, so that a developer's cluster on the defaults is left alone. */
  private static final Map<String, String> ENV = Map.of(
      "REFINERY_CLUSTER_PORT", "7277", "REFINERY_CLUSTER_UI_PORT", "8280", "REFINERY_WORKER_MEMORY", "3g",
      "REFINERY_EXECUTOR_MEMORY", "2g", "REFINERY_DRIVER_MEMORY", "3g");
  private static final List<String> DATA_STAGES =
      List.of("ingest", "lm-train", "perplexity", "dedup-exact", "dedup-minhash");

  private static final Path ROOT_RUN = SharedSpark.repoRoot().resolve(".cluster/run-7277");

  @TempDir Path dir;
  private final Path root = SharedSpark.repoRoot();

  private record Result(int exitCode, String output) {}

  private Result cluster(Path log, long minutes, String... args) throws Exception {
    return launch("bin/cluster", log, minutes, args);
  }

  /** Runs a launcher of bin/ from the repository root, as a user would; returns its exit code and output. */
  private Result launch(String launcher, Path log, long minutes, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(root.resolve(launcher).toString()));
    command.addAll(Arrays.asList(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    builder.environment().putAll(ENV);
    Process process = builder.start();
    boolean finished = process.waitFor(minutes, TimeUnit.MINUTES);
    if (!finished) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(finished).as("%s %s finished in %d min; output:%n%s", launcher, args[0], minutes, output).isTrue();
    return new Result(process.exitValue(), output);
  }

  @BeforeAll
  void up() throws Exception {
    Result up = cluster(Files.createTempFile("cluster-up", ".log"), 10, "up", "--workers", "2", "--gpus", "1");
    assertThat(up.exitCode()).as(up.output()).isZero();
    assertThat(up.output()).contains("cluster up: spark://127.0.0.1:7277 with 2 worker(s)");
    Result again = cluster(Files.createTempFile("cluster-up", ".log"), 2, "up", "--workers", "2", "--gpus", "1");
    assertThat(again.output()).as("up is idempotent").contains("master already running")
        .doesNotContain("started");
  }

  @AfterAll
  void down() throws Exception {
    Result down = cluster(Files.createTempFile("cluster-down", ".log"), 2, "down");
    assertThat(down.output()).contains("stopped master");
    Result status = cluster(Files.createTempFile("cluster-status", ".log"), 2, "status");
    assertThat(status.exitCode()).as(status.output()).isEqualTo(3);
  }

  @Test
  void dataStagesSurviveAKilledExecutorAndEqualALocalRun() throws Exception {
    Path lake = dir.resolve("cluster-lake");
    var killed = new java.util.concurrent.atomic.AtomicReference<String>("nothing");
    Thread killer = new Thread(() -> killAnExecutorDuring("dedup-minhash", lake, killed), "executor-killer");
    killer.setDaemon(true);
    killer.start();

    List<String> args = new ArrayList<>(List.of("submit", "run"));
    args.addAll(DATA_STAGES);
    args.addAll(List.of("--config", "conf/local.conf", "--lakehouse", lake.toString()));
    Result run = cluster(dir.resolve("submit.log"), 20, args.toArray(String[]::new));
    killer.interrupt();

    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(killed.get()).as("an executor was killed during dedup-minhash").startsWith("kill -9");
    // Assert on the lines that matter: the whole driver log is too long for a CI report to show.
    String driverLines = linesAbout(run.output(), "Lost executor", "removed", "succeeded", "failed", "ERROR");
    assertThat(driverLines).as("%s; the driver said:%n%s", killed.get(), driverLines).contains("Lost executor")
        .containsPattern("dedup-minhash\\s+succeeded");
    try (var left = Files.list(lake.resolve("_checkpoints"))) {
      assertThat(left.toList()).as("every stage deletes its checkpoints").isEmpty();
    }

    Path localLake = dir.resolve("local-lake");
    List<String> local = new ArrayList<>(List.of("run"));
    local.addAll(DATA_STAGES);
    local.addAll(List.of("--config", "conf/local.conf", "--lakehouse", localLake.toString()));
    Result localRun = launch("bin/refinery", dir.resolve("local.log"), 15, local.toArray(String[]::new));
    assertThat(localRun.exitCode()).as(localRun.output()).isZero();

    SparkSession spark = SharedSpark.session();
    RefineryConfig config = RefineryConfig.defaults().with("lakehouse.root", localLake.toString());
    Lakehouse onCluster = new Lakehouse(spark, config.with("lakehouse.root", lake.toString()));
    Lakehouse inLocalMode = new Lakehouse(spark, config);
    for (String table : List.of(Tables.RAW_DOCUMENTS, Tables.SCORED_DOCUMENTS, Tables.DEDUP_CLUSTERS,
        Tables.DOCUMENTS_CLEAN)) {
      Dataset<Row> a = deterministic(onCluster.read(table));
      Dataset<Row> b = deterministic(inLocalMode.read(table));
      assertThat(a.count()).as("%s rows", table).isPositive().isEqualTo(b.count());
      assertThat(a.exceptAll(b).count()).as("%s rows only in the cluster run", table).isZero();
      assertThat(b.exceptAll(a).count()).as("%s rows only in the local run", table).isZero();
    }
    assertThat(onCluster.read(Tables.PIPELINE_RUNS).where("status = 'succeeded'").count())
        .isEqualTo(DATA_STAGES.size());
  }

  /** The table without what names the run (run id, timestamps): what two runs of the same data must share. */
  private static Dataset<Row> deterministic(Dataset<Row> table) {
    List<org.apache.spark.sql.Column> kept = new ArrayList<>();
    for (var field : table.schema().fields()) {
      String name = field.name();
      if (name.equals("run_id") || name.endsWith("_at") || name.equals("model_id") || name.equals("model_path")) {
        continue;
      }
      // Set operations cannot compare maps: compare their entries, sorted, as JSON.
      kept.add(field.dataType() instanceof org.apache.spark.sql.types.MapType
          ? org.apache.spark.sql.functions.to_json(org.apache.spark.sql.functions.array_sort(
              org.apache.spark.sql.functions.map_entries(table.col(name)))).as(name)
          : table.col(name));
    }
    return table.select(kept.toArray(org.apache.spark.sql.Column[]::new));
  }

  /**
   * Waits until {@code stage} has written its first reliable checkpoint on the cluster (an {@code rdd-*} folder under
   * its checkpoint directory), so the stage is mid-way with shuffle and checkpoint data on the executors, then kills
   * worker 1's executor with SIGKILL; says what it did in {@code killed}. A fixed delay after the stage starts is not
   * enough: on a fast machine the stage can end within it, and the kill then lands after the driver stopped.
   */
  private static void killAnExecutorDuring(String stage, Path lake, java.util.concurrent.atomic.AtomicReference<String> killed) {
    try {
      Path checkpoints = lake.resolve("_checkpoints");
      while (!hasCheckpointOf(stage, checkpoints)) {
        Thread.sleep(50);
      }
      // The worker's child is the executor JVM (the worker starts it directly).
      long worker = Long.parseLong(Files.readString(ROOT_RUN.resolve("worker-1.pid")).trim());
      List<ProcessHandle> executors = ProcessHandle.of(worker).orElseThrow().children().toList();
      if (executors.isEmpty()) {
        killed.set("worker 1 (pid " + worker + ") had no executor at " + java.time.Instant.now());
        return;
      }
      long pid = executors.get(0).pid();
      int status = new ProcessBuilder("kill", "-9", Long.toString(pid)).start().waitFor();
      killed.set("kill -9 " + pid + " (worker 1's executor) exited " + status + " at " + java.time.Instant.now());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.io.IOException | RuntimeException e) {
      killed.set("killer failed: " + e);
    }
  }

  private static String linesAbout(String log, String... words) {
    return log.lines().filter(line -> java.util.Arrays.stream(words).anyMatch(line::contains))
        .limit(200).collect(java.util.stream.Collectors.joining("\n"));
  }

  private static boolean hasCheckpointOf(String stage, Path checkpoints) {
    if (!Files.isDirectory(checkpoints)) {
      return false;
    }
    try (var entries = Files.walk(checkpoints, 3)) {
      return entries.anyMatch(p -> p.getFileName().toString().startsWith("rdd-")
          && p.toString().contains("stage=" + stage + "_"));
    } catch (java.io.IOException | java.io.UncheckedIOException e) {
      return false; // a folder went away while we listed it: look again
    }
  }
}
