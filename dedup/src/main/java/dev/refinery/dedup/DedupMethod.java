package dev.refinery.dedup;

import java.util.Locale;

/**
 * The dedup methods, in the order they apply: each method runs on the documents that the methods before it
 * kept (exact before MinHash before semantic), which is what SemDeDup assumes and keeps the work small.
 */
public enum DedupMethod {
  EXACT,
  MINHASH,
  SEMANTIC;

  /** The value of {@code dedup_clusters.method}. */
  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The drop reason counted in {@code pipeline_runs} for documents this method removes. */
  public String dropReason() {
    return "duplicate_" + value();
  }
}
