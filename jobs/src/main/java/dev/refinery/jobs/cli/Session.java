package dev.refinery.jobs.cli;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.spark.SparkSessions;
import dev.refinery.core.table.Lakehouse;
import org.apache.spark.sql.SparkSession;

/** A Spark session and the lakehouse, opened for one command and stopped after it. */
final class Session implements AutoCloseable {
  final RefineryConfig config;
  final SparkSession spark;
  final Lakehouse lakehouse;

  Session(RefineryConfig config) {
    this.config = config;
    this.spark = SparkSessions.create(config);
    this.lakehouse = new Lakehouse(spark, config);
  }

  @Override
  public void close() {
    // Under spark-submit the submitter owns the context's lifecycle, but stopping is still correct there.
    spark.stop();
  }
}
