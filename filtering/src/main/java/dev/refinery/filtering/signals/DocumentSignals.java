package dev.refinery.filtering.signals;

import java.util.ArrayList;
import java.util.List;

/**
 * Per-document quality signals in the style of RedPajama-v2: one number per signal per document, so
 * thresholds are chosen later in SQL ({@link QualityPresets}) instead of being baked into a filter.
 *
 * <p>{@link #compute} returns values aligned with {@link #COLUMNS}, boxed as {@link Integer},
 * {@link Double} or {@link Boolean} by the column's {@link SignalType}. No value is ever null, NaN or
 * infinite: a ratio with nothing to divide by is 0.0, so empty or whitespace-only text gets 0 counts, 0.0
 * ratios and false flags (each column's description says what empty means). Stateless and thread-safe;
 * patterns are compiled once.
 */
public final class DocumentSignals {
  /** The columns in a stable order: Gopher quality, Gopher repetition, C4, FineWeb. */
  public static final List<SignalColumn> COLUMNS = columns();

  private static final int GOPHER_REPETITION_AT = GopherQualitySignals.COLUMNS.size();
  private static final int C4_AT = GOPHER_REPETITION_AT + GopherRepetitionSignals.COLUMNS.size();
  private static final int FINEWEB_AT = C4_AT + C4Signals.COLUMNS.size();

  private DocumentSignals() {}

  private static List<SignalColumn> columns() {
    List<SignalColumn> columns = new ArrayList<>();
    columns.addAll(GopherQualitySignals.COLUMNS);
    columns.addAll(GopherRepetitionSignals.COLUMNS);
    columns.addAll(C4Signals.COLUMNS);
    columns.addAll(FineWebSignals.COLUMNS);
    return List.copyOf(columns);
  }

  /** Signals of {@code text}; null is treated as empty text. */
  public static Object[] compute(String text) {
    DocumentText document = DocumentText.of(text);
    Object[] values = new Object[COLUMNS.size()];
    GopherQualitySignals.compute(document, values, 0);
    GopherRepetitionSignals.compute(document, values, GOPHER_REPETITION_AT);
    C4Signals.compute(document, values, C4_AT);
    FineWebSignals.compute(document, values, FINEWEB_AT);
    return values;
  }
}
