package dev.refinery.filtering.quality;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.when;

import dev.refinery.core.error.RefineryException;
import dev.refinery.core.stage.ReasonCounts;
import dev.refinery.core.stage.RowsIn;
import dev.refinery.core.stage.Stage;
import dev.refinery.core.stage.StageContext;
import dev.refinery.core.stage.StageResult;
import dev.refinery.core.stage.StageSpec;
import dev.refinery.core.table.Tables;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code quality-filter}: applies the configured rules to {@code document_signals} and writes
 * {@code filtered_documents} (MERGE on {@code doc_id}): every document with its text as it flows on (PII replaced
 * by placeholders when {@code quality-signals} redacted any), whether it is kept, and the first rule it failed.
 * {@code perplexity} and the dedup stages read only its kept rows when the table exists.
 *
 * <p>The filter runs before perplexity and dedup because it is the cheapest of the three per document: signals are
 * one pass over the text with no model, while perplexity looks up every token in the n-gram model and dedup
 * shuffles shingles and signatures. Every document dropped here is one those stages never pay for, and a
 * low-quality copy can never become a duplicate group's representative.
 */
public final class QualityFilterStage implements Stage {
  static final StageSpec SPEC = StageSpec.builder("quality-filter")
      .reads(Tables.RAW_DOCUMENTS, Tables.DOCUMENT_SIGNALS)
      .writes(Tables.FILTERED_DOCUMENTS).config("quality-filter")
      .description("drop documents whose quality signals fail a rule (Gopher, C4, FineWeb presets or SQL rules)")
      .rowsIn(RowsIn.table(Tables.DOCUMENT_SIGNALS))
      .build();

  private final QualityFilterOptions options;

  QualityFilterStage(QualityFilterOptions options) {
    this.options = options;
  }

  @Override
  public StageSpec spec() {
    return SPEC;
  }

  @Override
  public StageResult run(StageContext context) {
    Dataset<Row> signals = context.read(Tables.DOCUMENT_SIGNALS);
    Column reason = lit(null).cast("string");
    // Built last rule first, so the first rule a document fails is the outermost WHEN.
    List<QualityRule> rules = options.rules();
    for (int i = rules.size() - 1; i >= 0; i--) {
      QualityRule rule = rules.get(i);
      reason = when(not(coalesce(predicate(signals, rule), lit(false))), lit(rule.name())).otherwise(reason);
    }
    Dataset<Row> texts = context.read(Tables.RAW_DOCUMENTS).select(col("doc_id"), col("text"));
    Dataset<Row> out = signals.withColumn("drop_reason", reason)
        .join(texts, "doc_id")
        .select(col("doc_id"), coalesce(col("redacted_text"), col("text"), lit("")).as("text"),
            col("drop_reason").isNull().as("kept"), col("drop_reason"), lit(context.runId()).as("run_id"));
    Map<String, Long> counts = ReasonCounts.count(out, "drop_reason");
    context.lakehouse().upsert(Tables.FILTERED_DOCUMENTS, out, List.of("doc_id"));
    return ReasonCounts.toResult(counts, StageResult.builder())
        .metric("rules", String.join(",", rules.stream().map(QualityRule::name).toList()))
        .build();
  }

  /** The rule's predicate, analysed against the signals now so a typo fails before any data is written. */
  private static Column predicate(Dataset<Row> signals, QualityRule rule) {
    Column predicate;
    try {
      predicate = expr(rule.keepIf());
      signals.select(predicate).schema();
    } catch (Exception e) { // Spark's AnalysisException is a checked exception to Java
      String message = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
      throw RefineryException.userError("Invalid quality-filter rule '%s' (keep-if: %s): %s. Columns are those of "
          + "document_signals (see docs/filtering.md)", rule.name(), rule.keepIf(), message);
    }
    return predicate;
  }
}
