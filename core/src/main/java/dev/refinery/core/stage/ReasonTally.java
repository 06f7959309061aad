package dev.refinery.core.stage;

import dev.refinery.core.error.Preconditions;
import java.util.Map;
import java.util.TreeMap;

/**
 * The driver-side twin of {@link ReasonCounts}: a stage whose rows are decided one by one on the driver
 * (LLM rounds, per-file outcomes) says {@link #keep} or {@link #drop} for each, and gets the same counts map
 * ({@link ReasonCounts#KEPT} for kept rows, reasons sorted, only reasons that occurred) and the same result
 * figures, so no stage hand-writes its counting code. Quarantined rows, which {@code ReasonCounts} does not
 * see, are counted with {@link #quarantine}. Not thread-safe.
 */
public final class ReasonTally {
  private final Map<String, Long> counts = new TreeMap<>();
  private long quarantined;

  /** One row kept. */
  public ReasonTally keep() {
    return keep(1);
  }

  /** {@code count} rows kept. */
  public ReasonTally keep(long count) {
    return add(ReasonCounts.KEPT, count);
  }

  /** One row dropped for {@code reason}. */
  public ReasonTally drop(String reason) {
    return drop(reason, 1);
  }

  /** {@code count} rows dropped for {@code reason}. */
  public ReasonTally drop(String reason, long count) {
    Preconditions.checkArgument(reason != null && !reason.isBlank(), "Invalid drop reason: '%s' (must not be blank)",
        reason);
    return add(reason, count);
  }

  /** {@code count} rows sent to quarantine. */
  public ReasonTally quarantine(long count) {
    Preconditions.checkArgument(count >= 0, "Invalid quarantined count: %s (must be >= 0)", count);
    quarantined += count;
    return this;
  }

  /** Adds a {@link ReasonCounts#count} map (kept under {@link ReasonCounts#KEPT}, the rest dropped by reason). */
  public ReasonTally addAll(Map<String, Long> reasonCounts) {
    reasonCounts.forEach(this::add);
    return this;
  }

  /** Rows per reason, kept under {@link ReasonCounts#KEPT}: the map {@link ReasonCounts#count} returns. */
  public Map<String, Long> counts() {
    return new TreeMap<>(counts);
  }

  public long kept() {
    return counts.getOrDefault(ReasonCounts.KEPT, 0L);
  }

  public long quarantined() {
    return quarantined;
  }

  /** Fills a result builder: in = kept + dropped + quarantined, out = kept, drops by reason, quarantined. */
  public StageResult.Builder into(StageResult.Builder builder) {
    long in = quarantined;
    for (long count : counts.values()) {
      in += count;
    }
    return ReasonCounts.toResult(counts, builder).rowsIn(in).quarantined(quarantined);
  }

  private ReasonTally add(String reason, long count) {
    Preconditions.checkArgument(count >= 0, "Invalid count for reason '%s': %s (must be >= 0)", reason, count);
    if (count > 0) {
      counts.merge(reason, count, Long::sum);
    }
    return this;
  }
}
