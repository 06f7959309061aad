package dev.refinery.jobs.report;

import dev.refinery.core.table.Tables;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Rows kept per stage: the reported {@code pipeline_runs} rows (each stage's latest run, or one run's stages) as a
 * funnel chart and a table.
 */
final class FunnelSection {
  static final String ID = "funnel";
  static final String TITLE = "Funnel: rows kept per stage";

  private FunnelSection() {}

  static ReportSection build(ReportInput input) {
    if (input.runs().isEmpty()) {
      return ReportSection.missing(ID, TITLE, input.lakehouse().exists(Tables.PIPELINE_RUNS)
          ? "No pipeline_runs rows for this run."
          : "Not produced yet: pipeline_runs does not exist (run any stage, e.g. `refinery run ingest`).");
    }
    List<Charts.Bar> bars = new ArrayList<>();
    List<List<Object>> rows = new ArrayList<>();
    for (Row run : input.runs()) {
      String stage = run.getAs("stage");
      long in = run.<Long>getAs("rows_in");
      long out = run.<Long>getAs("rows_out");
      bars.add(new Charts.Bar(stage, out, in, String.format(java.util.Locale.ROOT, "%s: %s of %s rows kept (%s)",
          stage, Html.number(out), Html.number(in), in == 0 ? "n/a" : Html.number(100.0 * out / in) + "%")));
      rows.add(List.of(stage, run.<String>getAs("run_id"), run.<String>getAs("status"), in, out, run.<Long>getAs("rows_dropped"),
          run.<Long>getAs("rows_quarantined"), run.<Long>getAs("duration_ms") / 1000.0,
          reasons(run.getAs("dropped_by_reason")), errorOf(run)));
    }
    return ReportSection.of(ID, TITLE, List.of(
        Charts.horizontalBars(bars, "rows out", "rows in"),
        Html.table(List.of("stage", "run", "status", "rows in", "rows out", "dropped", "quarantined", "seconds",
            "dropped by reason", "error"), rows)));
  }

  private static String errorOf(Row run) {
    Object error = run.getAs("error");
    return error == null ? "" : String.valueOf(error);
  }

  static String reasons(scala.collection.Map<String, Object> map) {
    if (map == null || map.isEmpty()) {
      return "";
    }
    List<String> parts = new ArrayList<>();
    for (Map.Entry<String, Object> e : new java.util.TreeMap<>(CollectionConverters.asJava(map)).entrySet()) {
      parts.add(e.getKey() + ": " + Html.number(e.getValue()));
    }
    return String.join(", ", parts);
  }
}
