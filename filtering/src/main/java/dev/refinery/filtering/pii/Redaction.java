package dev.refinery.filtering.pii;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * A redacted text and how many spans of each kind were replaced. {@code counts} holds every kind, zero
 * included, so each document yields the same {@code pii_*} columns.
 */
public record Redaction(String text, Map<PiiKind, Integer> counts) {
  public Redaction {
    EnumMap<PiiKind, Integer> all = new EnumMap<>(PiiKind.class);
    for (PiiKind kind : PiiKind.values()) {
      all.put(kind, counts.getOrDefault(kind, 0));
    }
    counts = Collections.unmodifiableMap(all);
  }

  public int count(PiiKind kind) {
    return counts.get(kind);
  }

  /** The number of spans replaced, all kinds together. */
  public int total() {
    return counts.values().stream().mapToInt(Integer::intValue).sum();
  }
}
