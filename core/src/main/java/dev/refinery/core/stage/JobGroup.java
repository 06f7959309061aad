package dev.refinery.core.stage;

import org.apache.spark.SparkContext;

/**
 * A Spark job group for the duration of a try-with-resources block, so the Spark UI shows which stage runs each
 * job, and the group is cleared however the block ends.
 */
public final class JobGroup implements AutoCloseable {
  private final SparkContext context;

  private JobGroup(SparkContext context) {
    this.context = context;
  }

  public static JobGroup of(org.apache.spark.sql.SparkSession spark, String id, String description) {
    spark.sparkContext().setJobGroup(id, description, false);
    return new JobGroup(spark.sparkContext());
  }

  @Override
  public void close() {
    context.clearJobGroup();
  }
}
