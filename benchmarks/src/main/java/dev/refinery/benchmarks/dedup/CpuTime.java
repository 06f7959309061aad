package dev.refinery.benchmarks.dedup;

import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;

/**
 * Sums the executor CPU time of every finished Spark task, so a benchmark can report work per core even on
 * a machine shared with other jobs (wall time there measures the neighbours as much as the code).
 */
final class CpuTime extends SparkListener {
  private final AtomicLong nanos = new AtomicLong();

  static CpuTime install(SparkSession spark) {
    CpuTime listener = new CpuTime();
    spark.sparkContext().addSparkListener(listener);
    return listener;
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd end) {
    if (end.taskMetrics() != null) {
      nanos.addAndGet(end.taskMetrics().executorCpuTime());
    }
  }

  /** CPU seconds since the last reset, after letting the listener bus drain. */
  double seconds(SparkSession spark) {
    try {
      Thread.sleep(300);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return nanos.get() / 1e9;
  }

  void reset() {
    nanos.set(0);
  }
}
