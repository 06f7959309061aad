package dev.refinery.llm;

import java.time.Duration;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress of a long run of LLM calls: calls done of total, tokens per second, retries, failures and an
 * ETA, logged at most once per interval (and always at the end). Thread-safe.
 */
public final class LlmProgress {
  private static final Logger LOG = LoggerFactory.getLogger(LlmProgress.class);

  static {
    // Spark's log level (spark.log-level, WARN by default) is set on the root logger; progress of long LLM
    // stages must still show, so this one logger stays at INFO when log4j is the backend.
    try {
      org.apache.logging.log4j.core.config.Configurator.setLevel(LlmProgress.class.getName(),
          org.apache.logging.log4j.Level.INFO);
    } catch (LinkageError noLog4j) {
      // Another logging backend: its own configuration decides.
    }
  }

  private final String label;
  private final long total;
  private final long intervalNanos;
  private final long startNanos = System.nanoTime();
  private long lastLogNanos = startNanos;
  private long done;
  private long tokens;
  private long retries;
  private long failures;

  public LlmProgress(String label, long total, Duration interval) {
    this.label = label;
    this.total = total;
    this.intervalNanos = interval.toNanos();
  }

  /** Records one finished call (answered or failed for good). */
  public synchronized void record(long completionTokens, long retriesOfCall, boolean failed) {
    done++;
    tokens += completionTokens;
    retries += retriesOfCall;
    failures += failed ? 1 : 0;
    long now = System.nanoTime();
    if (now - lastLogNanos >= intervalNanos) {
      lastLogNanos = now;
      LOG.info(line());
    }
  }

  /** Adds the figures of a batch completed elsewhere (another JVM) and logs the line. */
  public synchronized void add(long calls, long completionTokens, long retriesOfCalls, long failed) {
    done += calls;
    tokens += completionTokens;
    retries += retriesOfCalls;
    failures += failed;
    lastLogNanos = System.nanoTime();
    LOG.info(line());
  }

  public synchronized String line() {
    double seconds = Math.max(1e-9, (System.nanoTime() - startNanos) / 1e9);
    double callsPerSecond = done / seconds;
    String eta = done == 0 || done >= total ? "-" : formatDuration((long) ((total - done) / callsPerSecond));
    return String.format(Locale.ROOT, "%s: %d/%d calls, %.1f tokens/s, %d retries, %d failures, elapsed %s, ETA %s",
        label, done, total, tokens / seconds, retries, failures, formatDuration((long) seconds), eta);
  }

  public synchronized long done() {
    return done;
  }

  public synchronized long tokens() {
    return tokens;
  }

  public synchronized double elapsedSeconds() {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  static String formatDuration(long seconds) {
    return seconds >= 3600
        ? String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, (seconds % 3600) / 60)
        : String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
  }
}
