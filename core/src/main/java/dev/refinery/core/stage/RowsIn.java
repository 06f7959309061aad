package dev.refinery.core.stage;

import java.io.Serializable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * How the runner knows a stage's rows in. From a table, the runner counts them itself: the declared input at
 * its captured version, through the stage's candidate filter, which is also what {@link StageContext#candidates()}
 * hands the stage. Stages that read files (ingest, imports, seed prompts) have no input table and report the
 * records they read.
 */
public sealed interface RowsIn {
  /** What a stage works on, given its inputs at their captured versions. */
  @FunctionalInterface
  interface CandidateFilter extends Serializable {
    Dataset<Row> candidates(StageContext context);
  }

  record FromTable(String table, CandidateFilter filter) implements RowsIn {}

  record ReportedByStage() implements RowsIn {}

  /** Every row of {@code table} at its captured version. */
  static RowsIn table(String table) {
    return new FromTable(table, context -> context.read(table));
  }

  /** The rows {@code filter} selects from the stage's inputs; {@code table} is the one they come from. */
  static RowsIn table(String table, CandidateFilter filter) {
    return new FromTable(table, filter);
  }

  static RowsIn reportedByStage() {
    return new ReportedByStage();
  }
}
