package dev.refinery.core.stage;

/**
 * How the runner knows a stage's rows out. Committed to a table, the runner reads them from the Delta commit
 * metrics of this run's writes to it (rows a MERGE was given, or rows a write wrote), so a rerun that inserts
 * nothing new still counts what it produced. Stages whose product is not one row per kept input (a trained
 * model, a summary) report the count.
 */
public sealed interface RowsOut {
  record CommittedTo(String table) implements RowsOut {}

  record ReportedByStage() implements RowsOut {}

  static RowsOut committedTo(String table) {
    return new CommittedTo(table);
  }

  static RowsOut reportedByStage() {
    return new ReportedByStage();
  }
}
