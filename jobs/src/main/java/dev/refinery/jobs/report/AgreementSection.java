package dev.refinery.jobs.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;

import dev.refinery.core.table.Tables;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Rater agreement: per-pair distributions from {@code agreement} (aggregated label, agreement rate, entropy,
 * soft score, kept/reason) and the dataset-level figures of the latest {@code agreement_summary} row
 * (Fleiss' kappa, Krippendorff's alpha with bootstrap intervals, pairwise Cohen's kappa).
 */
final class AgreementSection {
  static final String ID = "agreement";
  static final String TITLE = "Agreement";
  private static final int BINS = 10;

  private AgreementSection() {}

  static ReportSection build(ReportInput input) {
    boolean perPair = input.lakehouse().exists(Tables.AGREEMENT);
    boolean summary = input.lakehouse().exists(Tables.AGREEMENT_SUMMARY);
    if (!perPair && !summary) {
      return ReportSection.missing(ID, TITLE, "Not produced yet: agreement does not exist (stage agreement).");
    }
    List<String> blocks = new ArrayList<>();
    if (summary) {
      blocks.addAll(summaryBlocks(input.lakehouse().read(Tables.AGREEMENT_SUMMARY)));
    }
    if (perPair) {
      Dataset<Row> agreement = input.lakehouse().read(Tables.AGREEMENT);
      blocks.add("<h3>Aggregated labels</h3>");
      blocks.add(categoryChart(agreement, "aggregated_label", "aggregated label (A = chosen, B = rejected)"));
      blocks.add("<h3>Kept and dropped pairs</h3>");
      blocks.add(categoryChart(agreement.withColumn("outcome",
          org.apache.spark.sql.functions.coalesce(col("reason"), lit("kept"))), "outcome", "outcome"));
      for (String column : List.of("agreement_rate", "entropy", "soft_score")) {
        blocks.add("<h3>" + Html.escape(column.replace('_', ' ')) + "</h3>");
        blocks.add(unitHistogram(agreement, column));
      }
    }
    return ReportSection.of(ID, TITLE, blocks);
  }

  private static List<String> summaryBlocks(Dataset<Row> summaries) {
    List<Row> latest = summaries.orderBy(col("computed_at").desc()).limit(1).collectAsList();
    if (latest.isEmpty()) {
      return List.of(Html.note("agreement_summary is empty."));
    }
    Row row = latest.get(0);
    List<String> blocks = new ArrayList<>();
    blocks.add(Html.note(String.format(java.util.Locale.ROOT,
        "Run %s: %s pairs, %s judgments, raters %s; %s bootstrap resamples at %s confidence.",
        row.getAs("run_id"), Html.number(row.getAs("n_pairs")), Html.number(row.getAs("n_judgments")),
        row.getList(row.fieldIndex("raters")), Html.number(row.getAs("bootstrap_resamples")),
        Html.number(row.getAs("confidence_level")))));
    List<List<Object>> metrics = new ArrayList<>();
    for (Row m : row.<Row>getList(row.fieldIndex("metrics"))) {
      metrics.add(Arrays.asList(m.getAs("metric"), m.getAs("value"), m.getAs("ci_lower"), m.getAs("ci_upper")));
    }
    blocks.add("<h3>Kappa and alpha</h3>");
    blocks.add(Html.table(List.of("metric", "value", "CI lower", "CI upper"), metrics));
    List<List<Object>> cohen = new ArrayList<>();
    for (Row c : row.<Row>getList(row.fieldIndex("cohen_kappa"))) {
      cohen.add(Arrays.asList(c.getAs("rater_a"), c.getAs("rater_b"), c.getAs("n"), c.getAs("kappa"),
          c.getAs("ci_lower"), c.getAs("ci_upper")));
    }
    if (!cohen.isEmpty()) {
      blocks.add("<h3>Cohen's kappa per rater pair</h3>");
      blocks.add(Html.table(List.of("rater A", "rater B", "pairs", "kappa", "CI lower", "CI upper"), cohen));
    }
    return blocks;
  }

  private static String categoryChart(Dataset<Row> data, String column, String label) {
    List<String> labels = new ArrayList<>();
    List<Long> counts = new ArrayList<>();
    for (Row r : data.groupBy(column).count().orderBy(column).collectAsList()) {
      labels.add(r.isNullAt(0) ? "none" : String.valueOf(r.get(0)));
      counts.add(r.getLong(1));
    }
    return Charts.columns(labels, counts, label);
  }

  /** A histogram of a column whose values lie in [0, 1]. */
  private static String unitHistogram(Dataset<Row> data, String column) {
    // Every bin from 0 to 1, empty ones too, so the axis always spans [0, 1].
    Map<Integer, Long> counts = new LinkedHashMap<>();
    for (int bin = 0; bin < BINS; bin++) {
      counts.put(bin, 0L);
    }
    for (Row r : data.where(col(column).isNotNull())
        .groupBy(least(lit(BINS - 1), org.apache.spark.sql.functions.floor(col(column).multiply(BINS)).cast("int"))
            .as("bin"))
        .agg(count(lit(1))).orderBy("bin").collectAsList()) {
      counts.put(r.getInt(0), r.getLong(1));
    }
    List<Charts.Bin> bins = new ArrayList<>();
    counts.forEach((bin, n) -> bins.add(new Charts.Bin(bin / (double) BINS, (bin + 1) / (double) BINS,
        Map.of("pairs", n))));
    return Charts.histogram(bins, List.of("pairs"), List.of(), column.replace('_', ' '), Html::number);
  }
}
