package dev.refinery.jobs.report;

import dev.refinery.core.table.Lakehouse;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * What every section reads: the session, the lakehouse, the run being reported and its {@code pipeline_runs}
 * rows (in pipeline order; empty when the table does not exist).
 */
record ReportInput(SparkSession spark, Lakehouse lakehouse, Optional<String> runId, List<Row> runs) {
  ReportInput {
    runs = List.copyOf(runs);
  }

  /** The run's {@code pipeline_runs} row of one stage. */
  Optional<Row> stageRun(String stage) {
    return runs.stream().filter(r -> stage.equals(r.getAs("stage"))).findFirst();
  }
}
