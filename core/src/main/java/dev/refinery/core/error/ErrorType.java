package dev.refinery.core.error;

/** Who is at fault when Refinery fails, so users and schedulers know whether to fix input or retry. */
public enum ErrorType {
  /** Bad config, bad input, a missing table: the user must change something. Retrying won't help. */
  USER_ERROR,
  /** A bug in Refinery. */
  INTERNAL_ERROR,
  /** A dependency failed (LLM endpoint, storage, model runtime); a retry may succeed. */
  EXTERNAL,
  /** Out of memory, disk, GPUs or quota. */
  INSUFFICIENT_RESOURCES
}
