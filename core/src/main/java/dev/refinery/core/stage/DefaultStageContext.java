package dev.refinery.core.stage;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.substring;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.table.Lakehouse;
import dev.refinery.core.table.Tables;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

final class DefaultStageContext implements StageContext {
  private final SparkSession spark;
  private final RefineryConfig config;
  private final Lakehouse lakehouse;
  private final String runId;
  private final String stageName;
  private final Map<String, Long> inputVersions;
  private final Components components;
  private final StageSpec spec;

  DefaultStageContext(SparkSession spark, RefineryConfig config, Lakehouse lakehouse, String runId,
      StageSpec spec, Map<String, Long> inputVersions, Components components) {
    this.spark = spark;
    this.config = config;
    this.lakehouse = lakehouse;
    this.runId = runId;
    this.stageName = spec.name();
    this.spec = spec;
    this.inputVersions = inputVersions;
    this.components = components;
  }

  @Override
  public StageSpec spec() {
    return spec;
  }

  @Override
  public Dataset<Row> candidates() {
    if (spec.rowsIn() instanceof RowsIn.FromTable fromTable) {
      return fromTable.filter().candidates(this);
    }
    throw dev.refinery.core.error.RefineryException.internal(
        "Cannot give stage %s its candidates: its spec declares no input table to count rows in from", stageName);
  }

  @Override
  public SparkSession spark() {
    return spark;
  }

  @Override
  public RefineryConfig config() {
    return config;
  }

  @Override
  public Lakehouse lakehouse() {
    return lakehouse;
  }

  @Override
  public String runId() {
    return runId;
  }

  @Override
  public String stageName() {
    return stageName;
  }

  @Override
  public Dataset<Row> read(String table) {
    Long version = inputVersions.get(table);
    return version == null ? lakehouse.read(table) : lakehouse.readAtVersion(table, version);
  }

  @Override
  public Map<String, Long> inputVersions() {
    return Map.copyOf(inputVersions);
  }

  @Override
  public void quarantine(Dataset<Row> rows) {
    int maxRaw = config.getInt("quarantine.max-raw-chars", 0, Integer.MAX_VALUE);
    Dataset<Row> shaped = rows.select(
        substring(sha2(concat_ws("\u0000", lit(stageName), col("source"), col("position")), 256), 1, 32)
            .as("quarantine_id"),
        lit(stageName).as("stage"),
        col("source").cast("string"),
        col("position").cast("string"),
        col("reason").cast("string"),
        substring(col("raw").cast("string"), 1, maxRaw).as("raw"),
        lit(runId).as("run_id"),
        current_timestamp().as("quarantined_at"));
    lakehouse.insertNew(Tables.QUARANTINE, shaped, List.of("quarantine_id"));
  }

  @Override
  public <T> T component(Class<T> type) {
    return components.get(type);
  }
}
