package dev.refinery.jobs.report;

import static org.apache.spark.sql.functions.col;

import dev.refinery.core.table.Tables;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Row;

/** Training curves (loss, accuracy, margin per optimiser step) of every run in {@code training_runs}. */
final class TrainingSection {
  static final String ID = "training";
  static final String TITLE = "Training curves";
  private static final List<String> CURVES = List.of("loss", "accuracy", "margin");

  private TrainingSection() {}

  static ReportSection build(ReportInput input) {
    if (!input.lakehouse().exists(Tables.TRAINING_RUNS)) {
      return ReportSection.missing(ID, TITLE,
          "Not produced yet: training_runs does not exist (stages train-rm, train-dpo).");
    }
    List<Row> runs = input.lakehouse().read(Tables.TRAINING_RUNS).orderBy(col("started_at")).collectAsList();
    if (runs.isEmpty()) {
      return ReportSection.missing(ID, TITLE, "training_runs is empty.");
    }
    List<String> blocks = new ArrayList<>();
    List<List<Object>> table = new ArrayList<>();
    for (Row run : runs) {
      table.add(Arrays.asList(run.getAs("training_run_id"), run.getAs("kind"), run.getAs("status"),
          run.getAs("dataset_table") + "@v" + run.getAs("dataset_version"), run.getAs("device"),
          run.<Long>getAs("duration_ms") / 1000.0, run.<Row>getList(run.fieldIndex("steps")).size(),
          FunnelSection.reasons(run.getAs("final_metrics"))));
    }
    blocks.add(Html.table(List.of("training run", "kind", "status", "dataset", "device", "seconds", "steps",
        "final metrics"), table));
    for (String metric : CURVES) {
      List<Charts.Series> series = new ArrayList<>();
      for (Row run : runs) {
        List<double[]> points = new ArrayList<>();
        for (Row step : run.<Row>getList(run.fieldIndex("steps"))) {
          points.add(new double[] {((Number) step.getAs("step")).doubleValue(),
              ((Number) step.getAs(metric)).doubleValue()});
        }
        if (!points.isEmpty()) {
          series.add(new Charts.Series(run.getAs("kind") + " " + shortId(run.getAs("training_run_id")), points));
        }
      }
      if (!series.isEmpty()) {
        blocks.add("<h3>" + Html.escape(metric) + "</h3>");
        blocks.add(Charts.lines(series, "step", metric));
      }
    }
    return ReportSection.of(ID, TITLE, blocks);
  }

  private static String shortId(String id) {
    return id.length() > 12 ? id.substring(0, 12) : id;
  }
}
