package dev.refinery.core.testing;

import dev.refinery.core.config.RefineryConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/**
 * One local Spark session per test JVM (starting Spark costs seconds): two threads, two shuffle
 * partitions, no UI, Delta enabled. Tests get a fresh lakehouse folder each through {@link #config()}.
 */
public final class SharedSpark {
  private static SparkSession session;

  private SharedSpark() {}

  public static synchronized SparkSession session() {
    if (session == null) {
      session = SparkSession.builder()
          .master("local[2]")
          .appName("refinery-tests")
          .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
          .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
          .config("spark.sql.shuffle.partitions", "2")
          .config("spark.default.parallelism", "2")
          .config("spark.ui.enabled", "false")
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.sql.session.timeZone", "UTC")
          .config("spark.databricks.delta.snapshotPartitions", "2")
          .getOrCreate();
      session.sparkContext().setLogLevel("ERROR");
    }
    return session;
  }

  /** Default config with {@code lakehouse.root} in a new temporary folder. */
  public static RefineryConfig config() {
    return RefineryConfig.defaults().with("lakehouse.root", newLakehouse().toString());
  }

  public static Path newLakehouse() {
    try {
      Path dir = Files.createTempDirectory("refinery-lakehouse-");
      dir.toFile().deleteOnExit();
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The repository root (for samples/ and conf/), from the build or the working directory. */
  public static Path repoRoot() {
    String fromBuild = System.getProperty("refinery.repo.root");
    Path start = fromBuild != null ? Path.of(fromBuild) : Path.of("").toAbsolutePath();
    for (Path p = start; p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("conf")) && Files.exists(p.resolve("pom.xml"))
          && Files.isDirectory(p.resolve("core"))) {
        return p;
      }
    }
    throw new IllegalStateException("Cannot find the repository root above " + start);
  }
}
