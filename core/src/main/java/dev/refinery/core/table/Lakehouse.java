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
 */
public final class Lakehouse {
  private final SparkSession spark;
  private final RefineryConfig config;
  private final String root;

  public Lakehouse(SparkSession spark, RefineryConfig config) {
    this.spark = spark;
    this.config = config;
    this.root = normaliseRoot(config.getString("lakehouse.root"));
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
    merge(table, rows, keys, false);
  }

  /** Inserts new keys and replaces the rows of existing keys. Creates the table when absent. */
  public void upsert(String table, Dataset<Row> rows, List<String> keys) {
    merge(table, rows, keys, true);
  }

  /** Replaces the whole table (a new Delta version; history is kept). For tables derived in full each run. */
  public void overwrite(String table, Dataset<Row> rows) {
    try {
      rows.write().format("delta").mode(SaveMode.Overwrite).option("overwriteSchema", "true").save(location(table));
    } catch (RuntimeException e) {
      throw storageError(e, "overwrite", table);
    }
  }

  /** Creates an empty table with {@code schema} if it does not exist, so readers always find it. */
  public void createIfAbsent(String table, org.apache.spark.sql.types.StructType schema) {
    if (!exists(table)) {
      try {
        spark.createDataFrame(new ArrayList<Row>(), schema)
            .write().format("delta").mode(SaveMode.Ignore).save(location(table));
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

  private void merge(String table, Dataset<Row> rows, List<String> keys, boolean updateExisting) {
    try {
      if (!exists(table)) {
        rows.write().format("delta").mode(SaveMode.ErrorIfExists).save(location(table));
        return;
      }
      String condition = keys.stream()
          .map(k -> "target.`" + k + "` <=> source.`" + k + "`")
          .collect(Collectors.joining(" AND "));
      var builder = DeltaTable.forPath(spark, location(table)).as("target").merge(rows.as("source"), condition);
      if (updateExisting) {
        builder = builder.whenMatched().updateAll();
      }
      builder.whenNotMatched().insertAll().execute();
    } catch (RefineryException e) {
      throw e;
    } catch (RuntimeException e) {
      throw storageError(e, "merge into", table);
    }
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
