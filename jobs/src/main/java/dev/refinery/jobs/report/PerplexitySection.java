package dev.refinery.jobs.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log10;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;

import dev.refinery.core.table.Tables;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Perplexity of the scored documents on a log scale, stacked by bucket (head/middle/tail), with the cut-offs
 * the perplexity stage recorded in its {@code pipeline_runs} metrics ({@code head_below}, {@code tail_from}).
 */
final class PerplexitySection {
  static final String ID = "perplexity";
  static final String TITLE = "Perplexity distribution and bucket cut-offs";
  private static final int BINS = 40;
  private static final List<String> BUCKET_ORDER = List.of("head", "middle", "tail");

  private PerplexitySection() {}

  static ReportSection build(ReportInput input) {
    if (!input.lakehouse().exists(Tables.SCORED_DOCUMENTS)) {
      return ReportSection.missing(ID, TITLE, "Not produced yet: scored_documents does not exist (stage perplexity).");
    }
    Dataset<Row> scored = input.lakehouse().read(Tables.SCORED_DOCUMENTS)
        .where(col("perplexity").isNotNull().and(col("perplexity").gt(0)));
    List<Charts.Bin> bins = Histograms.bins(scored, log10(col("perplexity")), col("bucket"), BINS);
    if (bins.isEmpty()) {
      return ReportSection.missing(ID, TITLE, "scored_documents has no document with a perplexity.");
    }
    List<String> groups = Histograms.orderedGroups(bins, BUCKET_ORDER);

    List<Charts.Marker> markers = new ArrayList<>();
    Map<String, String> metrics = cutOffMetrics(input);
    addMarker(markers, metrics.get("head_below"), "head < ");
    addMarker(markers, metrics.get("tail_from"), "tail \u2265 ");

    List<List<Object>> table = new ArrayList<>();
    for (Row row : input.lakehouse().read(Tables.SCORED_DOCUMENTS)
        .groupBy(col("bucket"), col("kept")).agg(count(lit(1)).as("n"), min("perplexity"), max("perplexity"))
        .orderBy(col("bucket"), col("kept")).collectAsList()) {
      table.add(java.util.Arrays.asList(row.isNullAt(0) ? "none" : row.getString(0), String.valueOf(row.get(1)),
          row.getLong(2), row.isNullAt(3) ? null : row.getDouble(3), row.isNullAt(4) ? null : row.getDouble(4)));
    }
    List<String> blocks = new ArrayList<>();
    blocks.add(Charts.histogram(bins, groups, markers, "perplexity (log scale)",
        x -> Html.number(Math.pow(10, x))));
    if (markers.isEmpty()) {
      blocks.add(Html.note("No cut-offs recorded in pipeline_runs metrics (head_below, tail_from)."));
    } else {
      blocks.add(Html.note(String.format(Locale.ROOT, "Cut-offs (%s): head below %s, tail from %s.",
          metrics.getOrDefault("bucket_mode", "?"), cutOff(metrics.get("head_below")),
          cutOff(metrics.get("tail_from")))));
    }
    blocks.add(Html.table(List.of("bucket", "kept", "documents", "min perplexity", "max perplexity"), table));
    return ReportSection.of(ID, TITLE, blocks);
  }

  /** The reported perplexity run's metrics if it succeeded, else those of the latest successful perplexity run. */
  private static Map<String, String> cutOffMetrics(ReportInput input) {
    Optional<Row> run = input.stageRun("perplexity").filter(r -> "succeeded".equals(r.getAs("status")));
    if (run.isEmpty() && input.lakehouse().exists(Tables.PIPELINE_RUNS)) {
      List<Row> latest = input.lakehouse().read(Tables.PIPELINE_RUNS)
          .where(col("stage").equalTo("perplexity").and(col("status").equalTo("succeeded")))
          .orderBy(col("started_at").desc()).limit(1).collectAsList();
      run = latest.stream().findFirst();
    }
    return run.map(r -> scala.jdk.javaapi.CollectionConverters.asJava(r.<scala.collection.Map<String, String>>getAs(
        "metrics"))).orElse(Map.of());
  }

  /** A recorded cut-off as people read it (4 significant digits: the metric holds the full double). */
  static String cutOff(String value) {
    if (value == null) {
      return "?";
    }
    try {
      return Html.number(Double.parseDouble(value));
    } catch (NumberFormatException e) {
      return value;
    }
  }

  private static void addMarker(List<Charts.Marker> markers, String value, String label) {
    if (value == null) {
      return;
    }
    try {
      double cut = Double.parseDouble(value);
      if (cut > 0 && Double.isFinite(cut)) {
        markers.add(new Charts.Marker(Math.log10(cut), label + Html.number(cut)));
      }
    } catch (NumberFormatException e) {
      // A cut-off that is not a number is shown in the note only.
    }
  }
}
