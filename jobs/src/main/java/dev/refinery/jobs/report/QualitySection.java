package dev.refinery.jobs.report;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log10;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.refinery.core.table.Tables;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What {@code quality-signals} and {@code quality-filter} made of the documents: the languages found, the filter's
 * drop reasons, the PII found per kind, and the distributions of the signals the presets threshold, kept against
 * dropped. Reads the tables by column name, so that a signal added later shows up in SQL without a change here.
 */
final class QualitySection {
  static final String ID = "quality";
  static final String TITLE = "Document quality: languages, filter, PII and signals";
  private static final int BINS = 30;
  private static final int LANGUAGES_SHOWN = 12;
  private static final String PII_PREFIX = "pii_";
  private static final String PII_TOTAL = "pii_total";

  /** A signal shown as a histogram; counts (log) are drawn on log10(1 + value). */
  private record Shown(String column, String label, boolean log) {}

  private static final List<Shown> SIGNALS = List.of(
      new Shown("gopher_word_count", "words (Gopher), log scale", true),
      new Shown("gopher_mean_word_length", "mean word length (Gopher)", false),
      new Shown("gopher_stop_word_count", "stop words (Gopher), log scale", true),
      new Shown("gopher_alpha_words_fraction", "fraction of words with a letter (Gopher)", false),
      new Shown("gopher_dup_line_fraction", "duplicate lines, fraction (Gopher)", false),
      new Shown("c4_lines_no_terminal_punct_fraction", "lines without terminal punctuation (C4)", false),
      new Shown("fineweb_line_punct_ratio", "lines ending in punctuation (FineWeb)", false),
      new Shown("fineweb_short_line_ratio", "short lines (FineWeb)", false),
      new Shown("language_confidence", "language confidence (Lingua)", false),
      new Shown("quality_score", "quality classifier score", false));

  private QualitySection() {}

  static ReportSection build(ReportInput input) {
    if (!input.lakehouse().exists(Tables.DOCUMENT_SIGNALS)) {
      return ReportSection.missing(ID, TITLE,
          "Not produced yet: document_signals does not exist (stage quality-signals).");
    }
    Dataset<Row> signals = input.lakehouse().read(Tables.DOCUMENT_SIGNALS);
    boolean filtered = input.lakehouse().exists(Tables.FILTERED_DOCUMENTS);
    Dataset<Row> documents = filtered
        ? signals.join(input.lakehouse().read(Tables.FILTERED_DOCUMENTS).select("doc_id", "kept", "drop_reason"),
            new String[] {"doc_id"}, "left")
        : signals.withColumn("kept", lit(null).cast("boolean")).withColumn("drop_reason", lit(null).cast("string"));
    documents = documents.withColumn("outcome", when(col("kept").isNull(), lit(filtered ? "not filtered" : "documents"))
        .when(col("kept"), lit("kept")).otherwise(lit("dropped")));
    documents.cache();
    try {
      long total = documents.count();
      if (total == 0) {
        return ReportSection.missing(ID, TITLE, "document_signals is empty.");
      }
      List<String> blocks = new ArrayList<>();
      blocks.add(Html.note(summary(documents, total, filtered)));
      blocks.addAll(languages(documents, total));
      if (filtered) {
        blocks.addAll(dropReasons(documents, total));
      }
      blocks.addAll(pii(documents));
      blocks.addAll(distributions(documents));
      return ReportSection.of(ID, TITLE, blocks);
    } finally {
      documents.unpersist();
    }
  }

  private static String summary(Dataset<Row> documents, long total, boolean filtered) {
    if (!filtered) {
      return Html.number(total) + " documents with signals; quality-filter has not run yet.";
    }
    Row kept = documents.agg(sum(when(col("outcome").equalTo("kept"), 1).otherwise(0)),
        sum(when(col("outcome").equalTo("dropped"), 1).otherwise(0))).head();
    return String.format(Locale.ROOT, "%s documents with signals: quality-filter kept %s (%s%%) and dropped %s.",
        Html.number(total), Html.number(kept.getLong(0)), Html.number(100.0 * kept.getLong(0) / total),
        Html.number(kept.getLong(1)));
  }

