package dev.refinery.core.spark;

import dev.refinery.core.config.RefineryConfig;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * Builds Refinery's Spark session: Delta's SQL extension and catalog, plus everything under
 * {@code spark.conf}. Under {@code spark-submit} the master and resources come from the submit command,
 * and {@code spark.master} in config is ignored.
 */
public final class SparkSessions {
  private SparkSessions() {}

  public static SparkSession create(RefineryConfig config) {
    SparkSession.Builder builder = SparkSession.builder()
        .appName(config.getString("spark.app-name"))
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        .config("spark.sql.shuffle.partitions", config.getInt("spark.shuffle-partitions", 1, 100_000));
    if (!launchedBySparkSubmit()) {
      builder.master(config.getString("spark.master"));
    }
    for (Map.Entry<String, String> entry : config.getStringMap("spark.conf").entrySet()) {
      builder.config(entry.getKey(), entry.getValue());
    }
    SparkSession spark = builder.getOrCreate();
    spark.sparkContext().setLogLevel(config.getString("spark.log-level"));
    return spark;
  }

  /** spark-submit sets {@code spark.master} as a system property before calling main. */
  public static boolean launchedBySparkSubmit() {
    return System.getProperty("spark.master") != null;
  }

  public static boolean isLocal(SparkSession spark) {
    return spark.sparkContext().master().startsWith("local");
  }
}
