package dev.refinery.filtering.pii;

import java.io.Serializable;
import java.util.EnumMap;
import java.util.List;

/** Replaces each span {@link PiiDetector} finds with its kind's placeholder and counts the replacements. */
public final class PiiRedactor implements Serializable {
  private static final long serialVersionUID = 1L;

  private final PiiDetector detector;

  public PiiRedactor() {
    this(new PiiDetector());
  }

  public PiiRedactor(PiiDetector detector) {
    if (detector == null) {
      throw new IllegalArgumentException("Cannot create PII redactor: detector is null");
    }
    this.detector = detector;
  }

  /** The redacted text; a text without personal data comes back as the same string, all counts zero. */
  public Redaction redact(String text) {
    List<PiiSpan> spans = detector.find(text);
    EnumMap<PiiKind, Integer> counts = new EnumMap<>(PiiKind.class);
    if (spans.isEmpty()) {
      return new Redaction(text, counts);
    }
    StringBuilder redacted = new StringBuilder(text.length());
    int copied = 0;
    for (PiiSpan span : spans) {
      redacted.append(text, copied, span.start()).append(span.kind().placeholder());
      copied = span.end();
      counts.merge(span.kind(), 1, Integer::sum);
    }
    redacted.append(text, copied, text.length());
    return new Redaction(redacted.toString(), counts);
  }
}