  private static List<String> languages(Dataset<Row> documents, long total) {
    List<Row> rows = documents.groupBy(coalesce(col("language"), lit("unknown")).as("language"))
        .agg(count(lit(1)).as("documents"), avg("language_confidence").as("confidence"),
            sum(when(col("outcome").equalTo("kept"), 1).otherwise(0)).as("kept"))
        .orderBy(col("documents").desc(), col("language")).collectAsList();
    List<String> labels = new ArrayList<>();
    List<Long> counts = new ArrayList<>();
    List<List<Object>> table = new ArrayList<>();
    for (Row row : rows) {
      if (labels.size() < LANGUAGES_SHOWN) {
        labels.add(row.getString(0));
        counts.add(row.getLong(1));
      }
      table.add(Arrays.asList(row.getString(0), row.getLong(1), 100.0 * row.getLong(1) / total,
          row.isNullAt(2) ? null : row.getDouble(2), row.getLong(3)));
    }
    return List.of("<h3>Languages</h3>",
        Charts.columns(labels, counts, "language (ISO 639-1; Lingua); bars: documents"),
        Html.table(List.of("language", "documents", "% of documents", "mean confidence", "kept"), table));
  }

  private static List<String> dropReasons(Dataset<Row> documents, long total) {
    List<Row> rows = documents.where(col("outcome").equalTo("dropped"))
        .groupBy(coalesce(col("drop_reason"), lit("(none)")).as("reason")).count()
        .orderBy(col("count").desc(), col("reason")).collectAsList();
    if (rows.isEmpty()) {
      return List.of("<h3>Filter drop reasons</h3>", Html.note("quality-filter dropped no document."));
    }
    List<List<Object>> table = new ArrayList<>();
    rows.forEach(r -> table.add(List.of(r.getString(0), r.getLong(1), 100.0 * r.getLong(1) / total)));
    return List.of("<h3>Filter drop reasons</h3>",
        Html.note("Each dropped document counts under the first rule it failed."),
        Html.table(List.of("first rule failed", "documents", "% of documents"), table));
  }

  private static List<String> pii(Dataset<Row> documents) {
    List<String> kinds = Arrays.stream(documents.columns())
        .filter(c -> c.startsWith(PII_PREFIX) && !c.equals(PII_TOTAL)).toList();
    if (kinds.isEmpty()) {
      return List.of();
    }
    List<Column> aggregates = new ArrayList<>();
    for (String kind : kinds) {
      aggregates.add(coalesce(sum(col(kind)), lit(0L)));
      aggregates.add(sum(when(col(kind).gt(0), 1).otherwise(0)));
    }
    Row totals = documents.agg(aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(Column[]::new))
        .head();
    List<List<Object>> table = new ArrayList<>();
    for (int i = 0; i < kinds.size(); i++) {
      table.add(List.of(kinds.get(i).substring(PII_PREFIX.length()), totals.getLong(2 * i),
          totals.isNullAt(2 * i + 1) ? 0L : totals.getLong(2 * i + 1)));
    }
    return List.of("<h3>PII redacted</h3>",
        Html.note("Occurrences replaced with typed placeholders in the text that flows on (redacted_text)."),
        Html.table(List.of("kind", "occurrences", "documents"), table));
  }

  private static List<String> distributions(Dataset<Row> documents) {
    List<String> present = Arrays.asList(documents.columns());
    Map<String, Column> values = new LinkedHashMap<>();
    Map<String, Shown> shownByColumn = new LinkedHashMap<>();
    for (Shown shown : SIGNALS) {
      if (present.contains(shown.column())) {
        values.put(shown.column(),
            shown.log() ? log10(greatest(col(shown.column()), lit(0)).plus(1)) : col(shown.column()));
        shownByColumn.put(shown.column(), shown);
      }
    }
    List<String> blocks = new ArrayList<>();
    blocks.add("<h3>Signal distributions</h3>");
    Histograms.binsPerColumn(documents, values, col("outcome"), BINS).forEach((column, bins) -> {
      Shown shown = shownByColumn.get(column);
      if (bins.isEmpty()) {
        blocks.add(Html.note(column + ": no values (" + describeEmpty(column) + ")."));
        return;
      }
      List<String> groups = Histograms.orderedGroups(bins, List.of("kept", "dropped", "not filtered", "documents"));
      blocks.add(Charts.histogram(bins, groups, List.of(), column + ": " + shown.label(),
          shown.log() ? x -> Html.number(Math.pow(10, x) - 1) : Html::number));
    });
    return blocks;
  }

  private static String describeEmpty(String column) {
    return column.equals("quality_score") ? "no quality-classifier-train model when the signals were computed"
        : "null for every document";
  }
}
