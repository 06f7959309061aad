package dev.refinery.filtering.quality;

import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.StringType;

import dev.refinery.core.stage.RowsIn;
import dev.refinery.core.stage.RowsOut;
import dev.refinery.core.stage.Stage;
import dev.refinery.core.stage.StageContext;
import dev.refinery.core.stage.StageResult;
import dev.refinery.core.stage.StageSpec;
import dev.refinery.core.table.Tables;
import dev.refinery.core.text.LanguageIdentifier;
import dev.refinery.filtering.classifier.QualityClassifierScores;
import dev.refinery.filtering.pii.PiiKind;
import dev.refinery.filtering.pii.PiiRedactor;
import dev.refinery.filtering.pii.Redaction;
import dev.refinery.filtering.signals.DocumentSignals;
import dev.refinery.filtering.signals.SignalColumn;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;

/**
 * {@code quality-signals}: one {@code document_signals} row per {@code raw_documents} row (MERGE on {@code doc_id}),
 * with one column per quality signal (Gopher, C4, FineWeb; {@link DocumentSignals}), the language and Lingua's
 * confidence in it, a count per PII kind, and the text with its PII replaced by typed placeholders
 * ({@code redacted_text}, null when nothing was redacted), and the quality classifier's score when
 * {@code quality-classifier-train} has trained one ({@code quality_score}, else null). Signals are computed on the
 * original text.
 *
 * <p>Like RedPajama-v2, this stage drops nothing: {@code quality-filter} turns the signals into keep/drop decisions,
 * so thresholds can change without recomputing signals.
 */
public final class QualitySignalsStage implements Stage {
  static final StageSpec SPEC = StageSpec.builder("quality-signals")
      .reads(Tables.RAW_DOCUMENTS).readsIfPresent(Tables.QUALITY_MODELS)
      .writes(Tables.DOCUMENT_SIGNALS).config("quality-signals")
      .description("compute Gopher, C4 and FineWeb quality signals, language and PII counts per document")
      .rowsIn(RowsIn.table(Tables.RAW_DOCUMENTS)).rowsOut(RowsOut.committedTo(Tables.DOCUMENT_SIGNALS))
      .build();

  /** The schema of {@code document_signals}. */
  public static final StructType SCHEMA = schema();

  private final QualitySignalsOptions options;

  QualitySignalsStage(QualitySignalsOptions options) {
    this.options = options;
  }

  @Override
  public StageSpec spec() {
    return SPEC;
  }

  private static StructType schema() {
    StructType schema = new StructType().add("doc_id", StringType, false);
    for (SignalColumn column : DocumentSignals.COLUMNS) {
      schema = schema.add(column.name(), sparkType(column), false);
    }
    schema = schema.add("language", StringType, true).add("language_confidence", DoubleType, false);
    for (PiiKind kind : PiiKind.values()) {
      schema = schema.add(kind.columnName(), IntegerType, false);
    }
    return schema.add("pii_total", IntegerType, false)
        .add("redacted_text", StringType, true)
        .add("run_id", StringType, false);
  }

  private static DataType sparkType(SignalColumn column) {
    return switch (column.type()) {
      case INT -> IntegerType;
      case DOUBLE -> DoubleType;
      case BOOLEAN -> BooleanType;
    };
  }

  @Override
  public StageResult run(StageContext context) {
    // Build the detector on the driver first: a bad language list fails here, not in every task.
    LanguageIdentifier.get(options.languages(), options.languageMaxChars());
    QualitySignalsOptions opts = options;
    String runId = context.runId();
    Dataset<Row> documents = context.read(Tables.RAW_DOCUMENTS).select("doc_id", "text");
    Dataset<Row> signals = withQualityScore(context, documents, documents.mapPartitions(
        (MapPartitionsFunction<Row, Row>) rows -> signalsOf(rows, opts, runId), Encoders.row(SCHEMA)));
    context.lakehouse().upsert(Tables.DOCUMENT_SIGNALS, signals, List.of("doc_id"));
    Row totals = context.lakehouse().read(Tables.DOCUMENT_SIGNALS)
        .where(org.apache.spark.sql.functions.col("run_id").equalTo(runId))
        .selectExpr("count(*) AS documents", "count_if(pii_total > 0) AS with_pii",
            "coalesce(sum(pii_total), 0) AS pii_total", "count_if(language IS NULL) AS language_unknown")
        .head();
    return StageResult.builder()
        .metric("documents_with_pii", totals.getLong(1))
        .metric("pii_redacted", totals.getLong(2))
        .metric("language_unknown", totals.getLong(3))
        .build();
  }

  /**
   * Adds {@code quality_score}: the latest {@code quality-classifier-train} model's probability that the document
   * is good, or null when no model has been trained.
   */
  private static Dataset<Row> withQualityScore(StageContext context, Dataset<Row> documents, Dataset<Row> signals) {
    java.util.Optional<String> model = context.inputVersions().containsKey(Tables.QUALITY_MODELS)
        ? QualityClassifierScores.latestModelPath(context.lakehouse()) : java.util.Optional.empty();
    Dataset<Row> scored = model.isPresent()
        ? signals.join(QualityClassifierScores.score(context.spark(), model.get(), documents), "doc_id")
        : signals.withColumn("quality_score", org.apache.spark.sql.functions.lit(null).cast("double"));
    List<org.apache.spark.sql.Column> columns = new ArrayList<>();
    for (String name : SCHEMA.fieldNames()) {
      if (name.equals("run_id")) {
        columns.add(scored.col("quality_score"));
      }
      columns.add(scored.col(name));
    }
    return scored.select(columns.toArray(org.apache.spark.sql.Column[]::new));
  }

  static Iterator<Row> signalsOf(Iterator<Row> rows, QualitySignalsOptions options, String runId) {
    LanguageIdentifier languages = LanguageIdentifier.get(options.languages(), options.languageMaxChars());
    PiiRedactor redactor = new PiiRedactor();
    int width = SCHEMA.size();
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return rows.hasNext();
      }

      @Override
      public Row next() {
        Row row = rows.next();
        String text = row.isNullAt(1) ? "" : row.getString(1);
        List<Object> values = new ArrayList<>(width);
        values.add(row.getString(0));
        for (Object value : DocumentSignals.compute(text)) {
          values.add(value);
        }
        LanguageIdentifier.Guess guess = languages.identify(text);
        values.add(guess.language());
        values.add(guess.confidence());
        Redaction redaction = redactor.redact(text);
        int total = 0;
        for (PiiKind kind : PiiKind.values()) {
          int count = redaction.counts().getOrDefault(kind, 0);
          values.add(count);
          total += count;
        }
        values.add(total);
        values.add(options.redactPii() && total > 0 ? redaction.text() : null);
        values.add(runId);
        return RowFactory.create(values.toArray());
      }
    };
  }
}
