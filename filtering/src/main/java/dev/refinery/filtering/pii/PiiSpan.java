package dev.refinery.filtering.pii;

/** A run of personal data in a text: {@code text.substring(start, end)} is the value, end exclusive. */
public record PiiSpan(PiiKind kind, int start, int end) {
  public PiiSpan {
    if (kind == null) {
      throw new IllegalArgumentException("Cannot create PII span: kind is null");
    }
    if (start < 0 || end <= start) {
      throw new IllegalArgumentException("Cannot create PII span: invalid range [" + start + ", " + end + ")");
    }
  }

  public int length() {
    return end - start;
  }

  boolean overlaps(PiiSpan other) {
    return start < other.end && other.start < end;
  }
}
