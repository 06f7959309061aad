package dev.refinery.annotation.labels;

import java.sql.Timestamp;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/** One {@code judgments} row (see {@link dev.refinery.core.table.AnnotationSchemas#JUDGMENTS}). */
public record Judgment(
    String pairId,
    String raterId,
    String raterKind,
    String raterGroup,
    PreferenceLabel label,
    Double probabilityA,
    String orderShown,
    String labelSource,
    String model,
    String principle,
    String requestHash,
    String rawLabel,
    String source) {

  public static final String HUMAN = "human";
  public static final String AI = "ai";

  /** A human's hard label, shown in the stored order. */
  public static Judgment human(String pairId, String raterId, PreferenceLabel label, String rawLabel, String source) {
    return new Judgment(pairId, raterId, HUMAN, raterId, label, label.probabilityA(), "AB", HUMAN, null, null, null,
        rawLabel, source);
  }

  public Row toRow(String runId, Timestamp at) {
    return RowFactory.create(pairId, raterId, raterKind, raterGroup, label.text(), probabilityA, orderShown,
        labelSource, model, principle, requestHash, rawLabel, source, runId, at);
  }
}
