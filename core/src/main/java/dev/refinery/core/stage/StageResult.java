package dev.refinery.core.stage;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The counts of one stage run. {@code metrics} holds stage-specific figures (thresholds chosen, rounds,
 * timings) recorded in {@code pipeline_runs}.
 */
public record StageResult(
    long rowsIn, long rowsOut, Map<String, Long> droppedByReason, long rowsQuarantined, Map<String, String> metrics) {

  public StageResult {
    droppedByReason = Map.copyOf(new TreeMap<>(droppedByReason));
    metrics = Map.copyOf(metrics);
  }

  public long rowsDropped() {
    return droppedByReason.values().stream().mapToLong(Long::longValue).sum();
  }

  /** True when in = out + dropped + quarantined. */
  public boolean reconciles() {
    return rowsIn == rowsOut + rowsDropped() + rowsQuarantined;
  }

  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder {
    private long rowsIn;
    private long rowsOut;
    private long rowsQuarantined;
    private final Map<String, Long> dropped = new TreeMap<>();
    private final Map<String, String> metrics = new LinkedHashMap<>();

    public Builder rowsIn(long value) {
      rowsIn = value;
      return this;
    }

    public Builder rowsOut(long value) {
      rowsOut = value;
      return this;
    }

    public Builder quarantined(long value) {
      rowsQuarantined = value;
      return this;
    }

    public Builder dropped(String reason, long count) {
      if (count > 0) {
        dropped.merge(reason, count, Long::sum);
      }
      return this;
    }

    public Builder dropped(Map<String, Long> byReason) {
      byReason.forEach(this::dropped);
      return this;
    }

    public Builder metric(String name, Object value) {
      metrics.put(name, String.valueOf(value));
      return this;
    }

    public StageResult build() {
      return new StageResult(rowsIn, rowsOut, dropped, rowsQuarantined, metrics);
    }
  }
}
