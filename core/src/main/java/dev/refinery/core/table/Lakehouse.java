package dev.refinery.core.table;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.error.ErrorType;
import dev.refinery.core.error.RefineryException;
import io.delta.tables.DeltaTable;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * The pipeline's Delta tables under one root ({@code lakehouse.root}, a local folder or an {@code s3a://}
 * URI). Stages name tables by their default name ({@link Tables}); this class maps them to the configured
 * name and location and performs the writes the stage contract allows: idempotent MERGEs on keys, and
 * whole-table overwrites for derived tables.
 *
 * <p>Several runs may write one lakehouse at once (Airflow's parallel branches and retries). Delta's optimistic
 * concurrency then fails the later commit with a {@code DeltaConcurrentModificationException}, which commits
 * nothing; every write here retries it ({@code lakehouse.conflict-retries} times, with jittered backoff). That is
 * safe because each write is idempotent or, for an append, never committed when the conflict is raised.
 */
public final class Lakehouse {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Lakehouse.class);
  /** Delta writes this session conf into every commit's {@code userMetadata} (the stage runner sets it). */
  public static final String COMMIT_TAG_CONF = "spark.databricks.delta.commitInfo.userMetadata";
  private final SparkSession spark;
  private final RefineryConfig config;
  private final String root;
  /** Tables this handle may write; null: any. Set for a running stage ({@link #writableOnly}). */
  private final Set<String> writable;
  private final String writer;
  /** Called with the table's name after each write through this handle; a test hook for injecting faults. */
  private final java.util.function.Consumer<String> afterWrite;
  /** Rows given to writes that Delta committed nothing for (a rerun's insert-only MERGE), by table. */
  private final java.util.Map<String, Long> rowsWithoutCommit = new java.util.concurrent.ConcurrentHashMap<>();
  private final int conflictRetries;

  public Lakehouse(SparkSession spark, RefineryConfig config) {
    this(spark, config, null, null, table -> { });
  }

  private Lakehouse(SparkSession spark, RefineryConfig config, Set<String> writable, String writer,
      java.util.function.Consumer<String> afterWrite) {
    this.spark = spark;
    this.config = config;
    this.root = normaliseRoot(config.getString("lakehouse.root"));
    this.writable = writable;
    this.writer = writer;
    this.afterWrite = afterWrite;
    this.conflictRetries = config.getInt("lakehouse.conflict-retries", 0, 1000);
  }

  /**
   * A handle on the same tables that writes only {@code tables}: the write handle a stage gets for its declared
   * outputs. A write to any other table fails, naming it and the stage.
   */
  public Lakehouse writableOnly(String stage, Set<String> tables, java.util.function.Consumer<String> afterWrite) {
    return new Lakehouse(spark, config, Set.copyOf(tables), stage, afterWrite);
  }

  public String root() {
    return root;
  }

  /** The configured name of a table ({@code tables.raw-documents}, default {@code raw_documents}). */
  public String name(String table) {
    String key = Tables.configKey(table);
    return config.hasPath(key) ? config.getString(key) : table;
  }

  public String location(String table) {
    return root + "/" + name(table);
  }

  public boolean exists(String table) {
    return DeltaTable.isDeltaTable(spark, location(table));
  }

  public Dataset<Row> read(String table) {
    requireExists(table);
    return spark.read().format("delta").load(location(table));
  }

  public Dataset<Row> readAtVersion(String table, long version) {
    requireExists(table);
    return spark.read().format("delta").option("versionAsOf", version).load(location(table));
  }

  /** The latest committed version, or empty when the table does not exist yet. */
  public OptionalLong version(String table) {
    if (!exists(table)) {
      return OptionalLong.empty();
    }
    Row latest = DeltaTable.forPath(spark, location(table)).history(1).select("version").head();
    return OptionalLong.of(latest.getLong(0));
  }

  public Dataset<Row> history(String table) {
    requireExists(table);
    return DeltaTable.forPath(spark, location(table)).history();
  }

  /**
   * Inserts the rows whose keys are not in the table yet; existing rows are left as they are, so a rerun
   * changes nothing. Creates the table when it does not exist. Keys must be unique within {@code rows}.
   */
  public void insertNew(String table, Dataset<Row> rows, List<String> keys) {
    merge(table, rows, keys, null);
  }

  /** Inserts new keys and replaces the rows of existing keys. Creates the table when absent. */
  public void upsert(String table, Dataset<Row> rows, List<String> keys) {
    merge(table, rows, keys, "true");
  }

  /**
   * Inserts new keys and replaces the existing rows for which {@code replaceWhen} (a SQL condition over
   * {@code target} and {@code source}) holds; the others are kept. Creates the table when absent.
   */
  public void upsertWhere(String table, Dataset<Row> rows, List<String> keys, String replaceWhen) {
    merge(table, rows, keys, replaceWhen);
  }

  /** Replaces the whole table (a new Delta version; history is kept). For tables derived in full each run. */
  public void overwrite(String table, Dataset<Row> rows) {
    checkWritable(table);
    try {
      retryingConflicts(table, () ->
          rows.write().format("delta").mode(SaveMode.Overwrite).option("overwriteSchema", "true").save(location(table)));
    } catch (RuntimeException e) {
      throw storageError(e, "overwrite", table);
    }
    afterWrite.accept(table);
  }

  /** Creates an empty table with {@code schema} if it does not exist, so readers always find it. */
  public void createIfAbsent(String table, org.apache.spark.sql.types.StructType schema) {
    checkWritable(table);
    if (!exists(table)) {
      try {
        retryingConflicts(table, () -> {
          if (!exists(table)) {
            spark.createDataFrame(new ArrayList<Row>(), schema)
                .write().format("delta").mode(SaveMode.Ignore).save(location(table));
          }
        });
      } catch (RuntimeException e) {
        throw storageError(e, "create", table);
      }
    }
  }

  /** Every known table that exists, registered as a temporary view under its configured name. */
  public List<String> registerViews() {
    List<String> registered = new ArrayList<>();
    for (String table : Tables.ALL) {
      if (exists(table)) {
        read(table).createOrReplaceTempView(name(table));
        registered.add(name(table));
      }
    }
    return registered;
  }

  /**
   * Replaces the rows matching {@code predicate} (a SQL condition) with {@code rows}, which must all match it:
   * for tables that several stages share by partition, such as {@code dedup_clusters} by method.
   */
  public void replaceWhere(String table, Dataset<Row> rows, String predicate) {
    checkWritable(table);
    try {
      retryingConflicts(table, () ->
          rows.write().format("delta").mode(SaveMode.Overwrite).option("replaceWhere", predicate).save(location(table)));
    } catch (RuntimeException e) {
      throw storageError(e, "replace rows where " + predicate + " of", table);
    }
    afterWrite.accept(table);
  }

  /** Appends rows as they are; for callers that have already removed the keys the table holds. */
  public void append(String table, Dataset<Row> rows) {
    checkWritable(table);
    try {
      retryingConflicts(table, () -> rows.write().format("delta").mode(SaveMode.Append).save(location(table)));
    } catch (RuntimeException e) {
      throw storageError(e, "append to", table);
    }
    afterWrite.accept(table);
  }

  /** Rows this handle gave to writes of {@code table} that made no commit (all keys present already). */
  public long rowsWrittenWithoutCommit(String table) {
    return rowsWithoutCommit.getOrDefault(table, 0L);
  }

  /** The commits after {@code version} (all of them when the table did not exist then), oldest first. */
  public List<Commit> commitsAfter(String table, OptionalLong version) {
    if (!exists(table)) {
      return List.of();
    }
    long after = version.isPresent() ? version.getAsLong() : -1;
    List<Commit> commits = new ArrayList<>();
    for (Row row : DeltaTable.forPath(spark, location(table)).history()
        .where(org.apache.spark.sql.functions.col("version").gt(after))
        .orderBy("version").select("version", "operation", "operationMetrics", "userMetadata").collectAsList()) {
      scala.collection.Map<String, String> metrics = row.isNullAt(2) ? null : row.getMap(2);
      commits.add(new Commit(row.getLong(0), row.getString(1),
          metrics == null ? java.util.Map.of() : scala.jdk.javaapi.CollectionConverters.asJava(metrics),
          row.isNullAt(3) ? "" : row.getString(3)));
    }
    return commits;
  }

  /** Restores {@code table} to {@code version} (Delta RESTORE: a new commit; history is kept). */
  public void restore(String table, long version) {
    try {
      DeltaTable.forPath(spark, location(table)).restoreToVersion(version);
    } catch (RuntimeException e) {
      throw storageError(e, "restore to version " + version + ":", table);
    }
  }

  /** Deletes a table with all its files: for a table that a failed run created. */
  public void delete(String table) {
    try {
      org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(location(table));
      path.getFileSystem(spark.sparkContext().hadoopConfiguration()).delete(path, true);
    } catch (java.io.IOException | RuntimeException e) {
      throw new RefineryException(ErrorType.EXTERNAL,
          "Cannot delete table " + name(table) + " at " + location(table) + ": " + e.getMessage(), e);
    }
  }

  /** One Delta commit as the runner reads it back: its operation, metrics and the writer's tag. */
  public record Commit(long version, String operation, java.util.Map<String, String> metrics, String userMetadata) {
    /** Rows this commit was given to write: a MERGE's source rows, a write's output rows; 0 otherwise. */
    public long rowsWritten() {
      String value = switch (operation) {
        case "MERGE" -> metrics.get("numSourceRows");
        case "WRITE", "CREATE TABLE", "CREATE TABLE AS SELECT", "CREATE OR REPLACE TABLE AS SELECT",
            "REPLACE TABLE AS SELECT" -> metrics.get("numOutputRows");
        default -> null;
      };
      return value == null ? 0 : Long.parseLong(value);
    }
  }

  private void checkWritable(String table) {
    if (writable != null && !writable.contains(table)) {
      throw RefineryException.internal(
          "Cannot write table %s from stage %s: it is not one of the stage's declared outputs (%s)", name(table),
          writer, String.join(", ", new java.util.TreeSet<>(writable)));
    }
  }

  private void merge(String table, Dataset<Row> rows, List<String> keys, String replaceWhen) {
    checkWritable(table);
    try {
      retryingConflicts(table, () -> mergeOnce(table, rows, keys, replaceWhen));
    } catch (RefineryException e) {
      throw e;
    } catch (RuntimeException e) {
      throw storageError(e, "merge into", table);
    }
    afterWrite.accept(table);
  }

  private void mergeOnce(String table, Dataset<Row> rows, List<String> keys, String replaceWhen) {
    if (!exists(table)) {
      // Two runs may create the table at once: the loser's conflict is retried, and finds the table.
      rows.write().format("delta").mode(SaveMode.ErrorIfExists).save(location(table));
      return;
    }
    String condition = keys.stream()
        .map(k -> "target.`" + k + "` <=> source.`" + k + "`")
        .collect(Collectors.joining(" AND "));
    var builder = DeltaTable.forPath(spark, location(table)).as("target").merge(rows.as("source"), condition);
    if (replaceWhen != null) {
      builder = builder.whenMatched(replaceWhen).updateAll();
    }
    OptionalLong before = version(table);
    builder.whenNotMatched().insertAll().execute();
    if (replaceWhen == null && !committedSince(table, before)) {
      // Every key was already there and Delta recorded no commit, so no commit metrics either: count the rows.
      rowsWithoutCommit.merge(table, rows.count(), Long::sum);
    }
  }

  /** Whether this session made a commit to {@code table} after {@code version}; others' commits do not count. */
  private boolean committedSince(String table, OptionalLong version) {
    String tag = spark.conf().get(COMMIT_TAG_CONF, "");
    return commitsAfter(table, version).stream().anyMatch(commit -> commit.userMetadata().equals(tag));
  }

  /**
   * Runs {@code write}, again when Delta rejects its commit for a concurrent one (nothing was committed then).
   * Other failures pass through at once.
   */
  private void retryingConflicts(String table, Runnable write) {
    for (int attempt = 0; ; attempt++) {
      try {
        write.run();
        return;
      } catch (RuntimeException e) {
        if (!isConflict(e) || attempt >= conflictRetries) {
          throw e;
        }
        long backoff = Math.min(5_000, 100L << Math.min(attempt, 6));
        long sleep = backoff / 2 + java.util.concurrent.ThreadLocalRandom.current().nextLong(backoff / 2 + 1);
        LOG.warn("Write to {} conflicted with a concurrent commit ({}); retrying in {} ms ({} of {})", name(table),
            e.getClass().getSimpleName(), sleep, attempt + 1, conflictRetries);
        try {
          Thread.sleep(sleep);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  /** Delta's optimistic-concurrency failures (concurrent append, delete, protocol or metadata change, a new table). */
  static boolean isConflict(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof org.apache.spark.sql.delta.DeltaConcurrentModificationException) {
        return true;
      }
      if (cause instanceof org.apache.spark.sql.AnalysisException analysis
          && analysis.getMessage() != null && analysis.getMessage().contains("already exists")) {
        return true; // the table another run created between our exists() check and our create
      }
    }
    return false;
  }

  private void requireExists(String table) {
    if (!exists(table)) {
      throw RefineryException.userError(
          "Cannot read table %s: no Delta table at %s. Run the stage that writes it first", name(table),
          location(table));
    }
  }

  private RefineryException storageError(RuntimeException e, String verb, String table) {
    return new RefineryException(ErrorType.EXTERNAL,
        "Cannot " + verb + " table " + name(table) + " at " + location(table) + ": " + e.getMessage(), e);
  }

  private static String normaliseRoot(String root) {
    String trimmed = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
    URI uri = URI.create(trimmed.replace(" ", "%20"));
    if (uri.getScheme() == null) {
      return Path.of(trimmed).toAbsolutePath().normalize().toString();
    }
    return trimmed;
  }
}
