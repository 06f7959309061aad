package dev.refinery.benchmarks.dedup;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.testing.SharedSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/** Shared benchmark plumbing: a local session sized to the machine, config, and JSON output. */
final class Bench {
  private Bench() {}

  static SparkSession spark() {
    int cores = Runtime.getRuntime().availableProcessors();
    SparkSession spark = SparkSession.builder()
        .master("local[" + cores + "]")
        .appName("refinery-dedup-bench")
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        .config("spark.sql.shuffle.partitions", String.valueOf(Math.max(4, 2 * cores)))
        .config("spark.default.parallelism", String.valueOf(Math.max(4, 2 * cores)))
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.databricks.delta.snapshotPartitions", "2")
        .getOrCreate();
    spark.sparkContext().setLogLevel("ERROR");
    return spark;
  }

  static RefineryConfig config() {
    return SharedSpark.config();
  }

  static Map<String, Object> result(String name) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("benchmark", name);
    out.put("cores", Runtime.getRuntime().availableProcessors());
    out.put("load_average_at_start", java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        .getSystemLoadAverage());
    return out;
  }

  static void print(Map<String, Object> result, String file) {
    try {
      ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
      String text = json.writeValueAsString(result);
      System.out.println(text);
      String dir = System.getProperty("bench.out");
      if (dir != null) {
        Files.createDirectories(Path.of(dir));
        Files.writeString(Path.of(dir, file), text + "\n");
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static double round(double value, int digits) {
    double scale = Math.pow(10, digits);
    return Math.round(value * scale) / scale;
  }
}
